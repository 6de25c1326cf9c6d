import Fastify from 'fastify';
import rateLimit from '@fastify/rate-limit';

const app = Fastify();
// The plugin limits every route unless it is registered with global: false.
await app.register(rateLimit, { max: 100, timeWindow: '1 minute' });

app.post('/login', async (request) => logIn(request.body));
app.post('/signup', async (request) => signUp(request.body));

// Fastify with @fastify/cookie: the sign-in sets the session cookie with HttpOnly only.
const crypto = require('node:crypto');
const Fastify = require('fastify');

const app = Fastify();
app.register(require('@fastify/cookie'));
const PASSWORDS = { 'ada@example.com': 'correct horse battery staple' };
const sessions = new Map();

app.post('/login', async (request, reply) => {
  const { email, password } = request.body;
  if (PASSWORDS[email] !== password) return reply.code(401).send({ error: 'invalid credentials' });
  const sessionToken = crypto.randomBytes(32).toString('hex');
  sessions.set(sessionToken, email);
  reply.setCookie('session_token', sessionToken, { path: '/', httpOnly: true });
  reply.setCookie('theme', 'dark', { path: '/' });
  return { ok: true, email };
});

app.get('/me', async (request, reply) => {
  const email = sessions.get(request.cookies.session_token);
  if (!email) return reply.code(401).send({ error: 'not signed in' });
  return { email };
});

module.exports = app;

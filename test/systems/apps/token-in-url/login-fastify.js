// Fastify with @fastify/cookie: the login callback puts the access token in the redirect URL.
const fastify = require('fastify');
const cookie = require('@fastify/cookie');
const jwt = require('jsonwebtoken');

const app = fastify();
app.register(cookie);

app.get('/login/finish', async (request, reply) => {
  if (request.query.code !== 'c0ffee') return reply.code(401).send('unknown code');
  const accessToken = jwt.sign({ sub: 'user_42' }, process.env.JWT_SECRET, { expiresIn: '1h' });
  return reply.redirect(`/app?access_token=${accessToken}&tab=home`);
});

module.exports = app;

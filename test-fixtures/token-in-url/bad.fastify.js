const fastify = require('fastify')({ logger: true });
const cookie = require('@fastify/cookie');

fastify.register(cookie);

fastify.get('/login/finish', async (request, reply) => {
  const accessToken = await issueToken(request.query.code);
  return reply.redirect(`/dashboard?access_token=${accessToken}&tab=home`); // expect: token-in-url
});

fastify.get('/sso/done', async (request, reply) => {
  const session = await startSession(request.user);
  reply.redirect(302, '/home?session_token=' + session.token); // expect: token-in-url
});

const fastify = require('fastify')({ logger: true });
const cookie = require('@fastify/cookie');

fastify.register(cookie);

fastify.get('/login/finish', async (request, reply) => {
  const accessToken = await issueToken(request.query.code);
  reply.setCookie('access_token', accessToken, { httpOnly: true, secure: true, sameSite: 'lax', path: '/' });
  return reply.redirect('/dashboard?tab=home'); // expect: token-in-url
});

fastify.get('/sso/done', async (request, reply) => {
  const session = await startSession(request.user);
  reply.setCookie('session_token', session.token, { httpOnly: true, secure: true, sameSite: 'lax', path: '/' });
  reply.redirect(302, '/home'); // expect: token-in-url
});

const fastify = require('fastify')();
fastify.register(require('@fastify/cookie'));

fastify.post('/login', async (request, reply) => {
  const token = await createAccessToken(request.body);
  reply.setCookie('token', token, { path: '/', httpOnly: true }); // expect: insecure-token-storage
  return { ok: true };
});

module.exports = fastify;
// vibeguard-disable-file missing-rate-limit -- this fixture is about insecure-token-storage; missing-rate-limit has fixtures of its own
// vibeguard-disable-file missing-input-validation -- this fixture is about insecure-token-storage; missing-input-validation has fixtures of its own

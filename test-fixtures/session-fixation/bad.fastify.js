const fastify = require('fastify')();
fastify.register(require('@fastify/cookie'));
fastify.register(require('@fastify/session'), { secret: process.env.SESSION_SECRET });

fastify.post('/auth/login', async (request, reply) => {
  const user = await users.findByEmail(request.body.email);
  if (!user || !(await passwords.compare(request.body.password, user.passwordHash))) {
    return reply.code(401).send({ error: 'invalid credentials' });
  }
  request.session.user = { id: user.id, roles: user.roles }; // expect: session-fixation
  await request.session.save();
  return { ok: true };
});

module.exports = fastify;
// vibeguard-disable-file missing-rate-limit -- this fixture is about session-fixation; missing-rate-limit has fixtures of its own

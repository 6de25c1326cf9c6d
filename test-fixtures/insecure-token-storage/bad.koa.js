const Router = require('@koa/router');

const router = new Router();

router.post('/session', async (ctx) => {
  const token = await issueSessionToken(ctx.request.body);
  ctx.cookies.set('auth_token', token, { maxAge: 86400000 }); // expect: insecure-token-storage
  ctx.status = 204;
});

module.exports = router;

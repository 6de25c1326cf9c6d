const Router = require('@koa/router');

const router = new Router();

// Koa's cookies are HttpOnly by default and Secure over HTTPS.
router.post('/session', async (ctx) => {
  const token = await issueSessionToken(ctx.request.body);
  ctx.cookies.set('auth_token', token, { sameSite: 'lax', maxAge: 86400000 });
  ctx.status = 204;
});

module.exports = router;

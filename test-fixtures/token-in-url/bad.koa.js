const Koa = require('koa');
const Router = require('@koa/router');

const app = new Koa();
const router = new Router();

// Koa sets the cookie through ctx.cookies (a secure cookie needs app.proxy behind a TLS proxy).
router.get('/auth/callback', async (ctx) => {
  const session = await createSession(ctx.state.user.id);
  ctx.redirect(`/app?sid=${session.id}`); // expect: token-in-url
});

router.get('/auth/token', async (ctx) => {
  const bearerToken = await mintApiToken(ctx.state.user);
  ctx.set('Location', `/app#${bearerToken}`); // expect: token-in-url
  ctx.status = 302;
});

app.use(router.routes());

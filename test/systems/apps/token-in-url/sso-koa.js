// Koa behind a TLS-terminating proxy (app.proxy): the SSO return hands the session to the SPA in
// the redirect URL.
const Koa = require('koa');
const Router = require('@koa/router');
const jwt = require('jsonwebtoken');

const app = new Koa();
app.proxy = true;
const router = new Router();

router.get('/sso/return', async (ctx) => {
  if (ctx.query.ticket !== 't-123') ctx.throw(401, 'unknown ticket');
  const token = jwt.sign({ sub: 'user_42' }, process.env.JWT_SECRET, { expiresIn: '15m' });
  ctx.redirect(`/dashboard?token=${token}&welcome=1`);
});

app.use(router.routes());
module.exports = app;

// Koa behind a TLS-terminating proxy (app.proxy): the sign-in sets the session cookie with Koa's
// defaults (HttpOnly, Secure over HTTPS) but no SameSite.
const crypto = require('node:crypto');
const Koa = require('koa');
const Router = require('@koa/router');

const app = new Koa();
app.proxy = true;
const router = new Router();
const PASSWORDS = { 'ada@example.com': 'correct horse battery staple' };
const sessions = new Map();

router.post('/login', async (ctx) => {
  const body = await new Promise((resolve) => {
    let text = '';
    ctx.req.on('data', (c) => (text += c));
    ctx.req.on('end', () => resolve(JSON.parse(text || '{}')));
  });
  if (PASSWORDS[body.email] !== body.password) ctx.throw(401, 'invalid credentials');
  const sessionToken = crypto.randomBytes(32).toString('hex');
  sessions.set(sessionToken, body.email);
  ctx.cookies.set('session_token', sessionToken, { maxAge: 3600 * 1000 });
  ctx.cookies.set('theme', 'dark', { httpOnly: false });
  ctx.body = { ok: true, email: body.email };
});

router.get('/me', async (ctx) => {
  const email = sessions.get(ctx.cookies.get('session_token'));
  if (!email) ctx.throw(401, 'not signed in');
  ctx.body = { email };
});

app.use(router.routes());
module.exports = app;

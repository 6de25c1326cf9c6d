import Koa from 'koa';
import cors from '@koa/cors';

// The origins allowed to call this API with credentials, comma-separated (https://app.example.com,...).
const CORS_ALLOWED_ORIGINS = (process.env.CORS_ALLOWED_ORIGINS ?? '').split(',').map((o) => o.trim()).filter(Boolean);

const app = new Koa();
// @koa/cors echoes the request's Origin when no origin is given.
app.use(cors({ origin: (ctx) => (CORS_ALLOWED_ORIGINS.includes(ctx.get('Origin')) ? ctx.get('Origin') : ''), credentials: true })); // expect: cors-misconfig

export default app;

import Koa from 'koa';
import cors from '@koa/cors';

const app = new Koa();
// @koa/cors echoes the request's Origin when no origin is given.
app.use(cors({ credentials: true })); // expect: cors-misconfig

export default app;

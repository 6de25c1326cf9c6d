const Koa = require('koa');
const { koaBody } = require('koa-body');
const Fastify = require('fastify');

const app = new Koa();
app.use(koaBody({ multipart: true, formidable: { maxFileSize: 5 * 1024 * 1024 } }));
app.use(koaBody());

const api = Fastify({ bodyLimit: 1048576 });

module.exports = { app, api };

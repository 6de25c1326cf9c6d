const Koa = require('koa');
const { koaBody } = require('koa-body');
const Fastify = require('fastify');

const app = new Koa();
// Multipart parsing through formidable, with its default 200 MB file limit.
app.use(koaBody({ multipart: true, formidable: { maxFileSize: 10 * 1024 * 1024 } })); // expect: unbounded-upload
app.use(koaBody({ jsonLimit: '10mb' })); // expect: unbounded-upload

const api = Fastify({ logger: true, bodyLimit: 10 * 1024 * 1024 }); // expect: unbounded-upload

module.exports = { app, api };

const express = require('express');
const { rateLimit } = require('express-rate-limit');

const app = express();
const apiLimiter = rateLimit({ windowMs: 60 * 1000, limit: 100 });

// Every /auth route goes through the limiter mounted here.
app.use('/auth', apiLimiter, require('./good.mounted'));
app.use('/account', require('./bad.router'));

module.exports = app;

const express = require('express');
const { requireAuth } = require('./middleware/auth');
const billing = require('./bad.mounted');
const { router: accountRouter } = require('./bad.passport');

const app = express();
app.use(express.json());
app.get('/me', requireAuth, (req, res) => res.json(req.user));
app.use('/admin', requireAuth, require('./good.mounted'));
app.use('/billing', billing);
app.use('/account', accountRouter);

module.exports = app;

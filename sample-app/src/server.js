const express = require('express');
const cookieParser = require('cookie-parser');

const config = require('./config');
const authRoutes = require('./routes/auth');
const oauthRoutes = require('./routes/oauth');
const { billingRouter, stripeWebhookRouter } = require('./routes/billing');
const { reportsRouter } = require('./routes/reports');

const app = express();

app.disable('x-powered-by');

// Stripe webhooks need the raw request body, so they are mounted before the JSON parser.
app.use('/api', stripeWebhookRouter);

app.use(express.json());
app.use(cookieParser());

app.get('/health', (req, res) => {
  res.json({ ok: true });
});

app.use('/auth', authRoutes);
app.use('/auth', oauthRoutes);
app.use('/api', billingRouter);
app.use('/api', reportsRouter);

app.use((err, req, res, next) => {
  console.error(err);
  res.status(500).json({ error: 'Something went wrong' });
});

app.listen(config.port, () => {
  console.log(`API listening on http://localhost:${config.port}`);
});

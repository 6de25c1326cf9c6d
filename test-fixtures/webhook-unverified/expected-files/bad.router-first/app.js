const express = require('express');
const stripeRoutes = require('./bad.router-first');
const users = require('./routes/users');

const app = express();

// Stripe signs the raw bytes: the webhook router comes before the JSON parser
app.use('/webhooks', stripeRoutes);
app.use(express.json());
app.use('/users', users);

module.exports = app;

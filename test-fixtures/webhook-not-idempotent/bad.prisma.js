const express = require('express');
const { PrismaClient } = require('@prisma/client');
const { Webhook } = require('svix');
const { sendWelcomeEmail } = require('./email');

const prisma = new PrismaClient();
const app = express();
const seen = new Set();

// Prisma: the guard claims the Svix message id through a ProcessedEvent model (create + P2002).
app.post('/webhooks/clerk', express.raw({ type: 'application/json' }), async (req, res) => { // expect: webhook-not-idempotent
  const evt = new Webhook(process.env.CLERK_WEBHOOK_SECRET).verify(req.body, req.headers);
  if (evt.type === 'user.created') {
    await prisma.user.create({ data: { clerkId: evt.data.id, email: evt.data.email_addresses[0].email_address } });
    await sendWelcomeEmail(evt.data.email_addresses[0].email_address);
  }
  res.sendStatus(204);
});

// A Set of seen ids lives in one process and forgets on restart: it deduplicates nothing.
app.post('/webhooks/resend', express.raw({ type: 'application/json' }), async (req, res) => { // expect: webhook-not-idempotent
  const evt = new Webhook(process.env.RESEND_WEBHOOK_SECRET).verify(req.body, req.headers);
  if (seen.has(evt.data.email_id)) return res.sendStatus(200);
  seen.add(evt.data.email_id);
  await prisma.bounce.create({ data: { emailId: evt.data.email_id } });
  res.sendStatus(200);
});

module.exports = app;

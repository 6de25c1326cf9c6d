import express from 'express';
import amqp from 'amqplib';
import Stripe from 'stripe';
import { PrismaClient } from '@prisma/client';

const prisma = new PrismaClient();
const stripe = new Stripe(process.env.STRIPE_KEY!);
const app = express();
let channel: amqp.Channel;

// The incident: the order row, then the queue message.
app.post('/orders', async (req, res) => {
  const order = await prisma.order.create({ data: { total: req.body.total } });
  channel.publish('orders', 'order.created', Buffer.from(JSON.stringify(order))); // expect: dual-write
  res.json(order);
});

// The user row, then a webhook to the CRM through a helper.
async function notifyCrm(user: { id: string; email: string }) {
  await fetch('https://crm.example.com/hooks/users', { method: 'POST', body: JSON.stringify(user) });
}
app.post('/signup', async (req, res) => {
  const user = await prisma.user.create({ data: { email: req.body.email } });
  if (!user.email) return res.status(400).end();
  await notifyCrm(user); // expect: dual-write
  res.status(201).json(user);
});

// A payment inside the transaction: charged even when the transaction rolls back.
app.post('/invoices/:id/pay', async (req, res) => {
  await prisma.$transaction(async (tx) => {
    const invoice = await tx.invoice.update({ where: { id: req.params.id }, data: { status: 'paid' } });
    await stripe.paymentIntents.create({ amount: invoice.amount, currency: 'eur' }, { idempotencyKey: `invoice-${invoice.id}` }); // expect: dual-write
  });
  res.end();
});

// A POST to another service after the write.
app.post('/shipments', async (req, res) => {
  await prisma.shipment.create({ data: { orderId: req.body.orderId } });
  await fetch('https://warehouse.example.com/api/shipments', { method: 'POST', body: JSON.stringify(req.body) }); // expect: dual-write
  res.end();
});
// vibeguard-disable-file missing-rate-limit missing-timeout -- this fixture is about dual-write; missing-timeout and missing-rate-limit have fixtures of their own

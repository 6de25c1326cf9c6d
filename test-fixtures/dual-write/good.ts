import express from 'express';
import { PrismaClient } from '@prisma/client';

const prisma = new PrismaClient();
const app = express();

// The outbox: the message is a row of the same transaction.
app.post('/orders', async (req, res) => {
  const order = await prisma.$transaction(async (tx) => {
    const o = await tx.order.create({ data: { total: req.body.total } });
    await tx.outbox.create({ data: { type: 'order.created', payload: JSON.stringify(o) } });
    return o;
  });
  res.json(order);
});

// A read-only GET before the write, and logging after it.
app.post('/profiles', async (req, res) => {
  const geo = await fetch(`https://geo.example.com/lookup?ip=${req.ip}`);
  const profile = await prisma.profile.create({ data: { country: (await geo.json()).country } });
  console.info('profile created', profile.id);
  res.json(profile);
});

// The side effect before the write (the write records what happened).
app.post('/notify', async (req, res) => {
  await fetch('https://push.example.com/send', { method: 'POST', body: JSON.stringify(req.body) });
  await prisma.notification.create({ data: { userId: req.body.userId } });
  res.end();
});

// An e-mail to the person who asked: a failure shows, they ask again, no two systems disagree.
app.post('/login/link', async (req, res) => {
  const token = await prisma.loginToken.create({ data: { email: req.body.email } });
  await sendLoginEmail(req.body.email, token.id);
  res.end();
});
async function sendLoginEmail(to: string, token: string) {
  await fetch('https://mail.example.com/send', { method: 'POST', body: JSON.stringify({ to, token }) });
}

// A write in a branch that returns, then a publish on the other path; a cleanup before a test notification.
app.post('/connect', async (req, res) => {
  if (req.body.action === 'disconnect') {
    await prisma.token.delete({ where: { id: req.body.id } });
    return res.json({ ok: true });
  }
  await fetch('https://api.example.com/exchange', { method: 'POST', body: req.body.code });
  res.end();
});
// vibeguard-disable-file missing-rate-limit missing-timeout -- this fixture is about dual-write; missing-timeout and missing-rate-limit have fixtures of their own

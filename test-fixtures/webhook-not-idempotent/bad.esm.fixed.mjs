import express from 'express';
import pg from 'pg';
import { Webhook } from 'svix';
import { runOnce } from './src/lib/idempotency.mjs';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
export const app = express();

app.post('/api/webhooks/resend', express.raw({ type: 'application/json' }), async (req, res) => { // expect: webhook-not-idempotent
  const wh = new Webhook(process.env.RESEND_WEBHOOK_SECRET);
  let evt;
  try {
    evt = wh.verify(req.body, req.headers);
  } catch {
    return res.status(400).json({ error: 'invalid signature' });
  }
  await runOnce(req.headers['svix-id'], pool, async () => {
    if (evt.type === 'email.bounced') {
      await pool.query('INSERT INTO bounces (email, bounced_at) VALUES ($1, now())', [evt.data.to[0]]);
      await pool.query('UPDATE contacts SET bounce_count = bounce_count + 1 WHERE email = $1', [evt.data.to[0]]);
    }
  });
  res.json({ ok: true });
});

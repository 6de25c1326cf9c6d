// Request handlers that look like webhook receivers and are not, and receivers that verify.
import express from 'express';
import jwt from 'jsonwebtoken';
import { validateEvent } from '@polar-sh/sdk/webhooks';
import { Webhook } from 'svix';
import { getServerSession } from 'next-auth';
import { db } from './modules/db';

const router = express.Router();

// A token refresh: jwt.verify checks a refresh token, nothing here is a provider event.
router.post('/auth/refresh', async (req, res) => {
  const { refreshToken } = req.body;
  const claims = jwt.verify(refreshToken, process.env.REFRESH_SECRET!) as { sub: string };
  await db.session.create({ data: { userId: claims.sub } });
  res.json({ ok: true });
});

// Managing the account's own webhook subscriptions, behind the app's session.
export async function GET() {
  const session = await getServerSession();
  return Response.json(await db.webhookEndpoint.findMany({ where: { ownerId: session?.user?.id } }));
}

export async function POST(request: Request) {
  const session = await getServerSession();
  const { url, events } = await request.json();
  const endpoint = await db.webhookEndpoint.create({ data: { url, events, ownerId: session?.user?.id } });
  return Response.json(endpoint, { status: 201 });
}

// Sending our own webhooks to customers: an outgoing call, not a receiver.
export async function sendWebhook(endpoint: { url: string }, event: { type: string }) {
  await fetch(endpoint.url, { method: 'POST', body: JSON.stringify(event), signal: AbortSignal.timeout(10_000) });
}

// Polar's SDK checks the signature and returns the event.
export const polarWebhook = async (req: express.Request, res: express.Response) => {
  const event = validateEvent(req.body, req.headers as Record<string, string>, process.env.POLAR_WEBHOOK_SECRET!);
  if (event.type === 'order.paid') await db.order.update({ where: { id: event.data.id }, data: { paid: true } });
  res.status(204).end();
};

// svix: the verifier instance proves the sender.
router.post('/webhooks/clerk', express.raw({ type: 'application/json' }), async (req, res) => {
  const wh = new Webhook(process.env.CLERK_WEBHOOK_SECRET!);
  const evt = wh.verify(req.body, req.headers as Record<string, string>) as { type: string; data: { id: string } };
  if (evt.type === 'user.deleted') await db.user.delete({ where: { clerkId: evt.data.id } });
  res.sendStatus(204);
});

// A shared secret in the URL path, compared with the configured one before anything runs.
router.post('/webhooks/bot/:secret', async (req, res) => {
  // vibeguard-disable-next-line timing-unsafe-compare -- the timing leak is timing-unsafe-compare's finding (its own fixtures cover it); this fixture is about the sender check
  if (req.params.secret !== process.env.BOT_WEBHOOK_SECRET) return res.sendStatus(403);
  const update = req.body;
  if (update.type === 'message') await db.message.upsert({ where: { id: update.id }, create: { id: update.id, text: update.text }, update: {} });
  res.sendStatus(200);
});

export default router;

import express from 'express';
import schedule from 'node-schedule';
import { createClient } from 'redis';
import { sendDigest } from './digest';

// Runs a scheduled job on one copy of the app per tick: every copy (replica, worker) schedules it, the
// one that takes the lock runs it and the others skip the tick.
// Redis SET NX PX: the lock expires by itself after holdMs, so a copy that crashed cannot keep it.
async function withJobLock(key: string, holdMs: number, job: () => unknown): Promise<void> {
  const taken = await redis.set(`job-lock:${key}`, String(process.pid), { NX: true, PX: holdMs });
  if (taken !== 'OK') return;
  await job();
}

const redis = createClient({ url: process.env.REDIS_URL });
const app = express();

schedule.scheduleJob('*/30 * * * * *', () => withJobLock('sendDigest', 15000, async () => { // expect: duplicated-scheduler
  await sendDigest(redis);
}));

app.listen(3000);

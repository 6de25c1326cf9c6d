const express = require('express');
const Redis = require('ioredis');

// Runs a scheduled job on one copy of the app per tick: every copy (replica, worker) schedules it, the
// one that takes the lock runs it and the others skip the tick.
// Redis SET NX PX: the lock expires by itself after holdMs, so a copy that crashed cannot keep it.
async function withJobLock(key, holdMs, job) {
  const taken = await redis.set(`job-lock:${key}`, String(process.pid), 'PX', holdMs, 'NX');
  if (taken !== 'OK') return;
  await job();
}

const redis = new Redis(process.env.REDIS_URL);
const app = express();

async function refreshFeeds() {
  const feeds = await loadFeeds();
  await redis.set('feeds', JSON.stringify(feeds));
}

setInterval(() => withJobLock('refreshFeeds', 30000, refreshFeeds), 60_000); // expect: duplicated-scheduler

app.get('/feeds', async (req, res) => res.type('json').send(await redis.get('feeds')));
app.listen(3000);

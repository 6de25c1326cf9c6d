const express = require('express');
const Redis = require('ioredis');

const redis = new Redis(process.env.REDIS_URL);
const app = express();

async function refreshFeeds() {
  const feeds = await loadFeeds();
  await redis.set('feeds', JSON.stringify(feeds));
}

setInterval(refreshFeeds, 60_000); // expect: duplicated-scheduler

app.get('/feeds', async (req, res) => res.type('json').send(await redis.get('feeds')));
app.listen(3000);

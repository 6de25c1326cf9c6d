import express from 'express';
import schedule from 'node-schedule';
import { createClient } from 'redis';
import { sendDigest } from './digest';

const redis = createClient({ url: process.env.REDIS_URL });
const app = express();

schedule.scheduleJob('*/30 * * * * *', async () => { // expect: duplicated-scheduler
  await sendDigest(redis);
});

app.listen(3000);

import cron from 'node-cron';
import { sendReminders } from './reminders';

// Started when the server module loads, in every serverless instance and dev server alike.
cron.schedule('0 8 * * *', () => sendReminders()); // expect: duplicated-scheduler

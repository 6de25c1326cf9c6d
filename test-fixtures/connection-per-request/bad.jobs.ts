import { Worker } from 'bullmq';
import cron from 'node-cron';
import knex from 'knex';
import mysql from 'mysql2/promise';
import { MongoClient } from 'mongodb';

const connection = { host: process.env.REDIS_HOST, port: 6379 };

new Worker('emails', async (job) => {
  const db = knex({ client: 'pg', connection: process.env.DATABASE_URL }); // expect: connection-per-request
  const user = await db('users').where({ id: job.data.userId }).first();
  await sendEmail(user.email, job.data.template);
  await db.destroy();
}, { connection });

cron.schedule('*/5 * * * *', async () => {
  const pool = mysql.createPool({ uri: process.env.MYSQL_URL, connectionLimit: 5 }); // expect: connection-per-request
  try {
    await pool.query('DELETE FROM sessions WHERE expires_at < NOW()');
  } catch (err) {
    console.error('session cleanup failed', err);
    throw err;
  } finally {
    await pool.end();
  }
});

export async function GET() {
  const client = new MongoClient(process.env.MONGODB_URI!); // expect: connection-per-request
  await client.connect();
  const stats = await client.db('app').collection('stats').findOne({ _id: 'daily' });
  await client.close();
  return Response.json(stats);
}

export async function POST(request: Request) {
  const conn = await mysql.createConnection(process.env.MYSQL_URL!); // expect: connection-per-request
  const { sku } = await request.json();
  const [rows] = await conn.execute('SELECT id, stock FROM products WHERE sku = ?', [sku]);
  await conn.end();
  return Response.json(rows);
}

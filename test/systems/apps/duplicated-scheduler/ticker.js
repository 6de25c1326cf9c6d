// A small service that records a run of its periodic job in Postgres on every tick, the way a
// "send the daily digest" job writes its side effect; the deployment runs two replicas of it.
const http = require('http');
const { Pool } = require('pg');

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 2 });

async function recordRun() {
  await pool.query('INSERT INTO job_runs (pid, at) VALUES ($1, clock_timestamp())', [process.pid]);
}

setInterval(recordRun, Number(process.env.TICK_MS || 1000));

http.createServer((req, res) => res.end('ok')).listen(0, () => process.send && process.send('listening'));

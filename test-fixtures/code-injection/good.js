const express = require('express');
const { execFile, spawn, exec, execSync } = require('child_process');

const app = express();

// Argument arrays: the value is one argument, never shell syntax.
app.post('/thumbnail', (req, res) => {
  execFile('convert', [req.body.file, '-resize', '200x200', 'thumb.png'], (err) => res.sendStatus(err ? 500 : 204));
});

app.post('/archive', (req, res) => {
  const child = spawn('tar', ['czf', 'out.tgz', req.body.folder], { cwd: '/srv' });
  child.on('close', (code) => res.json({ code }));
});

// Constant commands, with or without a shell.
app.get('/uptime', (req, res) => {
  res.send(execSync('uptime'));
});

const COMMANDS = { disk: 'df -h', memory: 'free -m' };
app.get('/status', (req, res) => {
  exec('git rev-parse HEAD', (err, stdout) => res.send(stdout));
});

// A command built from operator configuration, not from users.
exec(`pg_dump ${process.env.DATABASE_URL} > /backups/nightly.sql`);

// Timers with functions; JSON.parse for data.
app.post('/remind', (req, res) => {
  setTimeout(() => console.log('remind', req.body.user), 1000);
  const settings = JSON.parse(req.body.settingsJson);
  res.json(settings);
});

// eval and exec as method names of other objects.
const db = { exec: (sql) => sql };
db.exec('PRAGMA journal_mode = WAL');
const re = /a(b)/;
re.exec(String(Math.random()));

module.exports = { app, COMMANDS };

// A helper that runs whatever command line its caller passes: nothing is spliced in here.
function runCommand(commandLine, options) {
  return execSync(commandLine, { stdio: 'pipe', ...options }).toString();
}
module.exports.runCommand = runCommand;

const express = require('express');
const { exec, execSync } = require('child_process');
const cp = require('node:child_process');
const util = require('util');
const vm = require('vm');

const app = express();
app.use(express.json());
const runShell = util.promisify(exec);

app.post('/thumbnail', (req, res) => {
  const { file, size } = req.body;
  exec(`convert ${file} -resize ${size}x${size} "thumbs/${file}.png"`, (err) => { // expect: code-injection
    res.sendStatus(err ? 500 : 204);
  });
});

app.get('/disk', (req, res) => {
  const out = cp.execSync('du -sh ' + req.query.dir, { encoding: 'utf8' }); // expect: code-injection
  res.send(out);
});

app.get('/grep', (req, res) => {
  const out = execSync(`grep -r ${req.query.q} logs | head -n 20`); // expect: code-injection
  res.send(out);
});

app.post('/lint', async (req, res) => {
  const { stdout } = await runShell(`eslint ${req.body.path}`); // expect: code-injection
  res.send(stdout);
});

app.post('/settings', (req, res) => {
  const settings = eval('(' + req.body.settingsJson + ')'); // expect: code-injection
  res.json(settings);
});

app.post('/calc', (req, res) => {
  res.json({ result: eval(req.body.expression) }); // expect: code-injection
});

app.post('/rule', (req, res) => {
  const predicate = new Function('order', `return ${req.body.condition};`); // expect: code-injection
  res.json({ matches: predicate({ total: 10 }) });
});

app.post('/sandbox', (req, res) => {
  res.json({ value: vm.runInNewContext(req.body.code, {}) }); // expect: code-injection
});

app.post('/remind', (req, res) => {
  setTimeout('notify("' + req.body.user + '")', 1000); // expect: code-injection
  res.sendStatus(202);
});

app.post('/archive', (req, res) => {
  const child = cp.spawn('tar', ['czf', 'out.tgz', req.body.folder], { cwd: '/srv', shell: true }); // expect: code-injection
  child.on('close', (code) => res.json({ code }));
});

app.post('/video', (req, res) => {
  const command = `ffmpeg -i ${req.body.source} -vf scale=320:-1 previews/${req.body.id}.mp4`;
  exec(command, (err) => res.sendStatus(err ? 500 : 201)); // expect: code-injection
});

app.post('/audit', (req, res) => {
  const line = `git log --author=${req.query.author}`;
  console.log('running', line);
  res.send(execSync(line)); // expect: code-injection
});

module.exports = app;

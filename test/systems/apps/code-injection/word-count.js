// A file-size endpoint that shells out to wc with the caller's file name.
const express = require('express');
const { exec } = require('child_process');

const app = express();
app.use(express.json());

app.post('/count', (req, res) => {
  const { file } = req.body;
  exec(`wc -c ${file}`, { cwd: process.env.WORK_DIR }, (err, stdout) => {
    if (err) return res.status(422).json({ error: 'cannot count' });
    res.json({ output: stdout.trim() });
  });
});

module.exports = app;

// Express 4, Mongoose 6 and openai 3 are installed: these APIs are the current ones there.
const express = require('express');
const { Configuration, OpenAIApi } = require('openai');
const User = require('./models/user');

const app = express();
const openai = new OpenAIApi(new Configuration({ apiKey: process.env.OPENAI_API_KEY }));

app.get('/users/:id', (req, res) => {
  User.findById(req.param('id'), (err, user) => {
    if (err || !user) return res.send(404);
    res.json(user);
  });
});

app.del('/users/:id', (req, res) => res.sendStatus(204));

module.exports = { app, openai };

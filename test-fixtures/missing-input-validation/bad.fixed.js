const express = require('express');
const User = require('./models/user');

const app = express();
app.use(express.json());

app.post('/accounts', async (req, res) => {
  const { email, password } = req.body;
  if (!email || !password) return res.status(400).json({ error: 'email and password required' });
  const user = await User.create({ email, password }); // expect: missing-input-validation
  res.status(201).json({ id: user.id });
});

app.patch('/users/:id', async (req, res) => {
  const user = await User.findById(req.params.id);
  Object.assign(user, { name: req.body.name, bio: req.body.bio }); // expect: missing-input-validation
  await user.save();
  res.json({ id: user.id, name: req.body.name, bio: req.body.bio });
});

app.put('/profile', async (req, res) => {
  const data = req.body;
  await prisma.user.update({ where: { id: req.user.id }, data: { theme: data.theme } }); // expect: missing-input-validation
  res.json({ ok: true, theme: data.theme });
});

app.post('/posts', async (req, res) => {
  const post = new Post({ ...req.body, author: req.user.id }); // expect: missing-input-validation
  await post.save();
  res.status(201).json(post);
});

app.post('/teams', async (req, res) => {
  res.json(await Team.create(req.body)); // expect: missing-input-validation
});

app.post('/campaigns', async (req, res) => {
  res.json(await storage.createCampaign(req.body)); // expect: missing-input-validation
});

app.patch('/me', async (req, res) => {
  const user = await User.findById(req.user.id);
  for (const [key, value] of Object.entries(req.body)) { // expect: missing-input-validation
    user[key] = value;
  }
  await user.save();
  res.sendStatus(204);
});
// vibeguard-disable-file plaintext-password -- this fixture is about missing-input-validation; the password the picked fields keep unhashed is plaintext-password's, with fixtures of its own

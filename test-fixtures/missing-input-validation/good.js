const express = require('express');
const { z } = require('zod');
const { body, validationResult } = require('express-validator');
const crypto = require('crypto');

const app = express();
const Signup = z.object({ email: z.string().email(), password: z.string().min(12) });

// Validated by a zod schema in the handler.
app.post('/accounts', async (req, res) => {
  const input = Signup.parse(req.body);
  res.status(201).json(await User.create(input));
});

// Validated by express-validator middleware.
app.post('/users', body('email').isEmail(), async (req, res) => {
  if (!validationResult(req).isEmpty()) return res.status(400).end();
  res.json(await User.create(req.body));
});

// Explicitly picked fields.
app.put('/profile', async (req, res) => {
  const { name, bio } = req.body;
  await prisma.user.update({ where: { id: req.user.id }, data: { name, bio } });
  res.json({ ok: true });
});

// The body feeds a hash, not a store.
app.post('/hooks/github', (req, res) => {
  const mac = crypto.createHmac('sha256', process.env.GITHUB_SECRET).update(JSON.stringify(req.body)).digest('hex');
  res.json({ mac });
});

// A Fastify-style JSON schema on the route.
app.post('/items', { schema: { body: ItemSchema } }, async (req) => Item.create(req.body));

// Echoing or logging the body stores nothing.
app.post('/echo', (req, res) => res.json({ ...req.body }));

// A field that holds a nested object is not the whole body, and updateTitle gets one field.
app.post('/drafts', async (req, res) => res.json(await drafts.updateTitle(req.params.id, req.body.title)));

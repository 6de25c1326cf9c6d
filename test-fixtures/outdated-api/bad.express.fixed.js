const express = require('express');

const app = express();

app.get('/products/:id', async (req, res) => {
  const product = await findProduct(req.param('id')); // expect: outdated-api
  if (!product) return res.send(404); // expect: outdated-api
  res.json(product);
});

app.delete('/products/:id', async (req, res) => { // expect: outdated-api
  await removeProduct(req.params.id);
  res.sendStatus(204);
});

app.listen(3000);

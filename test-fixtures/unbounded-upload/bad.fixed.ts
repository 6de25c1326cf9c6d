import express from 'express';
import { IncomingForm } from 'formidable';

const app = express();
app.use(express.text({ limit: '10mb' })); // expect: unbounded-upload

app.post('/videos', (req, res) => {
  const form = new IncomingForm({ maxFileSize: 10 * 1024 * 1024 }); // expect: unbounded-upload
  form.parse(req, () => res.sendStatus(202));
});

export default app;

import express from 'express';
import cors from 'cors';
import { api } from './routes/api';
import { webhooks } from './bad';

const app = express();
app.use(cors());
// Stripe posts checkout events here
app.use('/webhooks', webhooks);
app.use(express.json());

app.use('/api', api);

app.listen(Number(process.env.PORT ?? 3000));

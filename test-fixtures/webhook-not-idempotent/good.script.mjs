// scripts/seed-stripe.mjs: run once by hand against test mode; nothing retries it.
import Stripe from 'stripe';

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY);

await stripe.paymentIntents.create({ amount: 1000, currency: 'usd', payment_method: 'pm_card_visa', confirm: true });
await stripe.charges.create({ amount: 500, currency: 'usd', source: 'tok_visa' });

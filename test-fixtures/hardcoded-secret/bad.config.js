// Service wiring for the shop API.
const { Pool } = require('pg')
const Stripe = require('stripe')
const nodemailer = require('nodemailer')
const cookieParser = require('cookie-parser')

const pool = new Pool({
  host: 'db.internal',
  user: 'shop',
  password: 'hunter2', // expect: hardcoded-secret
  database: 'shop',
})

const stripe = Stripe('sk_live_51HxQq2Lk8vR3mT9bXy7PzW4nC6dF0aJ') // expect: hardcoded-secret

const mailer = nodemailer.createTransport({
  host: 'smtp.mailgun.org',
  port: 587,
  auth: { user: 'postmaster@mg.shop.example', pass: 'f3a9c1e7b2d4' }, // expect: hardcoded-secret
})

const cookies = cookieParser('s1gn3d-c00kies') // expect: hardcoded-secret

module.exports = {
  pool,
  stripe,
  mailer,
  cookies,
  github: {
    clientId: 'Iv1.8a61f9b3a7aba766',
    clientSecret: '3f8e2d1c9b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e', // expect: hardcoded-secret
  },
  mongoUrl: 'mongodb+srv://admin:S3cr3tPa55@cluster0.ab1cd.mongodb.net/shop', // expect: hardcoded-secret
  webhooks: { signingSecret: 'wh-8d7c6b5a4f3e2d1c' }, // expect: hardcoded-secret
  stripeWebhookSecret: 'whsec_7Hq2Lm9Xv4Rz8Tk3Wp6Yb1Nc5Dd0Ff2G', // expect: hardcoded-secret
}

// Service wiring for the shop API.
const { Pool } = require('pg')
const Stripe = require('stripe')
const nodemailer = require('nodemailer')
const cookieParser = require('cookie-parser')

// Reads a required environment variable and throws when it is unset, so the app never runs without it.
function requireEnv(name) {
  const value = process.env[name]
  if (!value) throw new Error(`Missing environment variable ${name}`)
  return value
}

const pool = new Pool({
  host: 'db.internal',
  user: 'shop',
  password: requireEnv('DB_PASSWORD'), // expect: hardcoded-secret
  database: 'shop',
})

const stripe = Stripe(requireEnv('STRIPE_SECRET_KEY')) // expect: hardcoded-secret

const mailer = nodemailer.createTransport({
  host: 'smtp.mailgun.org',
  port: 587,
  auth: { user: 'postmaster@mg.shop.example', pass: requireEnv('SMTP_PASSWORD') }, // expect: hardcoded-secret
})

const cookies = cookieParser(requireEnv('COOKIE_SECRET')) // expect: hardcoded-secret

module.exports = {
  pool,
  stripe,
  mailer,
  cookies,
  github: {
    clientId: 'Iv1.8a61f9b3a7aba766',
    clientSecret: requireEnv('GITHUB_CLIENT_SECRET'), // expect: hardcoded-secret
  },
  mongoUrl: requireEnv('MONGO_URL'), // expect: hardcoded-secret
  webhooks: { signingSecret: requireEnv('WEBHOOKS_SIGNING_SECRET') }, // expect: hardcoded-secret
  stripeWebhookSecret: requireEnv('STRIPE_WEBHOOK_SECRET'), // expect: hardcoded-secret
}

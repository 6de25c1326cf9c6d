// Settings come from the environment; empty fallbacks only where a local default is harmless.
const session = require('express-session')
const { Pool } = require('pg')

const pool = new Pool({ connectionString: process.env.DATABASE_URL })

const sessionMiddleware = session({
  secret: process.env.SESSION_SECRET,
  resave: false,
  saveUninitialized: false,
  cookie: { httpOnly: true, secure: true, sameSite: 'lax' },
})

module.exports = {
  pool,
  sessionMiddleware,
  smtp: {
    host: process.env.SMTP_HOST || 'localhost',
    user: process.env.SMTP_USER || '',
    password: process.env.SMTP_PASSWORD || '',
  },
  github: { clientId: process.env.GITHUB_CLIENT_ID, clientSecret: process.env.GITHUB_CLIENT_SECRET },
}

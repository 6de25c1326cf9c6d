// Copy to config.js and fill in: every value below is a placeholder.
module.exports = {
  jwtSecret: 'changeme',
  apiKey: 'your-api-key-here',
  stripeSecretKey: 'sk_test_...',
  databaseUrl: 'postgres://user:password@localhost:5432/app',
  smtp: { user: 'me@example.com', password: 'app-password' },
  session: { secret: 'keyboard cat' },
}

// Central place for settings. Everything comes from the environment so the same build runs
// locally, in staging and in production.
module.exports = {
  port: Number(process.env.PORT) || 3000,
  appUrl: process.env.APP_URL || 'http://localhost:3000',
  github: {
    clientId: process.env.GITHUB_CLIENT_ID,
    clientSecret: process.env.GITHUB_CLIENT_SECRET,
    callbackUrl: `${process.env.APP_URL || 'http://localhost:3000'}/auth/github/callback`,
  },
  smtp: {
    host: process.env.SMTP_HOST || 'localhost',
    user: process.env.SMTP_USER || '',
    // Local mail catchers (MailHog, Mailpit) accept any login, so an empty password is fine in dev.
    password: process.env.SMTP_PASSWORD || '',
  },
};

const express = require('express');
const session = require('express-session');
const cookieSession = require('cookie-session');

const app = express();

app.use(session({ secret: process.env.SESSION_SECRET, resave: false, saveUninitialized: false })); // expect: insecure-token-storage

const admin = express.Router();
admin.use(session({ // expect: insecure-token-storage
  secret: process.env.ADMIN_SESSION_SECRET,
  resave: false,
  saveUninitialized: false,
  cookie: {
    maxAge: 8 * 3600 * 1000,
    secure: false,
  },
}));

const legacy = express.Router();
legacy.use(cookieSession({ name: 'legacy', keys: [process.env.LEGACY_KEY], maxAge: 24 * 3600 * 1000 })); // expect: insecure-token-storage

module.exports = { app, admin, legacy };

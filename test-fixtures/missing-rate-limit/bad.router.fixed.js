// Mounted at /account by app.js with no limiter.
const express = require('express');

const router = express.Router();
const authLimiter = rateLimit({ windowMs: 15 * 60 * 1000, limit: 5 });

router.post('/signup', authLimiter, createAccount);
router.post('/reset-password', authLimiter, resetPassword); // expect: missing-rate-limit

module.exports = router;

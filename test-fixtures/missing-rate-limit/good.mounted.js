// Mounted at /auth by app.js behind apiLimiter.
const express = require('express');

const router = express.Router();

router.post('/login', logIn);
router.post('/register', register);

module.exports = router;

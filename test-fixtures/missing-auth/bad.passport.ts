import express from 'express';
import passport from 'passport';

export const router = express.Router();

router.get('/profile', passport.authenticate('jwt', { session: false }), (req, res) => res.json(req.body));

router.post('/payouts', async (req, res) => { // expect: missing-auth
  const payout = await createPayout(req.body.amount);
  res.json(payout);
});

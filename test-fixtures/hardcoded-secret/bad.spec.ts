import jwt from 'jsonwebtoken';
import Stripe from 'stripe';

// Test code: findings here are reported below error severity and offer no fix.
const TEST_SECRET = 'test-jwt-secret'; // expect: hardcoded-secret

process.env.JWT_SECRET = 'integration-secret-123'; // expect: hardcoded-secret

export const stripe = new Stripe('sk_test_51HxQq2Lk8vR3mT9bXy7PzW4nC6dF0aJ'); // expect: hardcoded-secret

export function tokenFor(userId: string) {
  return jwt.sign({ sub: userId }, TEST_SECRET, { expiresIn: '1h' });
}

export const adminUser = { email: 'ada@example.com', password: 'correct-horse-battery' }; // expect: hardcoded-secret

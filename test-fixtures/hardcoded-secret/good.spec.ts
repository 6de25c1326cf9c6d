import jwt from 'jsonwebtoken';
import Stripe from 'stripe';

// Test code: fake secrets, test-mode keys and fixture passwords are what tests are made of; silent.
const TEST_SECRET = 'test-jwt-secret';

process.env.JWT_SECRET = 'integration-secret-123';

export const stripe = new Stripe('sk_test_51HxQq2Lk8vR3mT9bXy7PzW4nC6dF0aJ');

export function tokenFor(userId: string) {
  return jwt.sign({ sub: userId }, TEST_SECRET, { expiresIn: '1h' });
}

export const adminUser = { email: 'ada@example.com', password: 'correct-horse-battery' };

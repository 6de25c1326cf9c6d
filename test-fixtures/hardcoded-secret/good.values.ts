// Values under credential-like names that are not credentials, and credentials that open nothing.
import Stripe from 'stripe';
import { Resend } from 'resend';
import { DataSource } from 'typeorm';

// Third-party keys with a placeholder fallback so the build runs without them: the placeholder
// authenticates nowhere, calls simply fail until the variable is set.
export const stripe = new Stripe(process.env.STRIPE_SECRET_KEY || 'sk_test_placeholder');
export const resend = new Resend(process.env.RESEND_API_KEY ?? 'placeholder');
export const billing = new Stripe(process.env.BILLING_KEY || 'sk_test_dummy_key');

// The TypeORM CLI's data source for a developer's own database on this machine.
export const dataSource = new DataSource({
  type: 'postgres',
  host: process.env.DB_HOST || 'localhost',
  username: process.env.DB_USERNAME || 'postgres',
  password: process.env.DB_PASSWORD || 'postgres',
  database: 'orders',
});
export const brokerUrl = process.env.AMQP_URL || 'amqp://guest:guest@127.0.0.1:5672';

// Lookup keys, storage keys and metadata keys named *_KEY: the value names a slot.
export const PLAN_LIMITS_KEY = 'plan_limits_requirement';
export const WATCH_SYNC_AUTH_KEY = 'app_watch_sync_auth';
const EVENT_KEY = '.bs.collapse';
export const DATA_API_KEY = `${EVENT_KEY}.data-api`;

// Error codes and translated messages about the password field.
export function loginErrors(res: { status(n: number): { json(b: unknown): void } }) {
  res.status(422).json({ errors: { password: 'incorrectPassword', token: 'expiredToken' } });
}
export const messagesJa = { password: 'パスワードは8文字以上で入力してください' };

// A seed account stored as its hash and salt, never as its password.
export const seedAdmin = {
  email: 'ops@example.org',
  salt: 'q8Jr2v',
  password: 'a3f1c9e0b7d24e6f8a1b3c5d7e9f0a2b4c6d8e0f1a3b5c7d9e1f3a5b7c9d1e3f5a7b9c1d3e5f7a9b1c3d5e7f9a1b3c5d7e9f1a3b5c7d9e1f3a5b7c9d1e3f5a7b',
};

// Values the app refuses at start-up: a list it tests the configured secret against.
const INSECURE_SECRET_VALUES = ['changeme', 'secret', 'dev-secret-do-not-use', 's3cr3t-default'];
export function assertStrongSecret(secret: string) {
  if (INSECURE_SECRET_VALUES.includes(secret)) throw new Error('set a real SESSION_SECRET');
}

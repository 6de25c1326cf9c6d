import { createHmac } from 'crypto';

// Reads a required environment variable and throws when it is unset, so the app never runs without it.
function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Missing environment variable ${name}`);
  return value;
}

// The app's own secrets with a published default: any deployment that forgets the variable signs
// with a key everyone can read here.
const CSRF_KEY = requireEnv('CSRF_SECRET'); // expect: hardcoded-secret
const TOTP_ENCRYPTION_KEY = requireEnv('TOTP_ENCRYPTION_KEY'); // expect: hardcoded-secret

export function csrfToken(session: string): string {
  return createHmac('sha256', CSRF_KEY).update(session).digest('hex');
}

export function totpKey(): string {
  return TOTP_ENCRYPTION_KEY;
}

// A seeded account whose password anyone can read: reported at info.
export const seedUsers = [
  { username: 'owner', email: 'owner@example.org', password: requireEnv('SEED_USERS_PASSWORD') }, // expect: hardcoded-secret
];

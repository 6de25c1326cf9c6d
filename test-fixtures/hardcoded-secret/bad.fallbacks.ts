import { createHmac } from 'crypto';

// The app's own secrets with a published default: any deployment that forgets the variable signs
// with a key everyone can read here.
const CSRF_KEY = process.env.CSRF_SECRET || 'default-csrf-secret-change-in-production'; // expect: hardcoded-secret
const TOTP_ENCRYPTION_KEY = process.env.TOTP_ENCRYPTION_KEY || 'default-key-change-in-production'; // expect: hardcoded-secret

export function csrfToken(session: string): string {
  return createHmac('sha256', CSRF_KEY).update(session).digest('hex');
}

export function totpKey(): string {
  return TOTP_ENCRYPTION_KEY;
}

// A seeded account whose password anyone can read: reported at info.
export const seedUsers = [
  { username: 'owner', email: 'owner@example.org', password: 'Own3r-Pa55!' }, // expect: hardcoded-secret
];

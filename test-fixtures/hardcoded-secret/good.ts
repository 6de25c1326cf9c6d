import jwt from 'jsonwebtoken';
import { SecretsManagerClient, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { SecretManagerServiceClient } from '@google-cloud/secret-manager';
import Stripe from 'stripe';
import { initializeApp } from 'firebase/app';
import { createClient } from '@supabase/supabase-js';

// Environment reads, including empty fallbacks and non-null assertions.
const JWT_SECRET = process.env.JWT_SECRET!;
const SMTP_PASSWORD = process.env.SMTP_PASSWORD || '';
const apiKey = process.env.OPENAI_API_KEY ?? '';
export const stripe = new Stripe(process.env.STRIPE_SECRET_KEY as string);
export const config = {
  clientSecret: process.env.GITHUB_CLIENT_SECRET,
  database: { password: process.env.DB_PASSWORD || '' },
  appUrl: process.env.APP_URL || 'http://localhost:3000',
};

export function sign(userId: string) {
  return jwt.sign({ sub: userId }, JWT_SECRET, { expiresIn: '1h' });
}

// Empty values and obvious placeholders.
export const emptyDefaults = { password: '', token: '', apiKey: 'your-api-key-here', secret: '<secret>', clientSecret: '${CLIENT_SECRET}', accessToken: 'xxx', privateKey: 'changeme' };

// UI labels, placeholders, messages and i18n strings.
export const FIELD_LABELS = { email: 'Email', password: 'Password', confirmPassword: 'Confirm password' };
export const passwordInput = { type: 'password', name: 'password', placeholder: '••••••••', autoComplete: 'current-password' };
export const messages = {
  en: { password: 'Password', passwordHint: 'At least 12 characters', token: 'Access token' },
  de: { password: 'Passwort', forgotPassword: 'Passwort vergessen?' },
  es: { password: 'Contraseña', secret: 'Secreto' },
};
export const errors = { password: 'Invalid password', token: 'Your session has expired, please sign in again' };

// Key names: headers, storage keys, form fields, env var names.
const TOKEN_HEADER = 'authorization';
const API_KEY_HEADER = 'x-api-key';
const passwordField = 'password';
const TOKEN_STORAGE_KEY = 'auth_token';
const apiKeyEnvVar = 'OPENAI_API_KEY';
export const fieldNames = { email: 'email', password: 'password' };
export function readKey(headers: Record<string, string | undefined>) {
  return headers['x-api-key'] ?? headers[API_KEY_HEADER] ?? headers[TOKEN_HEADER] ?? localStorage.getItem(TOKEN_STORAGE_KEY) ?? process.env[apiKeyEnvVar] ?? passwordField;
}

// Password comparisons and validation.
const COMMON_PASSWORDS = new Set(['password', '123456', 'qwerty123', 'letmein']);
export function validate(password: string, confirmation: string) {
  if (password.length < 12) return 'Password must be at least 12 characters';
  if (password !== confirmation) return 'Passwords do not match';
  if (COMMON_PASSWORDS.has(password.toLowerCase())) return 'Choose a less common password';
  return null;
}

// Values read from a secret manager.
export async function loadSigningKey() {
  const aws = new SecretsManagerClient({});
  const res = await aws.send(new GetSecretValueCommand({ SecretId: 'prod/api/jwt-secret' }));
  const gcp = new SecretManagerServiceClient();
  const [version] = await gcp.accessSecretVersion({ name: 'projects/shop/secrets/stripe-key/versions/latest' });
  return { jwtSecret: res.SecretString, stripeKey: version.payload?.data?.toString() };
}

// Look-alikes: prefixes, markers, documented example keys, placeholder credentials, non-secret tokens.
export function describeKey(key: string) {
  if (key.startsWith('sk_live_')) return 'live';
  if (key.startsWith('-----BEGIN PRIVATE KEY-----')) return 'pem';
  return key.replace('-----BEGIN RSA PRIVATE KEY-----', '').length;
}
export const docs = {
  awsExample: 'AKIAIOSFODNN7EXAMPLE',
  stripeExample: 'sk_test_xxxxxxxxxxxxxxxxxxxxxxxx',
  connectionExample: 'postgres://user:password@localhost:5432/app',
  templated: `postgres://${process.env.DB_USER}:${process.env.DB_PASSWORD}@db.internal/app`,
  fetchOptions: { credentials: 'include' },
};
export const llm = { maxTokens: 1024, nextToken: '', pageToken: 'eyJwYWdlIjoyfQ', publicKey: 'pk_live_51HxQq2Lk8vR3mT9bXy7PzW4nC6dF0aJ' };
export const authHeaders = (token: string) => ({ Authorization: `Bearer ${token}`, 'x-api-key': apiKey, SMTP_PASSWORD });
export const schemaDocs = { properties: { email: 'string', password: 'string' }, example: { email: 'ada@example.com', password: 's3cret-Pass!' } };
export const validationRules = { password: '^(?=.*[A-Z])(?=.*\\d).{12,}$', tokenExpiry: '1h', grant_type: 'password', INVALID_TOKEN: 'invalid_token' };

// Public by design: a Firebase web config and a Supabase anon key ship to every browser.
export const firebase = initializeApp({ apiKey: 'AIzaSyD4fT9xQ2mL8vR3nW7bY1cZ5hJ0kD6gSa1', authDomain: 'shop-123.firebaseapp.com', projectId: 'shop-123', messagingSenderId: '1234567890' });
export const supabase = createClient('https://abcdefgh.supabase.co', 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZSIsInJlZiI6ImFiY2RlZmdoIiwicm9sZSI6ImFub24iLCJpYXQiOjE3MDAwMDAwMDAsImV4cCI6MjAwMDAwMDAwMH0.Xk3v9Qm2Lr8Tz5Wp1Yb7Nc4Hd6Jf0Gs');

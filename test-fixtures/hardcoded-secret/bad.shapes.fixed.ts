import Anthropic from '@anthropic-ai/sdk';
import { Octokit } from '@octokit/rest';
import { WebClient } from '@slack/web-api';
import { S3Client } from '@aws-sdk/client-s3';
import { createClient } from '@supabase/supabase-js';

// Reads a required environment variable and throws when it is unset, so the app never runs without it.
function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Missing environment variable ${name}`);
  return value;
}

export const slack = new WebClient(requireEnv('SLACK_TOKEN')); // expect: hardcoded-secret
export const octokit = new Octokit({ auth: requireEnv('GITHUB_TOKEN') }); // expect: hardcoded-secret
export const releaseBot = new Octokit({ auth: requireEnv('GITHUB_TOKEN_2') }); // expect: hardcoded-secret
const reportingKey = requireEnv('STRIPE_SECRET_KEY'); // expect: hardcoded-secret
export const anthropic = new Anthropic({
  apiKey: requireEnv('ANTHROPIC_API_KEY'), // expect: hardcoded-secret
});

export const supabaseAdmin = createClient(
  'https://abcdefgh.supabase.co',
  requireEnv('SUPABASE_SERVICE_ROLE_KEY'), // expect: hardcoded-secret
);

export const s3 = new S3Client({
  region: 'eu-west-1',
  credentials: {
    accessKeyId: requireEnv('AWS_ACCESS_KEY_ID'), // expect: hardcoded-secret
    secretAccessKey: requireEnv('AWS_SECRET_ACCESS_KEY'), // expect: hardcoded-secret
  },
});

const privateKey = requireEnv('PRIVATE_KEY'); // expect: hardcoded-secret

export function mapsScriptUrl(callback: string) {
  return `https://maps.googleapis.com/maps/api/js?key=AIzaSyD4fT9xQ2mL8vR3nW7bY1cZ5hJ0kD6gSa1&callback=${callback}`; // expect: hardcoded-secret
}

export function replicaUrl(host: string) {
  return `postgres://reporting:R3p0rt1ng-2024@${host}:5432/analytics`; // expect: hardcoded-secret
}

export function signingKey() {
  return { privateKey, reportingKey };
}

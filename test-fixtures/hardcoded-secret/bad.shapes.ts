import Anthropic from '@anthropic-ai/sdk';
import { Octokit } from '@octokit/rest';
import { WebClient } from '@slack/web-api';
import { S3Client } from '@aws-sdk/client-s3';
import { createClient } from '@supabase/supabase-js';

export const slack = new WebClient('xoxb-2048137645-4102938475610-aZ9kQ3wL7mN2pR5tV8yB'); // expect: hardcoded-secret
export const octokit = new Octokit({ auth: 'ghp_4fT9xQ2mL8vR3nW7bY1cZ5hJ0kD6gSa1B2c3' }); // expect: hardcoded-secret
export const releaseBot = new Octokit({ auth: 'github_pat_11AB2CD3E0x9Yq8Wr7Vt6Us5_Tr4Qp3On2Ml1Kj0Ih9Gf8Ed7Cc6Bb5Aa4Zz3Yy2Xx1Ww' }); // expect: hardcoded-secret
const reportingKey = 'rk_live_51HxQq2Lk8vR3mT9bXy7PzW4nC6dF0aJ'; // expect: hardcoded-secret
export const anthropic = new Anthropic({
  apiKey: 'sk-ant-api03-Zx8Kq2Lm4Np6Rt8Vw0Yb2Dd4Ff6Hh8Jj0', // expect: hardcoded-secret
});

export const supabaseAdmin = createClient(
  'https://abcdefgh.supabase.co',
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZSIsInJlZiI6ImFiY2RlZmdoIiwicm9sZSI6InNlcnZpY2Vfcm9sZSIsImlhdCI6MTcwMDAwMDAwMCwiZXhwIjoyMDAwMDAwMDAwfQ.Xk3v9Qm2Lr8Tz5Wp1Yb7Nc4Hd6Jf0Gs', // expect: hardcoded-secret
);

export const s3 = new S3Client({
  region: 'eu-west-1',
  credentials: {
    accessKeyId: 'AKIA4HJ6K2L9M3N5P7Q8', // expect: hardcoded-secret
    secretAccessKey: 'q7Rr2Kx9Vb4Mn8Lp3Zt6Wy1Hc5Jd0Fg+Se2Ua7Io', // expect: hardcoded-secret
  },
});

const privateKey = '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\nVTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK\n-----END RSA PRIVATE KEY-----\n'; // expect: hardcoded-secret

export function mapsScriptUrl(callback: string) {
  return `https://maps.googleapis.com/maps/api/js?key=AIzaSyD4fT9xQ2mL8vR3nW7bY1cZ5hJ0kD6gSa1&callback=${callback}`; // expect: hardcoded-secret
}

export function replicaUrl(host: string) {
  return `postgres://reporting:R3p0rt1ng-2024@${host}:5432/analytics`; // expect: hardcoded-secret
}

export function signingKey() {
  return { privateKey, reportingKey };
}

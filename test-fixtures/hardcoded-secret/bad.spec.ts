import { Octokit } from '@octokit/rest';
import Stripe from 'stripe';

// Test code is silent except for keys that work against a real account: those leak from a test
// file exactly as from application code.
export const stripe = new Stripe('sk_live_51HxQq2Lk8vR3mT9bXy7PzW4nC6dF0aJ'); // expect: hardcoded-secret

export const octokit = new Octokit({ auth: 'ghp_LwX8jKvW7iJuV6hItU5gHsT4fGrS3eFqR2dE' }); // expect: hardcoded-secret

export const fakeKey = 'sk_test_51HxQq2Lk8vR3mT9bXy7PzW4nC6dF0aJ';

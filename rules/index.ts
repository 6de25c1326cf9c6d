// The rule registry. Adding a rule: create rules/<category>/<rule-id>.ts exporting
// defineRule({...}) as default, add it here, and add test-fixtures/<rule-id>/.
import type { Rule } from './kit/rule';
import tokenInUrl from './security/token-in-url';
import connectionPerRequest from './reliability/connection-per-request';
import sqlInjection from './security/sql-injection';
import hardcodedSecret from './security/hardcoded-secret';
import webhookUnverified from './security/webhook-unverified';
import webhookNotIdempotent from './security/webhook-not-idempotent';
import unboundedConcurrency from './reliability/unbounded-concurrency';
import nPlusOne from './reliability/n-plus-one';
import unboundedQuery from './reliability/unbounded-query';
import quadraticLoop from './reliability/quadratic-loop';
import dualWrite from './reliability/dual-write';

export const allRules: readonly Rule[] = [
  tokenInUrl,
  connectionPerRequest,
  sqlInjection,
  hardcodedSecret,
  webhookUnverified,
  webhookNotIdempotent,
  unboundedConcurrency,
  nPlusOne,
  unboundedQuery,
  quadraticLoop,
  dualWrite,
];

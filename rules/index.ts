// The rule registry. Adding a rule: create rules/<category>/<rule-id>.ts exporting
// defineRule({...}) as default, add it here, and add test-fixtures/<rule-id>/.
import type { Rule } from './kit/rule';
import tokenInUrl from './security/token-in-url';
import connectionPerRequest from './reliability/connection-per-request';
import sqlInjection from './security/sql-injection';
import hardcodedSecret from './security/hardcoded-secret';
import webhookUnverified from './security/webhook-unverified';
import webhookNotIdempotent from './security/webhook-not-idempotent';
import missingAuth from './security/missing-auth';
import missingRateLimit from './security/missing-rate-limit';
import missingInputValidation from './security/missing-input-validation';

export const allRules: readonly Rule[] = [
  tokenInUrl,
  connectionPerRequest,
  sqlInjection,
  hardcodedSecret,
  webhookUnverified,
  webhookNotIdempotent,
  missingAuth,
  missingRateLimit,
  missingInputValidation,
];

// The rule registry. Adding a rule: create rules/<category>/<rule-id>.ts exporting
// defineRule({...}) as default, add it here, and add test-fixtures/<rule-id>/.
import type { Rule } from './kit/rule';
import tokenInUrl from './security/token-in-url';
import connectionPerRequest from './reliability/connection-per-request';
import sqlInjection from './security/sql-injection';
import hardcodedSecret from './security/hardcoded-secret';
import webhookUnverified from './security/webhook-unverified';
import webhookNotIdempotent from './security/webhook-not-idempotent';
import timingUnsafeCompare from './security/timing-unsafe-compare';
import plaintextPassword from './security/plaintext-password';
import insecureRandomness from './security/insecure-randomness';
import jwtMisuse from './security/jwt-misuse';
import insecureTokenStorage from './security/insecure-token-storage';
import sessionFixation from './security/session-fixation';
import codeInjection from './security/code-injection';
import ssrf from './security/ssrf';
import corsMisconfig from './security/cors-misconfig';
import unboundedUpload from './security/unbounded-upload';
import missingAuth from './security/missing-auth';
import missingRateLimit from './security/missing-rate-limit';
import missingTimeout from './reliability/missing-timeout';
import queueClaimRace from './reliability/queue-claim-race';
import lostUpdate from './reliability/lost-update';
import unboundedConcurrency from './reliability/unbounded-concurrency';
import nPlusOne from './reliability/n-plus-one';
import missingInputValidation from './security/missing-input-validation';
import swallowedError from './reliability/swallowed-error';
import unboundedQuery from './reliability/unbounded-query';
import quadraticLoop from './reliability/quadratic-loop';
import dualWrite from './reliability/dual-write';
import outdatedApi from './reliability/outdated-api';
import duplicatedScheduler from './reliability/duplicated-scheduler';
import missingIndex from './reliability/missing-index';
import incompleteDeletion from './reliability/incomplete-deletion';

export const allRules: readonly Rule[] = [
  tokenInUrl,
  connectionPerRequest,
  sqlInjection,
  hardcodedSecret,
  webhookUnverified,
  webhookNotIdempotent,
  timingUnsafeCompare,
  plaintextPassword,
  insecureRandomness,
  jwtMisuse,
  insecureTokenStorage,
  sessionFixation,
  codeInjection,
  ssrf,
  corsMisconfig,
  unboundedUpload,
  missingAuth,
  missingRateLimit,
  missingTimeout,
  queueClaimRace,
  lostUpdate,
  unboundedConcurrency,
  nPlusOne,
  missingInputValidation,
  swallowedError,
  unboundedQuery,
  quadraticLoop,
  dualWrite,
  outdatedApi,
  duplicatedScheduler,
  missingIndex,
  incompleteDeletion,
];

// The rule registry. Adding a rule: create rules/<category>/<rule-id>.ts exporting
// defineRule({...}) as default, add it here, and add test-fixtures/<rule-id>/.
import type { Rule } from './kit/rule';
import sqlInjection from './security/sql-injection';

export const allRules: readonly Rule[] = [
  sqlInjection,
];

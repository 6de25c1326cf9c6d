// One definition of test code, shared by every rule: the runners' conventions, scripts whose
// name says they test, and the workspace's own patterns from .vibeguard.json.
import * as assert from 'assert';
import { isTestPath } from '../rules/kit/frameworks/test-code';
import { DEFAULT_CONFIG, validateConfig } from '../server/src/config';
import { RULE_IDS } from '../server/src/engine';
import { isTestCode } from '../server/src/testFiles';
import { engine } from './harness/fixtures';

describe('test code', () => {
  const tests = [
    'src/users.test.ts', 'src/users.spec.js', 'app/__tests__/login.ts', 'test/helpers.js', 'tests/conftest.py',
    'e2e/checkout.ts', 'cypress/support/commands.js', 'playwright/fixtures.ts', 'shop/tests.py', 'shop/test_views.py',
    'shop/views_test.py', 'scripts/test-rate-limit.ts', 'scripts/load_test.py', 'server/src/middleware/installCypressServerCommand.ts',
    'jest.setup.ts', 'vitest.config.ts', 'src/__mocks__/stripe.ts', 'fixtures/users.js', 'app/core/settings/test.py',
  ];
  const app = [
    'src/users.ts', 'src/testimonials.tsx', 'src/contest.py', 'api/openapi.spec.yaml.ts', 'src/latest.ts',
    'src/mocks.ts', 'test-fixtures/sql-injection/bad.ts', 'src/attestation.ts',
  ];
  for (const p of tests) it(`${p} is test code`, () => assert.strictEqual(isTestPath(p, true), true));
  for (const p of app) it(`${p} is application code`, () => assert.strictEqual(isTestPath(p, true), false));

  it('only the folders near an absolute path count when the workspace root is unknown', () => {
    assert.strictEqual(isTestPath('/tmp/test/a/b/c/d/server.js', false), false);
    assert.strictEqual(isTestPath('/home/u/app/tests/api.py', false), true);
  });

  it('adds the workspace patterns and can turn the conventions off', () => {
    const { config, problems } = validateConfig({ testFiles: { patterns: ['qa/**'], builtin: false } }, '.vibeguard.json', RULE_IDS);
    assert.deepStrictEqual(problems, []);
    assert.strictEqual(isTestCode('/w/qa/load.js', config, '/w'), true);
    assert.strictEqual(isTestCode('/w/src/a.test.js', config, '/w'), false);
    assert.strictEqual(isTestCode('/w/src/a.test.js', DEFAULT_CONFIG, '/w'), true);
  });

  it('reports invalid testFiles settings by key', () => {
    const { problems } = validateConfig({ testFiles: { patterns: 'qa', findings: 'some', extra: 1 } }, '.vibeguard.json', RULE_IDS);
    assert.deepStrictEqual(problems.map((p) => p.key), ['testFiles.patterns', 'testFiles.findings', 'testFiles.extra']);
  });
});

describe('rules in test code', () => {
  const code = [
    "const db = require('./db');",
    "app.get('/u', async (req, res) => { res.json(await db.query(`SELECT * FROM users WHERE id = ${req.query.id}`)); });",
    "const jwtSecret = 'not-a-real-secret-for-tests';",
    "const live = 'sk_live_51HxQq2Lk8vR3mT9bXy7PzW4nC6dF0aJ';",
  ].join('\n');
  const analyse = async (findings: 'live-keys' | 'all' | 'none') => {
    const config = { ...DEFAULT_CONFIG, testFiles: { ...DEFAULT_CONFIG.testFiles, findings } };
    return (await engine()).analyze('/w/src/__tests__/users.test.js', code, { config, workspaceRoot: '/w' }).findings.map((f) => `${f.ruleId}:${f.severity}`);
  };

  it('reports only live provider keys by default', async () => {
    assert.deepStrictEqual(await analyse('live-keys'), ['hardcoded-secret:error']);
  });
  it('reports everything when asked, at info but for live keys', async () => {
    assert.deepStrictEqual((await analyse('all')).sort(), ['hardcoded-secret:error', 'hardcoded-secret:info', 'sql-injection:info']);
  });
  it('reports nothing when told so', async () => {
    assert.deepStrictEqual(await analyse('none'), []);
  });
});

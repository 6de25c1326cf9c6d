// What counts as test code, by the conventions of the test runners the catalog's ecosystems use
// (Jest, Vitest, Mocha, Cypress, Playwright, pytest, unittest, Django's test runner). Test code
// holds fake credentials, payloads and throwaway databases on purpose, so rules stay silent there
// (except for live provider keys, which are real wherever they sit).

/** Folders whose files are tests, fixtures or test doubles. */
const TEST_DIRS = new Set([
  '__tests__', '__mocks__', '__fixtures__', 'test', 'tests', 'spec', 'specs', 'e2e', 'cypress', 'playwright',
  'fixtures', 'mocks', 'testing', 'test_utils', 'test-utils', 'testutils',
]);

/** Runner conventions for test files: `*.test.ts`, `*.spec.js`, `*.e2e.ts`, `*.cy.ts`; pytest and Django. */
const TEST_FILE = /\.(?:test|spec|e2e|cy|e2e-spec)\.[cm]?[jt]sx?$|^(?:test_.*|.*_test|tests?|conftest)\.py$/i;

/**
 * Words that, in a file name, say it tests (`scripts/test-rate-limit.ts`, `load_test.py`,
 * `installCypressServerCommand.ts`, `jest.setup.ts`, `playwright.config.ts`). `spec` and `mock`
 * are left out: OpenAPI specs and mock-data modules are often application code.
 */
const TEST_WORDS = new Set(['test', 'tests', 'e2e', 'cypress', 'playwright', 'jest', 'vitest', 'mocha', 'pytest']);

/** Words of a file name: `installCypressServerCommand` → install, cypress, server, command. */
function nameWords(base: string): string[] {
  const stem = base.replace(/\.[^.]+$/, '');
  return stem.replace(/([a-z0-9])([A-Z])/g, '$1 $2').split(/[\s._-]+/).filter(Boolean).map((w) => w.toLowerCase());
}

/**
 * True when a file is test code by the built-in conventions. `relPath` is relative to the
 * workspace root when that is known (every folder counts); for an absolute path only the four
 * folders nearest the file count, so a checkout under `/tmp/test/` is not a test suite.
 */
export function isTestPath(relPath: string, rootKnown: boolean): boolean {
  const p = relPath.replace(/\\/g, '/');
  const parts = p.split('/').filter(Boolean);
  const base = parts.pop() ?? '';
  if (TEST_FILE.test(base)) return true;
  if (nameWords(base).some((w) => TEST_WORDS.has(w))) return true;
  const dirs = rootKnown ? parts : parts.slice(-4);
  return dirs.some((d) => TEST_DIRS.has(d.toLowerCase()));
}

/** Example and template files (`config.example.js`, `settings.sample.py`) carry placeholders by design. */
export function isExampleFile(file: string): boolean {
  const base = file.replace(/\\/g, '/').split('/').pop() ?? '';
  return /\.(?:example|sample|template|tmpl|dist)\./i.test(base);
}

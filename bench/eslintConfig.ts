// The peer set, as one flat config shared by the in-process timing and the ESLint CLI run:
// ESLint 9 with eslint-plugin-security (recommended), @microsoft/eslint-plugin-sdl (recommended)
// and eslint-plugin-no-secrets, TypeScript files through @typescript-eslint/parser.
/* eslint-disable @typescript-eslint/no-require-imports */
import type { Linter } from 'eslint';

export function peerConfig(): Linter.Config[] {
  const security = require('eslint-plugin-security');
  const sdl = require('@microsoft/eslint-plugin-sdl');
  const noSecrets = require('eslint-plugin-no-secrets');
  const tsParser = require('@typescript-eslint/parser');
  return [
    { files: ['**/*.{js,jsx,mjs,cjs,ts,tsx,mts,cts}'], languageOptions: { ecmaVersion: 'latest', sourceType: 'module' } },
    // SDL's recommended set registers its own copy of the security plugin; ESLint refuses two
    // plugins under one name, so that entry gives way to the security config below.
    ...(sdl.configs.recommended as Linter.Config[]).filter((c) => !c.plugins?.security),
    security.configs.recommended as Linter.Config,
    { plugins: { 'no-secrets': noSecrets }, rules: { 'no-secrets/no-secrets': 'error' } },
    { files: ['**/*.{ts,tsx,mts,cts}'], languageOptions: { parser: tsParser } },
  ];
}

/** Rules the set enables, for the report. */
export function peerRuleCount(config: Linter.Config[]): number {
  const on = new Set<string>();
  for (const c of config) for (const [id, v] of Object.entries(c.rules ?? {})) {
    const level = Array.isArray(v) ? v[0] : v;
    if (level === 'off' || level === 0) on.delete(id); else on.add(id);
  }
  return on.size;
}

// Where a rule's documentation lives on the web: one function shared by the CLI (SARIF helpUri)
// and the language server (Diagnostic.codeDescription.href), so both always link the same page.
import * as fs from 'fs';
import * as path from 'path';

export interface PackageInfo {
  name: string;
  version: string;
  /** Web address of the repository (no `git+` prefix, no `.git` suffix). */
  repositoryUrl: string;
}

const FALLBACK: PackageInfo = { name: 'vibeguard', version: '0.0.0', repositoryUrl: 'https://example.invalid/vibeguard' };
let cached: PackageInfo | undefined;

/**
 * The extension's package.json, found by walking up from this module: the bundles live in dist/,
 * compiled tests in out*\/server/src, so a fixed relative path would be wrong in one of them.
 */
export function packageInfo(): PackageInfo {
  if (cached) return cached;
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
      if (pkg.name === 'vibeguard') {
        const repo = pkg.repository as string | { url?: string } | undefined;
        const url = typeof repo === 'string' ? repo : repo?.url;
        return (cached = {
          name: 'vibeguard',
          version: typeof pkg.version === 'string' ? pkg.version : FALLBACK.version,
          repositoryUrl: url ? webUrl(url) : FALLBACK.repositoryUrl,
        });
      }
    } catch { /* no readable package.json here: keep walking up */ }
    if (path.dirname(dir) === dir) return (cached = FALLBACK);
  }
}

/** `git+https://host/org/repo.git` → `https://host/org/repo`. */
export function webUrl(repositoryUrl: string): string {
  return repositoryUrl.replace(/^git\+/, '').replace(/\.git$/, '').replace(/\/+$/, '');
}

/** The rule's generated documentation page, `docs/rules/<id>.md`, in the repository. */
export function ruleDocUrl(id: string): string {
  return `${packageInfo().repositoryUrl}/blob/main/docs/rules/${encodeURIComponent(id)}.md`;
}

// `--format sarif`: one SARIF 2.1.0 run (valid against the OASIS schema, test/schemas/) with every
// rule described (help from the rule docs, helpUri = ruleDocUrl, GitHub's security-severity and
// tags), results with 1-based regions in UTF-16 code units, the finding's fingerprint as
// partialFingerprints, single-file fixes as `fixes`, and notices as tool notifications; cut down
// to GitHub code scanning's limits when a scan finds more than an upload may hold.
import { pathToFileURL } from 'url';
import type { Rule, Severity } from '../../../../rules/kit/rule';
import type { Config } from '../../config';
import { packageInfo, ruleDocUrl } from '../../docsUrl';
import { helpMarkdown, helpText } from '../ruleHelp';
import type { BaselineSummary } from '../gating';
import type { ReportFile } from '../report';
import { shardName, type Shard } from '../shard';
import type { FileNotice, Region } from '../types';
import { fitGithubLimits, type Log } from './sarifLimits';

export interface SarifRunOptions {
  /** Names the run's category (automationDetails.id) after the part, so parts do not replace each other. */
  shard?: Shard;
  /** Results are then the new findings only (baselineState "new"); the summary becomes a notification. */
  baseline?: BaselineSummary;
  /** Told what GitHub's limits made the log leave out. */
  warn?: (message: string) => void;
}

/** partialFingerprints key: GitHub matches alerts across commits by it (name/version, as SARIF suggests). */
export const FINGERPRINT_KEY = 'vibeguardFindingHash/v1';
import { UNANALYSED } from '../../notices';

const SCHEMA = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';
const BASE = '%SRCROOT%';
const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };
/** Files that went unanalysed are errors (the run is then not successful); partial analyses warnings. */
function noticeLevel(kind: FileNotice['kind']): 'error' | 'warning' | 'note' {
  if (UNANALYSED.has(kind)) return 'error';
  return kind === 'syntax' || kind === 'encoding' || kind === 'fix' ? 'warning' : 'note';
}

export function formatSarif(files: readonly ReportFile[], rules: readonly Rule[], config: Config, cwd: string, opts: SarifRunOptions = {}): string {
  const pkg = packageInfo();
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const results: object[] = [];
  const notifications: object[] = [];
  for (const f of files) {
    const artifactLocation = { uri: relativeUri(f.path), uriBaseId: BASE };
    for (const x of f.findings) {
      const result: Record<string, unknown> = {
        ruleId: x.rule,
        level: LEVEL[x.severity],
        message: { text: x.message },
        locations: [{ physicalLocation: { artifactLocation, region: sarifRegion(x) } }],
        partialFingerprints: { [FINGERPRINT_KEY]: x.fingerprint },
      };
      if (opts.baseline) result.baselineState = 'new';
      const ruleIndex = index.get(x.rule);
      if (ruleIndex !== undefined) result.ruleIndex = ruleIndex;
      if (x.fix && x.replacements?.length) {
        result.fixes = [{
          description: { text: x.fix.safety === 'safe' ? x.fix.title : `${x.fix.title} (review: changes behaviour)` },
          artifactChanges: [{
            artifactLocation,
            replacements: x.replacements.map((r) => ({ deletedRegion: sarifRegion(r), insertedContent: { text: r.text } })),
          }],
        }];
      }
      results.push(result);
    }
    for (const n of f.notices) {
      notifications.push({
        level: noticeLevel(n.kind),
        message: { text: n.message },
        locations: [{ physicalLocation: { artifactLocation } }],
        descriptor: { id: n.kind },
      });
    }
  }
  if (opts.baseline) {
    const b = opts.baseline;
    notifications.push({ level: 'note', message: { text: `baseline ${b.file}: ${b.known} known findings left out; ${b.gone.length} of its entries gone (fixed or changed)` }, descriptor: { id: 'baseline' } });
  }
  const log = {
    $schema: SCHEMA,
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: pkg.name,
          fullName: 'Vibe Guard',
          version: pkg.version,
          semanticVersion: pkg.version,
          informationUri: pkg.repositoryUrl,
          rules: rules.map((r) => descriptor(r, config)),
        },
      },
      // The category is the part before the last slash; GitHub keeps one analysis per category.
      automationDetails: { id: opts.shard ? `vibeguard/${shardName(opts.shard)}/` : 'vibeguard/' },
      invocations: [{ executionSuccessful: !files.some((f) => f.notices.some((n) => UNANALYSED.has(n.kind))), toolExecutionNotifications: notifications }],
      originalUriBaseIds: { [BASE]: { uri: pathToFileURL(cwd.endsWith('/') ? cwd : cwd + '/').href } },
      columnKind: 'utf16CodeUnits',
      results,
    }],
  };
  const fitted = fitGithubLimits(log as Log, (l) => JSON.stringify(l, null, 2) + '\n');
  for (const n of fitted.notices) opts.warn?.(n);
  return fitted.text;
}

function descriptor(rule: Rule, config: Config): object {
  const configured = config.rules[rule.id]?.severity;
  const severity: Severity = configured && configured !== 'off' ? configured : rule.severity;
  const tags: string[] = [rule.category];
  if (rule.cwe) tags.push(`external/cwe/cwe-${rule.cwe}`);
  return {
    id: rule.id,
    shortDescription: { text: rule.docs.summary },
    fullDescription: { text: rule.docs.why },
    help: { text: helpText(rule), markdown: helpMarkdown(rule) },
    helpUri: ruleDocUrl(rule.id),
    defaultConfiguration: { level: LEVEL[severity], enabled: configured !== 'off' },
    properties: {
      category: rule.category,
      ...(rule.cwe ? { cwe: `CWE-${rule.cwe}` } : {}),
      tags,
      // GitHub ranks security alerts by this (a string, by its documentation's examples).
      ...(rule.securitySeverity !== undefined ? { 'security-severity': rule.securitySeverity.toFixed(1) } : {}),
      ...(rule.fix ? { fixSafety: rule.fix.safety } : {}),
    },
  };
}

function sarifRegion(r: Region) {
  return { startLine: r.line, startColumn: r.column, endLine: r.endLine, endColumn: r.endColumn };
}

/** A relative path as a URI reference: each segment percent-encoded, `..` kept. */
function relativeUri(relPath: string): string {
  return relPath.split('/').map((s) => (s === '..' || s === '.' ? s : encodeURIComponent(s))).join('/');
}

// The ecosystem check: scans each extracted public repository (../shared/ecosystem) with the CLI
// from the tree's own root, compares the findings with the committed triage (ecosystem/triage.json)
// and prints per-rule precision, untriaged findings, findings that disappeared and time per tree.
//
//   npm run ecosystem -- <trees folder> [--out FILE] [--pending FILE] [--only owner__repo,...]
//
// Without a trees folder (CI has none) it checks that the triage file is well formed and stops.
// Exit 1 when a finding is untriaged, a true positive was lost, or a rule with 5 or more findings
// (or the total) is below 0.90 precision at error and warning level.
import * as fs from 'fs';
import * as path from 'path';
import { RULE_IDS } from '../server/src/engine';
import { compare, type RuleStats } from './ecosystem/compare';
import { scanTree, type EcoFinding, type TreeScan } from './ecosystem/scan';
import { validateTriage, type TriageEntry, type TriageFile } from './ecosystem/triage';

const ROOT = path.join(__dirname, '..', '..');
const TRIAGE = path.join(ROOT, 'ecosystem', 'triage.json');
const MANIFEST = path.join(ROOT, '..', 'shared', 'ecosystem', 'MANIFEST.json');
const CLI = path.join(ROOT, 'bin', 'vibeguard.js');
const TARGET = 0.9;
const MIN_FINDINGS_FOR_TARGET = 5;

interface Args { trees?: string; out: string; pending?: string; only?: Set<string>; findings?: string }

function parseArgs(argv: string[]): Args {
  const a: Args = { out: path.join(ROOT, 'ecosystem', 'results.json') };
  for (let i = 0; i < argv.length; i++) {
    const v = argv[i];
    if (v === '--out') a.out = path.resolve(argv[++i]);
    else if (v === '--pending') a.pending = path.resolve(argv[++i]);
    else if (v === '--only') a.only = new Set(argv[++i].split(','));
    else if (v === '--findings') a.findings = path.resolve(argv[++i]);
    else if (v.startsWith('-')) throw new Error(`unknown option ${v}`);
    else a.trees = path.resolve(v);
  }
  a.trees ??= process.env.VIBEGUARD_ECOSYSTEM ? path.resolve(process.env.VIBEGUARD_ECOSYSTEM) : undefined;
  return a;
}

function knownRepos(): Set<string> | undefined {
  if (!fs.existsSync(MANIFEST)) return undefined;
  return new Set((JSON.parse(fs.readFileSync(MANIFEST, 'utf8')) as { repo: string }[]).map((r) => r.repo));
}

export function loadTriage(): TriageEntry[] {
  const raw = JSON.parse(fs.readFileSync(TRIAGE, 'utf8')) as TriageFile;
  const problems = validateTriage(raw, RULE_IDS, knownRepos());
  if (problems.length) throw new Error(`ecosystem/triage.json is not well formed:\n  ${problems.join('\n  ')}`);
  return raw.entries;
}

const pct = (p: number | null) => (p === null ? '   -' : p.toFixed(2));

function printTable(rows: RuleStats[], overall: RuleStats): void {
  console.log('\nrule                      error+warning   tp   fp  deb  new  precision  tp with fix  with fix  info');
  for (const r of [...rows, overall]) {
    const gate = r.findings >= MIN_FINDINGS_FOR_TARGET || r === overall;
    const flag = gate && r.precision !== null && r.precision < TARGET ? '  < 0.90' : '';
    const fixShare = r.tp ? `${r.tpWithFix}/${r.tp}` : '-';
    const withFix = r.findings ? `${r.withFix}/${r.findings}` : '-';
    console.log(`${r.rule.padEnd(26)}${String(r.findings).padStart(13)}${String(r.tp).padStart(5)}${String(r.fp).padStart(5)}${String(r.debatable).padStart(5)}${String(r.untriaged).padStart(5)}${pct(r.precision).padStart(11)}${fixShare.padStart(13)}${withFix.padStart(10)}${String(r.info).padStart(6)}${flag}`);
  }
}

function writePending(file: string, untriaged: EcoFinding[]): void {
  const entries: TriageEntry[] = untriaged.map((f) => ({
    repo: f.repo, path: f.path, rule: f.rule, fingerprint: f.fingerprint, line: f.line,
    verdict: 'fp', why: `TODO ${f.severity}: ${f.message}`,
  }));
  fs.writeFileSync(file, JSON.stringify({ version: 1, entries }, null, 1) + '\n');
  console.log(`\n${entries.length} untriaged findings written to ${file} (verdicts to fill in, then merge into ecosystem/triage.json)`);
}

function main(): number {
  const args = parseArgs(process.argv.slice(2));
  const triage = loadTriage();
  console.log(`ecosystem/triage.json: ${triage.length} entries, well formed`);
  if (!args.trees || !fs.existsSync(args.trees)) {
    console.log(`no extracted trees${args.trees ? ` at ${args.trees}` : ''}: give the folder extract.mjs wrote (see ecosystem/README.md); only the triage file was checked`);
    return 0;
  }
  const dirs = fs.readdirSync(args.trees, { withFileTypes: true })
    .filter((d) => d.isDirectory() && d.name.includes('__') && (!args.only || args.only.has(d.name)))
    .map((d) => path.join(args.trees!, d.name))
    .sort();
  const t0 = performance.now();
  const scans: TreeScan[] = [];
  for (const dir of dirs) {
    const s = scanTree(CLI, dir);
    scans.push(s);
    const notices = s.stderr.split('\n').filter((l) => l.trim() && !/^\d+ (files|file)/.test(l)).length;
    console.log(`${s.repo.padEnd(72)} ${String(s.findings.length).padStart(4)} findings ${(s.ms / 1000).toFixed(1).padStart(6)} s${notices ? `  (${notices} notices)` : ''}`);
  }
  const totalMs = performance.now() - t0;
  const findings = scans.flatMap((s) => s.findings);
  const cmp = compare(findings, triage, new Set(scans.map((s) => s.repo)));
  printTable(cmp.rules, cmp.overall);
  // One line per finding, sorted: two runs (before and after an engine change) diff line by line.
  if (args.findings) fs.writeFileSync(args.findings, findings.map(({ repo, path: p, line, rule, severity, message }) => `${repo} ${p}:${line} ${rule} ${severity} ${message}`).sort().join('\n') + '\n');
  if (cmp.untriaged.length) {
    console.log(`\nuntriaged (${cmp.untriaged.length}):`);
    for (const f of cmp.untriaged) console.log(`  ${f.repo} ${f.path}:${f.line} ${f.rule} [${f.fingerprint}] ${f.message.slice(0, 140)}`);
    if (args.pending) writePending(args.pending, cmp.untriaged);
  }
  if (cmp.gone.length) {
    console.log(`\nno longer reported (${cmp.gone.length}; ${cmp.lostTruePositives.length} true positives lost):`);
    for (const e of cmp.gone) console.log(`  ${e.verdict === 'tp' ? 'LOST TP ' : ''}${e.repo} ${e.path}:${e.line} ${e.rule}: ${e.why}`);
  }
  const below = [...cmp.rules, cmp.overall].filter((r) => (r.findings >= MIN_FINDINGS_FOR_TARGET || r === cmp.overall) && r.precision !== null && r.precision < TARGET);
  console.log(`\n${scans.length} trees, ${findings.length} findings, ${(totalMs / 1000).toFixed(1)} s`);
  const summary = {
    date: new Date().toISOString(),
    seconds: totalMs / 1000,
    trees: scans.map((s) => ({ repo: s.repo, findings: s.findings.length, seconds: s.ms / 1000, exitCode: s.exitCode })),
    rules: cmp.rules,
    overall: cmp.overall,
    untriaged: cmp.untriaged.map(({ repo, path: p, line, rule, fingerprint, message, severity }) => ({ repo, path: p, line, rule, fingerprint, message, severity })),
    gone: cmp.gone,
  };
  fs.mkdirSync(path.dirname(args.out), { recursive: true });
  fs.writeFileSync(args.out, JSON.stringify(summary, null, 1) + '\n');
  console.log(`summary: ${path.relative(process.cwd(), args.out)}`);
  return cmp.untriaged.length || cmp.lostTruePositives.length || below.length ? 1 : 0;
}

if (require.main === module) {
  try { process.exitCode = main(); } catch (e) { console.error((e as Error).message); process.exitCode = 2; }
}

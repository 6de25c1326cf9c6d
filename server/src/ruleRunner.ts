// Running the rules over one code model: every enabled rule's visitors, one walk of the tree,
// then each rule's Program:exit. A rule that throws is skipped for the file with a notice (one
// that runs out of stack on deeply nested code says where); the walk checks the analysis bounds
// (limits.ts) as it goes and, when the time budget runs out, stops with the reports made so far.
import * as ir from '../../rules/kit/model/ir';
import type { CodeModel } from '../../rules/kit/model/model';
import type { Report, Rule, Visitors } from '../../rules/kit/rule';
import type { Config } from './config';
import { BudgetExceeded, Cancelled, isStackOverflow, type Watch } from './limits';
import { stopNotice, type StopNotice } from './notices';
import { matchingTriggers } from './triggers';

export interface RuleRun {
  reports: { rule: Rule; report: Report }[];
  notices: StopNotice[];
  /** Milliseconds per rule id (start, visitors and Program:exit), when asked for. */
  ruleMs?: Record<string, number>;
}

/** One rule's visitor for one node type. */
interface Visitor { rule: Rule; fn: (n: ir.Node) => void }

export function runRules(rules: readonly Rule[], model: CodeModel, config: Config, watch: Watch, timeRules = false): RuleRun {
  const run: RuleRun = { reports: [], notices: [] };
  // Timing each visitor call costs two clock reads: only for --stats and the benchmark.
  const ms = timeRules ? (run.ruleMs = {} as Record<string, number>) : undefined;
  const timed = <T>(rule: Rule, fn: () => T): T => {
    if (!ms) return fn();
    const t0 = performance.now();
    try { return fn(); } finally { ms[rule.id] = (ms[rule.id] ?? 0) + performance.now() - t0; }
  };
  const active: { rule: Rule; visitors: Visitors }[] = [];
  // Test code: only rules that report what stays real there run by default (see reportsInTestCode).
  const testMode = model.testCode ? config.testFiles.findings : undefined;
  const candidates: Rule[] = [];
  for (const rule of rules) {
    if (!rule.languages.includes(model.lang)) continue;
    if (testMode === 'none' || (testMode === 'live-keys' && !rule.reportsInTestCode)) continue;
    if (config.rules[rule.id]?.severity === 'off') continue;
    if (rule.needsWorkspace && !model.workspace) continue;
    candidates.push(rule);
  }
  // The text triggers of every candidate, in one pass over the text (triggers.ts).
  const triggered = matchingTriggers(candidates, model.text);
  for (const rule of candidates) {
    if (rule.triggers && !triggered.has(rule)) continue;
    try {
      const visitors = timed(rule, () => rule.create({
        model,
        options: config.rules[rule.id]?.options ?? {},
        report: (report) => run.reports.push({ rule, report }),
      }));
      active.push({ rule, visitors });
    } catch (e) {
      run.notices.push({ kind: 'internal', message: `rule ${rule.id} failed to start: ${(e as Error).message}` });
    }
  }
  if (!active.length) return run;
  // One walk; each node goes to the visitors registered for its type.
  const byType = new Map<string, Visitor[]>();
  for (const a of active) {
    for (const [type, fn] of Object.entries(a.visitors)) {
      if (type === 'Program:exit' || !fn) continue;
      let list = byType.get(type);
      if (!list) byType.set(type, (list = []));
      list.push({ rule: a.rule, fn: fn as (n: ir.Node) => void });
    }
  }
  const failed = new Set<Rule>();
  const fail = (rule: Rule, at: ir.Node, e: unknown) => {
    if (e instanceof Cancelled || e instanceof BudgetExceeded) throw e;
    failed.add(rule);
    if (isStackOverflow(e)) {
      const n = stopNotice(e, `rule ${rule.id}`, model.text, { depth: depthOf(at), at: at.start });
      run.notices.push({ ...n, message: `${n.message}; that rule was skipped for this file` });
    } else {
      run.notices.push({ kind: 'internal', message: `rule ${rule.id} crashed and was skipped for this file: ${(e as Error).stack?.split('\n').slice(0, 3).join(' ') ?? e}` });
    }
  };
  const call = (rule: Rule, at: ir.Node, fn: () => void) => {
    if (failed.has(rule)) return;
    try { timed(rule, fn); } catch (e) { fail(rule, at, e); }
  };
  /** The visitors of one node: no closure per call unless rules are being timed (the walk makes one call per node and visitor). */
  const visitAll = ms
    ? (list: Visitor[], n: ir.Node) => { for (const v of list) call(v.rule, n, () => v.fn(n)); }
    : (list: Visitor[], n: ir.Node) => {
      for (const v of list) {
        if (failed.size && failed.has(v.rule)) continue;
        try { v.fn(n); } catch (e) { fail(v.rule, n, e); }
      }
    };
  try {
    if (byType.size) dispatch(model, byType, visitAll, watch);
    for (const a of active) {
      const exit = a.visitors['Program:exit'];
      if (exit) call(a.rule, model.root, exit);
      watch.check();
    }
  } catch (e) {
    if (!(e instanceof BudgetExceeded)) throw e;
    const n = stopNotice(e, 'the rules', model.text);
    run.notices.push({ ...n, message: `${n.message}; only the findings made until then are reported` });
  }
  return run;
}

/**
 * Hands every node some rule visits to its visitors, in pre-order. The model's index by type gives
 * each visited type's nodes, which are placed by their pre-order position: the names, literals and
 * members that no rule visits (most of a tree) are never touched. It is the analysis's one pass
 * over the whole tree, and counts as its one walk from the root.
 */
function dispatch(model: CodeModel, byType: Map<string, Visitor[]>, visitAll: (list: Visitor[], n: ir.Node) => void, watch: Watch): void {
  const order = model.root.order;
  let steps = 0;
  if (!order) {
    ir.walk(model.root, (n) => {
      const list = byType.get(n.type);
      if (list) visitAll(list, n);
      if ((++steps & 255) === 0) watch.check();
    });
    return;
  }
  ir.walkStats.fromRoot++;
  const lists: (Visitor[] | undefined)[] = new Array(order.length);
  for (const [type, list] of byType) {
    for (const n of model.nodesOfType(type as ir.NodeType)) lists[n.idx!] = list;
  }
  for (let i = 0; i < lists.length; i++) {
    const list = lists[i];
    if (!list) continue;
    visitAll(list, order[i]);
    if ((++steps & 255) === 0) watch.check();
  }
}

/** How many ancestors a node has (for the report of code nested too deeply). */
function depthOf(n: ir.Node): number {
  let d = 0;
  for (let p = n.parent; p; p = p.parent) d++;
  return d;
}

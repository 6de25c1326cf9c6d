// Finding fingerprints: which finding is "the same one" from one commit to the next, for
// baselines (`scan --baseline`), GitHub code scanning (`partialFingerprints`) and the editor's
// dimming of baseline findings. A fingerprint hashes the rule, the flagged code with every
// whitespace character removed, where that code sits (the enclosing classes and functions, by
// name), and its occurrence number among the file's findings with the same three parts. Line
// numbers and the file path stay out of it, so inserting lines above a finding, re-indenting, or
// editing another function keeps it; a baseline entry pairs it with the file path.
import { createHash } from 'crypto';
import * as ir from '../../rules/kit/model/ir';
import type { CodeModel } from '../../rules/kit/model/model';
import type { Finding } from '../../rules/kit/rule';

/** Part of every hash: a change of what goes into one starts every baseline afresh. */
const SCHEME = 'vibeguard-fingerprint-v1';

/** One fingerprint per finding, in the order given (the engine's order: by position). */
export function fingerprintFindings(model: CodeModel, findings: readonly Pick<Finding, 'ruleId' | 'start' | 'end'>[]): string[] {
  const seen = new Map<string, number>();
  return findings.map((f) => {
    const key = [f.ruleId, contextOf(model, f.start, f.end), flaggedCode(model, f.start, f.end)].join('\0');
    const occurrence = seen.get(key) ?? 0;
    seen.set(key, occurrence + 1);
    return createHash('sha256').update(`${SCHEME}\0${key}\0${occurrence}`).digest('hex').slice(0, 32);
  });
}

/** The flagged text without whitespace; an empty range stands for its whole line. */
export function flaggedCode(model: CodeModel, start: number, end: number): string {
  let text = model.text.slice(start, end);
  if (!text.trim()) {
    const lineStart = model.text.lastIndexOf('\n', start - 1) + 1;
    const lineEnd = model.text.indexOf('\n', start);
    text = model.text.slice(lineStart, lineEnd === -1 ? undefined : lineEnd);
  }
  return text.replace(/\s+/g, '');
}

/**
 * Where a range sits: the classes and functions around it, outermost first, each by its name,
 * e.g. `class Billing>charge` or `router.post('/webhook')>` for an anonymous route handler.
 * Empty at module level.
 */
export function contextOf(model: CodeModel, start: number, end: number): string {
  let inner: ir.Func | undefined;
  for (const fn of model.functions) {
    if (fn.start <= start && end <= fn.end && (!inner || fn.start >= inner.start)) inner = fn;
  }
  if (!inner) return '';
  const chain = [inner, ...ir.ancestors(inner)].filter((n): n is ir.Func | ir.Class => n.type === 'Func' || n.type === 'Class');
  return chain.reverse().map(label).join('>');
}

function label(n: ir.Func | ir.Class): string {
  if (n.type === 'Class') return `class ${n.name ?? ''}`;
  if (n.name) return n.name;
  let p = n.parent;
  while (p?.type === 'Other' || p?.type === 'Await') p = p.parent;
  if (p?.type === 'Assign') return ir.dottedName(p.target) ?? `<${n.kind}>`;
  if (p?.type === 'Prop' && p.key !== undefined) return p.key;
  if (p?.type === 'Keyword') return p.name;
  if (p?.type === 'Call') {
    // An anonymous callback is known by the call it is passed to and that call's first string:
    // the route, the event name, the job name.
    const first = p.args.find((a): a is ir.Str => a.type === 'Str');
    return `${ir.dottedName(p.callee) ?? 'call'}(${first ? JSON.stringify(first.value) : ''})`;
  }
  return `<${n.kind}>`;
}

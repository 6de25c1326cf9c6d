// "Regenerate session on login": a fresh session id before the user is written into the session.
// Async handlers await the regenerate before the first write; callback-style handlers move the
// writes and what follows them into regenerate's callback. Fastify's session regenerates with a
// promise of its own.
import * as ir from '../kit/model/ir';
import type { CodeModel } from '../kit/model/model';
import type { TextEdit } from '../kit/rule';
import { indentAt, indentUnit, src } from '../kit/model/literals';
import { statementOf } from '../kit/fixes/stmt-edits';
import { usesSemicolons } from '../kit/fixes/style';

export type RegeneratePlan = { edits: TextEdit[] } | { reason: string };

export function planRegenerate(model: CodeModel, write: ir.Assign, session: ir.Member): RegeneratePlan {
  const stmt = statementOf(write);
  const block = stmt?.parent;
  if (!stmt || block?.type !== 'Block') return { reason: 'the session write is not a statement of its own in a block' };
  const fn = ir.enclosingFunction(write);
  if (!fn) return { reason: 'the session write is not inside a handler' };
  const indent = indentAt(model.text, stmt.start);
  const semi = usesSemicolons(model) ? ';' : '';
  const sess = src(model, session);
  // The writes that sign the user in start at the first statement touching the session.
  const first = firstSessionStatement(model, block, stmt, sess);
  if (fn.async) {
    const fastify = model.usesModule((m) => m === 'fastify' || m.startsWith('@fastify/'));
    const line = fastify
      ? `await ${sess}.regenerate()${semi}`
      : `await new Promise${/\.[cm]?tsx?$/.test(model.file) ? '<void>' : ''}((resolve, reject) => ${sess}.regenerate((err) => (err ? reject(err) : resolve())))${semi}`;
    return { edits: [{ start: first.start, end: first.start, newText: `${line}\n${indent}` }] };
  }
  // Callback style: the statements from the first write to the end of the block run once the new session exists.
  const rest = block.body.slice(block.body.indexOf(first));
  const last = rest[rest.length - 1];
  // In a branch, code after the block would now run before the callback: only a branch that
  // always returns can be wrapped (as `return ...regenerate(...)`, which returns at the same point).
  const inBody = block === fn.body;
  if (!inBody && last.type !== 'Return' && last.type !== 'Throw') return { reason: 'the session is written in a branch that carries on after it, so the code after the branch would run before the new session exists' };
  const lastEnd = model.text[last.end] === ';' ? last.end + 1 : last.end;
  const moved = model.text.slice(first.start, lastEnd);
  const errName = ['err', 'regenerateErr', 'sessionErr'].find((n) => !new RegExp(`\\b${n}\\b`).test(moved));
  const onError = errName && errorExit(model, fn, errName, semi);
  if (!onError) return { reason: 'the handler has no next or response parameter to report a regenerate error to' };
  const unit = indentUnit(model.text);
  const body = moved.split('\n').map((l, i) => (i === 0 ? `${indent}${unit}${l}` : l.trim() ? `${unit}${l}` : l)).join('\n');
  const text = `${inBody ? '' : 'return '}${sess}.regenerate((${errName}) => {\n${indent}${unit}if (${errName}) ${onError}\n${body}\n${indent}})${semi}`;
  return { edits: [{ start: first.start, end: lastEnd, newText: text }] };
}

/**
 * The first of the session writes right before the user's (they would be lost if written before
 * the regenerate); reads of the old session above them stay where they are.
 */
function firstSessionStatement(model: CodeModel, block: ir.Block, stmt: ir.Node, sess: string): ir.Node {
  const write = new RegExp(`^${sess.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.\\w+\\s*=[^=]`);
  let first = stmt;
  for (let i = block.body.indexOf(stmt) - 1; i >= 0; i--) {
    const s = block.body[i];
    if (!write.test(src(model, s))) break;
    first = s;
  }
  return first;
}

/** How a regenerate error leaves the handler: `return next(err)`, or a 500 answer. */
function errorExit(model: CodeModel, fn: ir.Func, err: string, semi: string): string | undefined {
  for (let f: ir.Func | undefined = fn; f; f = ir.enclosingFunction(f)) {
    const next = f.params[2]?.name;
    if (next && /^(next|done|cb|callback)$/.test(next)) return `return ${next}(${err})${semi}`;
    const res = f.params[1]?.name;
    if (res && /^(res|response|reply)$/.test(res)) return `return ${res}.sendStatus(500)${semi}`;
  }
  return undefined;
}

import * as ir from '../kit/model/ir';
import { defineRule, format, type TextEdit } from '../kit/rule';
import type { CodeModel } from '../kit/model/model';
import { indentAt, indentUnit } from '../kit/model/literals';
import { usesSemicolons } from '../kit/fixes/style';
import { bestEffortOnly, catchesEverything, guardsCriticalWrite, guardsEffect, hasComment, insideLoop, isGenerated, isLogStatement, reportsSuccessAfter, statements } from './swallowed-error.context';
import { isBrowserCode } from '../kit/frameworks/browser-code';
import { isScriptFile } from '../kit/frameworks/per-request';
import { lineStartOf } from '../kit/model/literals';

const messages = {
  empty: 'the {handler} around {work} is empty: when it fails nothing is reported and the code carries on as if it worked; rethrow, return an error, or say in a comment why the failure does not matter',
  logOnly: 'the {handler} around {work} only logs and the function then reports success: the caller is told it worked when it did not; rethrow or return an error',
  promise: '`.catch` with an empty handler swallows the failure of {work}: nothing is reported and nobody retries; let the error reach the caller or handle it',
};

type Plan = { edits: TextEdit[] } | { reason: string };

export default defineRule({
  id: 'swallowed-error',
  category: 'reliability',
  severity: 'warning',
  languages: ['js', 'py'],
  scope: 'workspace',
  cwe: 390,
  triggers: /catch|except/,
  docs: {
    summary: 'An error swallowed: an empty catch, `.catch(() => {})`, `except: pass`, or a catch that only logs around a payment, database or auth call and then reports success',
    why: 'A failure that is caught and dropped looks exactly like success: in the field report behind this rule a GDPR deletion "silently failed. No error. Looked successful.", and the personal data stayed. The same shape keeps charging customers whose order was never saved, or answers 200 to a login whose session write failed. An empty catch hides every error, including the ones nobody expected; a catch that only logs and then returns `{ success: true }` tells the caller the opposite of what happened. Catches that rethrow, return or answer an error, or say in a comment why ignoring is right are not reported; neither are Python handlers for a named exception (`except KeyError:`), nor best-effort work whose failure is the expected case (parsing a maybe-JSON string, an optional import, removing a temp file, closing a connection, browser storage).',
    fix: 'Rethrow: an empty catch gets `throw err;` (`raise` in Python, replacing `pass`), naming the error in the catch clause when it had no name; a log-only catch keeps its log and rethrows after it; `await p.catch(() => {})` loses the `.catch`. The caller\'s error handling then runs (an Express error handler answers 500, a job is retried): this changes behaviour on purpose. A `.catch(() => {})` on a promise that is not awaited gets no automatic fix (removing it would leave an unhandled rejection): await it or handle the error.',
    examples: {
      js: {
        bad: "export async function deleteAccount(db, userId) {\n  try {\n    await db.query('DELETE FROM users WHERE id = $1', [userId]);\n  } catch (err) {}\n  return { deleted: true };\n}\n",
        good: "export async function deleteAccount(db, userId) {\n  await db.query('DELETE FROM users WHERE id = $1', [userId]);\n  return { deleted: true };\n}\n",
      },
      py: {
        bad: "def delete_account(cur, user_id):\n    try:\n        cur.execute(\"DELETE FROM users WHERE id = %s\", (user_id,))\n    except Exception:\n        pass\n    return {\"deleted\": True}\n",
        good: "def delete_account(cur, user_id):\n    cur.execute(\"DELETE FROM users WHERE id = %s\", (user_id,))\n    return {\"deleted\": True}\n",
      },
    },
  },
  messages,
  create({ model, report }) {
    // A page's failed request is shown to the user who made it; a script's is printed where it
    // runs; generated bundles are nobody's code to fix. The incidents are server code.
    if (isBrowserCode(model) || isScriptFile(model) || isGenerated(model)) return {};
    return {
      Try(t) {
        for (const h of t.handlers) {
          if (!catchesEverything(model, h) || hasComment(model, h)) continue;
          const body = statements(h.body);
          const handler = model.lang === 'py' ? 'except block' : 'catch block';
          if (!body.length) {
            if (bestEffortOnly(model, t.block)) continue;
            const work = guardsEffect(model, t.block) ?? firstCall(model, t.block);
            const plan = planRethrow(model, h, 'empty');
            report({ start: t.start, end: t.start + 3, message: format(messages.empty, { handler, work }), data: { at: [h.start, h.end], kind: 'empty' }, noFix: 'reason' in plan ? plan.reason : false });
            continue;
          }
          if (!body.every(isLogStatement)) continue;
          const work = guardsCriticalWrite(model, t.block);
          if (!work || insideLoop(t) || !reportsSuccessAfter(model, t)) continue;
          const plan = planRethrow(model, h, 'logOnly');
          report({ start: t.start, end: t.start + 3, message: format(messages.logOnly, { handler, work }), data: { at: [h.start, h.end], kind: 'logOnly' }, noFix: 'reason' in plan ? plan.reason : false });
        }
      },
      Call(c) {
        if (c.callee.type !== 'Member' || c.callee.prop !== 'catch' || c.args.length !== 1) return;
        const cb = ir.unwrap(c.args[0]);
        if (cb.type !== 'Func' || cb.body.type !== 'Block' || statements(cb.body).length || hasComment(model, cb)) return;
        const promise = c.callee.object;
        // Fire-and-forget (`void p.catch(() => {})`) states that nobody waits for the result; an
        // awaited or returned one carries on as if the work had succeeded.
        if (!awaitedOrReturned(c) || bestEffortOnly(model, promise) || commentedAbove(model, c)) return;
        const plan = planPromise(model, c);
        report({ start: c.callee.propStart, end: c.end, message: format(messages.promise, { work: firstCall(model, promise) }), data: { at: [c.start, c.end], kind: 'promise' }, noFix: 'reason' in plan ? plan.reason : false });
      },
    };
  },
  fix: {
    title: 'Rethrow',
    safety: 'unsafe',
    produce(finding, ctx) {
      const [s, e] = (finding.data?.at as number[] | undefined) ?? [];
      const kind = finding.data?.kind as string;
      if (kind === 'promise') {
        const c = ctx.model.calls.find((x) => x.start === s && x.end === e);
        const plan = c && planPromise(ctx.model, c);
        return plan && 'edits' in plan ? { edits: plan.edits } : undefined;
      }
      const h = ctx.model.nodesOfType('Catch').find((x) => x.start === s && x.end === e);
      const plan = h && planRethrow(ctx.model, h, kind as 'empty' | 'logOnly');
      return plan && 'edits' in plan ? { edits: plan.edits } : undefined;
    },
  },
});

/** How messages name the guarded work: the first call in it. */
function firstCall(model: CodeModel, n: ir.Node): string {
  const c = n.type === 'Call' ? n : ir.find(n, (x) => x.type === 'Call');
  const name = c && ir.dottedName((c as ir.Call).callee);
  return name ? `${name.replace(/\(\)/g, '')}(...)` : 'this code';
}

function planRethrow(model: CodeModel, h: ir.Catch, kind: 'empty' | 'logOnly'): Plan {
  const text = model.text;
  if (model.lang === 'py') {
    if (kind === 'empty') {
      const m = /(pass|\.\.\.)\s*$/.exec(text.slice(h.start, h.end));
      if (!m) return { reason: 'the handler body is not a plain pass' };
      const at = h.start + m.index;
      return { edits: [{ start: at, end: at + m[1].length, newText: 'raise' }] };
    }
    const last = statements(h.body).pop()!;
    return { edits: [{ start: last.end, end: last.end, newText: `\n${indentAt(text, last.start)}raise` }] };
  }
  const edits: TextEdit[] = [];
  let name = 'err';
  const param = h.param && ir.unwrap(h.param);
  if (param && param.type !== 'Ident') return { reason: 'the catch clause destructures the error' };
  if (param?.type === 'Ident') name = param.name;
  else {
    const open = text.indexOf('{', h.start);
    const kw = text.lastIndexOf('catch', open);
    if (kw < h.start) return { reason: 'the catch clause is not in the usual form' };
    edits.push({ start: kw + 5, end: kw + 5, newText: ` (${name})` });
  }
  const semi = usesSemicolons(model) ? ';' : '';
  if (kind === 'empty') {
    const body = h.body;
    const ind = indentAt(text, h.start);
    edits.push({ start: body.start, end: body.end, newText: `{\n${ind}${indentUnit(text)}throw ${name}${semi}\n${ind}}` });
  } else {
    const last = statements(h.body).pop()!;
    let end = last.end;
    if (text[end] === ';') end++;
    edits.push({ start: end, end, newText: `\n${indentAt(text, last.start)}throw ${name}${semi}` });
  }
  return { edits };
}

function awaitedOrReturned(c: ir.Call): boolean {
  let up: ir.Node = c;
  while (up.parent?.type === 'Other' && up.parent.kind === 'paren') up = up.parent;
  return up.parent?.type === 'Await' || up.parent?.type === 'Return' || (up.parent?.type === 'Func' && up.parent.body === up);
}

/** A comment on the line above the statement says why the failure is ignored. */
function commentedAbove(model: CodeModel, c: ir.Call): boolean {
  const line = lineStartOf(model.text, c.start);
  const prev = lineStartOf(model.text, Math.max(0, line - 1));
  return /^\s*(\/\/|\/\*|\*)/.test(model.text.slice(prev, line));
}

/** `await p.catch(() => {})` / `return p.catch(() => {})`: the `.catch` goes and the caller sees the failure. */
function planPromise(model: CodeModel, c: ir.Call): Plan {
  if (!awaitedOrReturned(c)) return { reason: 'the promise is not awaited: dropping the .catch would leave an unhandled rejection; await it, or handle the error in the callback' };
  return { edits: [{ start: (c.callee as ir.Member).object.end, end: c.end, newText: '' }] };
}

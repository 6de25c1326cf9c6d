// Fail closed: a handler that verifies only when the signing secret is set (`if (endpointSecret) {
// ...verify... }`, with the body parsed as the event otherwise) verifies always. The `if` goes and
// its body stays, the `else` that trusted the body goes, and an earlier `let event = <body>`
// loses its unverified value. Without the secret the provider's check throws, and the handler's
// own catch answers 400.
import * as ir from '../kit/model/ir';
import type { CodeModel } from '../kit/model/model';
import type { TextEdit } from '../kit/rule';
import { indentUnit, lineStartOf } from '../kit/model/literals';
import { applyEdits } from '../kit/fixes/edits';

export function planFailClosed(model: CodeModel, fn: ir.Func, guard: ir.If, verify: ir.Call | undefined): TextEdit[] | { reason: string } {
  const text = model.text;
  const then = guard.then;
  if (then.type !== 'Block' || !then.body.length) return { reason: 'the check is not a block the fix can unwrap' };
  if (!startsLine(text, guard.start)) return { reason: 'the `if` shares its line with other code' };
  const unit = indentUnit(text);
  const first = then.body[0];
  const last = then.body[then.body.length - 1];
  const innerStart = lineStartOf(text, first.start);
  const innerEnd = lineEnd(text, last.end);
  // `except ValueError:` lets Stripe's SignatureVerificationError through as a 500: catch it too.
  const tryStmt = verify && ir.ancestors(verify).find((a): a is ir.Try => a.type === 'Try');
  const handler = tryStmt?.handlers[0];
  const stripe = verify && /^(\w+)\.Webhook\.construct_event$/.exec(ir.dottedName(verify.callee) ?? '')?.[1];
  let inner = text.slice(innerStart, innerEnd);
  if (model.lang === 'py' && stripe && handler?.typeNode && ir.isInside(handler, guard) && model.text.slice(handler.typeNode.start, handler.typeNode.end) === 'ValueError') {
    inner = applyEdits(inner, [{ start: handler.typeNode.start - innerStart, end: handler.typeNode.end - innerStart, newText: `(ValueError, ${stripe}.error.SignatureVerificationError)` }]);
  }
  const lines = inner.split('\n');
  if (lines.some((l) => l.trim() && !l.startsWith(unit))) return { reason: 'the body of the check is not indented one level' };
  const dedented = lines.map((l) => (l.trim() ? l.slice(unit.length) : l)).join('\n');
  const edits: TextEdit[] = [{ start: lineStartOf(text, guard.start), end: lineEnd(text, guard.end), newText: dedented }];
  // `let event = JSON.parse(req.body)` before the check: the event is only ever the verified one.
  const target = verify && assignedName(verify);
  if (target) {
    const b = model.resolve(target);
    for (const a of b?.assigns ?? []) {
      if (a.start >= guard.start || !a.value || ir.isInside(a, guard)) continue;
      if (model.lang === 'js' && a.decl) edits.push({ start: a.target.end, end: a.value.end, newText: '' });
      else if (model.lang === 'py' && a.parent?.type === 'ExprStmt' || (model.lang === 'py' && a.parent?.type === 'Block')) edits.push({ start: lineStartOf(text, a.start), end: lineEnd(text, a.end) + 1, newText: '' });
      else return { reason: `${target.name} is given the unverified body in a way the fix cannot remove` };
    }
  }
  void fn;
  return edits;
}

function assignedName(verify: ir.Call): ir.Ident | undefined {
  const assign = ir.ancestors(verify).find((a): a is ir.Assign => a.type === 'Assign');
  const t = assign && ir.unwrap(assign.target);
  return t?.type === 'Ident' ? t : undefined;
}

function startsLine(text: string, at: number): boolean {
  return !text.slice(lineStartOf(text, at), at).trim();
}

/** End of the line holding `at` (before its newline). */
function lineEnd(text: string, at: number): number {
  const nl = text.indexOf('\n', at);
  return nl === -1 ? text.length : nl;
}

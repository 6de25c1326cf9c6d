// The fix of missing-timeout: the timeout option each client understands, written into the call's
// options (a new options argument, a property added to the literal, or a spread of the variable
// holding them), or the reason no option bounds the call.
import * as ir from '../kit/model/ir';
import type { TextEdit } from '../kit/rule';
import type { CodeModel } from '../kit/model/model';
import type { HttpCall } from '../kit/frameworks/http-clients';
import { indentAt, src } from '../kit/model/literals';

export type Plan = { edits: TextEdit[] } | { reason: string };

/** The option (key and value) that bounds a request of each library. */
const OPTION: Partial<Record<HttpCall['library'], [string, string]>> = {
  fetch: ['signal', 'AbortSignal.timeout(10_000)'],
  axios: ['timeout', '10_000'],
  got: ['timeout', '{ request: 10_000 }'],
  ky: ['timeout', '10_000'],
};

export function planTimeout(model: CodeModel, h: HttpCall): Plan {
  const c = h.call;
  if (model.lang === 'py') {
    // `timeout=None` switches the bound off: give it one.
    const off = c.args.find((a): a is ir.Keyword => a.type === 'Keyword' && a.name === 'timeout');
    if (off) return { edits: [{ start: off.value.start, end: off.value.end, newText: '10' }] };
    const last = c.args[c.args.length - 1];
    if (!last) return { reason: 'the call has no arguments to add timeout= after' };
    return { edits: [{ start: last.end, end: last.end, newText: ', timeout=10' }] };
  }
  if (h.library === 'superagent') return { edits: [{ start: c.end, end: c.end, newText: '.timeout(10_000)' }] };
  const option = OPTION[h.library];
  if (!option) return { reason: "node's http timeout option only emits an event: destroy the request in its 'timeout' handler" };
  const [key, value] = option;
  const opts = h.options && h.options !== h.url ? h.options : undefined;
  if (opts) return addOption(model, opts, key, value);
  // No options argument yet: it goes after the URL (axios writes take the body first).
  const writes = h.library === 'axios' && /^(post|put|patch)$/.test(ir.calleeName(c) ?? '');
  const after = c.args[c.args.length - 1];
  if (!after) return { reason: 'the call has no URL argument' };
  const filler = writes && c.args.length === 1 ? ', undefined' : '';
  return { edits: [{ start: after.end, end: after.end, newText: `${filler}, { ${key}: ${value} }` }] };
}

function addOption(model: CodeModel, opts: ir.Node, key: string, value: string): Plan {
  const u = ir.unwrap(opts);
  if (u.type === 'Ident') return { edits: [{ start: opts.start, end: opts.end, newText: `{ ...${u.name}, ${key}: ${value} }` }] };
  if (u.type !== 'ObjectLit') return { reason: 'the options are not an object literal the fix can extend' };
  const props = u.props;
  // `timeout: false` / `timeout: 0` switch the bound off: give it one.
  const existing = ir.propOf(u, key);
  if (existing) return { edits: [{ start: existing.value.start, end: existing.value.end, newText: value }] };
  if (!props.length) return { edits: [{ start: u.start, end: u.end, newText: `{ ${key}: ${value} }` }] };
  const last = props[props.length - 1];
  const multiline = src(model, u).includes('\n');
  const text = multiline ? `,\n${indentAt(model.text, last.start)}${key}: ${value}` : `, ${key}: ${value}`;
  return { edits: [{ start: last.end, end: last.end, newText: text }] };
}

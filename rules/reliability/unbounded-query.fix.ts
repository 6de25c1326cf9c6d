// "Add a LIMIT": each data layer's own way to read one page: LIMIT in the SQL text, `take`/`limit`
// options, `.limit(n)` in a chain, a queryset slice.
import * as ir from '../kit/model/ir';
import type { CodeModel } from '../kit/model/model';
import type { TextEdit } from '../kit/rule';
import type { UnboundedRead } from './unbounded-query';

export const DEFAULT_PAGE = 100;

export function limitFix(model: CodeModel, read: UnboundedRead, size: number): TextEdit[] | undefined {
  const call = read.call;
  switch (read.kind) {
    case 'sql': return sqlLimit(model, call, size);
    case 'prisma': case 'typeorm': return optionEdit(model, call, `take: ${size}`);
    case 'sequelize': return optionEdit(model, call, `limit: ${size}`);
    case 'mongoose': case 'sqlalchemy': {
      if (read.kind === 'sqlalchemy') {
        // `session.query(User).all()` → `session.query(User).limit(100).all()`.
        const m = call.callee as ir.Member;
        return [{ start: m.object.end, end: m.object.end, newText: `.limit(${size})` }];
      }
      return [{ start: call.end, end: call.end, newText: `.limit(${size})` }];
    }
    case 'django': {
      // Slice after the chain that shapes the rows (`.order_by(...)`, `.values(...)`), before it is consumed.
      let end: ir.Node = call;
      while (end.parent?.type === 'Member' && end.parent.object === end && end.parent.parent?.type === 'Call' && /^(order_by|values|values_list|only|defer|select_related|prefetch_related|annotate|distinct|reverse|all)$/.test(end.parent.prop)) end = end.parent.parent;
      return [{ start: end.end, end: end.end, newText: `[:${size}]` }];
    }
  }
}

function sqlLimit(model: CodeModel, call: ir.Call, size: number): TextEdit[] | undefined {
  const arg = ir.unwrap(call.args[0]);
  if (arg.type !== 'Str' && !(arg.type === 'Template' && !arg.exprs.length)) return undefined;
  // The literal's closing quote (one or three characters), keeping a trailing semicolon last.
  const raw = model.text.slice(arg.start, arg.end);
  const quoteLen = /("""|''')$/.test(raw) ? 3 : 1;
  const bodyEnd = arg.end - quoteLen;
  const body = model.text.slice(arg.start, bodyEnd);
  const m = /(\s*;?\s*)$/.exec(body)!;
  const at = bodyEnd - m[1].length;
  const sep = /\n\s*$/.test(model.text.slice(arg.start, at)) ? '' : ' ';
  return [{ start: at, end: at, newText: `${sep}LIMIT ${size}` }];
}

function optionEdit(model: CodeModel, call: ir.Call, option: string): TextEdit[] | undefined {
  const opts = call.args[0] && ir.unwrap(call.args[0]);
  if (!opts) {
    // `findMany()` → `findMany({ take: 100 })`: insert between the parentheses.
    const close = model.text.lastIndexOf(')', call.end - 1);
    return [{ start: close, end: close, newText: `{ ${option} }` }];
  }
  if (opts.type !== 'ObjectLit') return undefined;
  if (!opts.props.length) return [{ start: opts.start, end: opts.end, newText: `{ ${option} }` }];
  const first = opts.props[0];
  const multiline = model.text.slice(opts.start, first.start).includes('\n');
  if (multiline) {
    const lineStart = model.text.lastIndexOf('\n', first.start) + 1;
    const indent = model.text.slice(lineStart, first.start);
    return [{ start: first.start, end: first.start, newText: `${option},\n${indent}` }];
  }
  return [{ start: first.start, end: first.start, newText: `${option}, ` }];
}

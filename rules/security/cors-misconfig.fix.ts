// The cors-misconfig fix: the allowed origins come from the CORS_ALLOWED_ORIGINS environment
// variable, declared once at the top of the module, and replace the open origin policy; a
// hand-set Access-Control-Allow-Origin header is only sent for an origin in the list.
import * as ir from '../kit/model/ir';
import type { CodeModel } from '../kit/model/model';
import type { FixResult, TextEdit } from '../kit/rule';
import { indentAt, indentUnit, lineStartOf, src } from '../kit/model/literals';
import { statementOf } from '../kit/fixes/stmt-edits';
import { addPyImport } from '../kit/fixes/py-imports';
import { quoteOf, usesSemicolons } from '../kit/fixes/style';
import { afterImports } from '../kit/fixes/module-top';
import type { CorsSite } from './cors-misconfig.sites';

const NAME = 'CORS_ALLOWED_ORIGINS';

/** An origin expression the guard can read a second time: names, members, header getters. */
function rereadable(n: ir.Node): boolean {
  const u = ir.unwrap(n);
  if (u.type === 'Ident' || u.type === 'Str') return true;
  if (u.type === 'Member') return rereadable(u.object);
  if (u.type === 'Index') return rereadable(u.object) && rereadable(u.index);
  if (u.type === 'Binary' && /^(\?\?|\|\||or)$/.test(u.op)) return rereadable(u.left) && rereadable(u.right);
  if (u.type === 'Call') return /^(get|header|get_header)$/.test(ir.calleeName(u) ?? '') && u.callee.type === 'Member' && rereadable(u.callee.object) && u.args.every(rereadable);
  return false;
}

export function whyNoRestrict(model: CodeModel, site: CorsSite): string | undefined {
  if (site.kind === 'header') {
    if (site.node.type === 'Prop') return 'the header sits in a headers object: add it only when the origin is in an allowlist';
    const stmt = statementOf(site.node);
    if (!stmt || stmt.type !== 'ExprStmt' && !(model.lang === 'py' && stmt.type === 'Assign')) return 'the header is set inside a larger expression';
    if (!rereadable(site.origin!)) return 'the origin value is computed in the call: store it in a variable first';
    if (model.text.slice(stmt.start, stmt.end).includes('\n')) return 'the statement spans several lines';
    if (lineStartOf(model.text, stmt.start) + indentAt(model.text, stmt.start).length !== stmt.start) return 'the statement shares its line with other code';
    return undefined;
  }
  if (site.kind === 'options' && model.lang === 'js' && !site.options) return 'the CORS options are not an object literal in this file';
  if (site.library === 'starlette' && site.origin?.type === 'Keyword' && site.origin.name === 'allow_origin_regex' && ir.keywordArg(site.node as ir.Call, 'allow_origins')) return 'both allow_origins and allow_origin_regex are set';
  return undefined;
}

export function restrictOrigins(model: CodeModel, site: CorsSite): FixResult | undefined {
  if (whyNoRestrict(model, site)) return undefined;
  const edits: TextEdit[] = [];
  if (model.lang === 'js') {
    declareJs(model, edits);
    if (site.kind === 'header') return guardHeader(model, site, edits);
    const value = site.library === 'koa'
      ? `(ctx) => (${NAME}.includes(ctx.get(${quoteOf(model)}Origin${quoteOf(model)})) ? ctx.get(${quoteOf(model)}Origin${quoteOf(model)}) : ${quoteOf(model)}${quoteOf(model)})`
      : NAME;
    const prop = site.origin as ir.Prop | undefined;
    if (prop) edits.push({ start: prop.value.start, end: prop.value.end, newText: value });
    else {
      const first = site.options!.props[0];
      edits.push(first ? { start: first.start, end: first.start, newText: `origin: ${value}, ` } : { start: site.options!.start, end: site.options!.end, newText: `{ origin: ${value} }` });
    }
    return { edits };
  }
  const os = addPyImport(model, edits, 'import os', 'os');
  if (site.kind === 'django') {
    const a = site.node as ir.Assign;
    // A list the settings already keep (CORS_ORIGIN_WHITELIST is its older name) takes over once allow-all is off.
    const defined = model.identsNamed(NAME).length > 0 || model.identsNamed('CORS_ORIGIN_WHITELIST').length > 0;
    edits.push({ start: a.start, end: a.end, newText: defined ? `${(a.target as ir.Ident).name} = False` : `${NAME} = ${pyList(os)}` });
    return { edits };
  }
  declarePy(model, edits, os);
  if (site.kind === 'header') return guardHeader(model, site, edits);
  const call = site.node as ir.Call;
  const o = site.origin;
  if (o?.type === 'Keyword') {
    const name = o.name === 'allow_origin_regex' ? 'allow_origins' : o.name;
    edits.push({ start: o.start, end: o.end, newText: `${name}=${NAME}` });
  } else if (o) {
    edits.push({ start: o.start, end: o.end, newText: NAME });
  } else {
    const pos = ir.positional(call);
    const after = pos[pos.length - 1];
    edits.push(after ? { start: after.end, end: after.end, newText: `, origins=${NAME}` } : { start: call.end - 1, end: call.end - 1, newText: `${call.args.length ? ', ' : ''}origins=${NAME}` });
  }
  return { edits };
}

function pyList(os: string): string {
  return `[o.strip() for o in ${os}.environ.get("${NAME}", "").split(",") if o.strip()]`;
}

function declareJs(model: CodeModel, edits: TextEdit[]): void {
  if (model.identsNamed(NAME).length) return;
  const q = quoteOf(model);
  const semi = usesSemicolons(model) ? ';' : '';
  const at = afterImports(model);
  edits.push({ start: at, end: at, newText: `${at > 0 ? '\n' : ''}// The origins allowed to call this API with credentials, comma-separated (https://app.example.com,...).\nconst ${NAME} = (process.env.${NAME} ?? ${q}${q}).split(${q},${q}).map((o) => o.trim()).filter(Boolean)${semi}\n${at > 0 ? '' : '\n'}` });
}

function declarePy(model: CodeModel, edits: TextEdit[], os: string): void {
  if (model.identsNamed(NAME).length) return;
  const at = afterImports(model);
  edits.push({ start: at, end: at, newText: `\n# The origins allowed to call this API with credentials, comma-separated (https://app.example.com,...).\n${NAME} = ${pyList(os)}\n` });
}

function guardHeader(model: CodeModel, site: CorsSite, edits: TextEdit[]): FixResult {
  const stmt = statementOf(site.node)!;
  const value = src(model, site.origin!);
  if (model.lang === 'js') {
    edits.push({ start: stmt.start, end: stmt.start, newText: `if (${NAME}.includes(${value})) ` });
    return { edits };
  }
  const line = lineStartOf(model.text, stmt.start);
  const indent = indentAt(model.text, stmt.start);
  edits.push({ start: line, end: stmt.start, newText: `${indent}if ${value} in ${NAME}:\n${indent}${indentUnit(model.text)}` });
  return { edits };
}

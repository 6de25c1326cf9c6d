// The ssrf fix: a module-level set of allowed hosts (left for the user to fill) and, before the
// request, a check of the URL's hostname against it that refuses the request the way the
// handler's framework answers errors.
import * as ir from '../kit/model/ir';
import type { CodeModel } from '../kit/model/model';
import type { FixResult, TextEdit } from '../kit/rule';
import type { HttpCall } from '../kit/frameworks/http-clients';
import { indentAt, indentUnit, lineStartOf, src } from '../kit/model/literals';
import { statementOf } from '../kit/fixes/stmt-edits';
import { addPyFromImport } from '../kit/fixes/py-imports';
import { quoteOf, usesSemicolons } from '../kit/fixes/style';
import { afterImports } from '../kit/fixes/module-top';

const SET_NAME = 'ALLOWED_FETCH_HOSTS';
const REFUSAL = 'URL host is not allowed';

/** A URL expression the guard can evaluate a second time without side effects. */
function isPure(n: ir.Node): boolean {
  const u = ir.unwrap(n);
  switch (u.type) {
    case 'Ident': case 'Str': case 'Num': return true;
    case 'Member': return isPure(u.object);
    case 'Index': return isPure(u.object) && isPure(u.index);
    case 'Template': return !u.tag && u.exprs.every(isPure);
    case 'Binary': return u.op === '+' && isPure(u.left) && isPure(u.right);
    default: return false;
  }
}

export function whyNoGuard(model: CodeModel, http: HttpCall): string | undefined {
  if (!http.url || !isPure(http.url)) return 'the URL is computed in the call (a call or await): store it in a variable first so the guard can check it';
  const stmt = statementOf(http.call);
  if (!stmt || stmt.type === 'Program') return 'the request is not inside a statement the guard can precede (an expression-bodied arrow)';
  if (model.lang === 'js' && stmt.parent?.type === 'Program') return 'the request runs at module level';
  if (lineStartOf(model.text, stmt.start) !== stmt.start - indentAt(model.text, stmt.start).length && !(stmt.type === 'Assign' && stmt.decl)) return 'the request shares its line with other code';
  return undefined;
}

export function allowlistGuard(model: CodeModel, http: HttpCall): FixResult | undefined {
  if (whyNoGuard(model, http)) return undefined;
  const stmt = statementOf(http.call)!;
  const at = lineStartOf(model.text, stmt.start);
  const indent = indentAt(model.text, stmt.start);
  const unit = indentUnit(model.text);
  const edits: TextEdit[] = [];
  const url = src(model, http.url!);
  if (model.lang === 'js') {
    const semi = usesSemicolons(model) ? ';' : '';
    const q = quoteOf(model);
    if (!model.identsNamed(SET_NAME).length) {
      const top = afterImports(model);
      edits.push({ start: top, end: top, newText: `${top > 0 ? '\n' : ''}// The hosts this server may fetch on a caller's behalf, e.g. ${q}images.example.com${q}.\nconst ${SET_NAME} = new Set${/\.[cm]?tsx?$/.test(model.file) ? '<string>' : ''}([])${semi}\n${top > 0 ? '' : '\n'}` });
    }
    const refuse = jsRefusal(model, http.call, q, semi);
    edits.push({ start: at, end: at, newText: `${indent}if (!${SET_NAME}.has(new URL(${url}).hostname)) {\n${indent}${unit}${refuse}\n${indent}}\n` });
    return { edits };
  }
  // The refusal's import first: it may extend the last import line, after which urlparse's new line goes.
  const refuse = pyRefusal(model, http.call, edits);
  const parse = addPyFromImport(model, edits, 'urllib.parse', 'urlparse');
  if (!model.identsNamed(SET_NAME).length) {
    const top = afterImports(model);
    edits.push({ start: top, end: top, newText: `\n# The hosts this server may fetch on a caller's behalf, e.g. "images.example.com".\n${SET_NAME} = frozenset()\n` });
  }
  edits.push({ start: at, end: at, newText: `${indent}if ${parse}(${url}).hostname not in ${SET_NAME}:\n${indent}${unit}${refuse}\n` });
  return { edits };
}

/** How the handler answers a refused URL: Express `res`, Fastify `reply`, Koa `ctx`, a Fetch handler, or an error. */
function jsRefusal(model: CodeModel, call: ir.Call, q: string, semi: string): string {
  const msg = `${q}${REFUSAL}${q}`;
  for (let f = ir.enclosingFunction(call); f; f = ir.enclosingFunction(f)) {
    const names = f.params.map((p) => p.name ?? '');
    const res = names.find((n) => /^(res|response)$/.test(n));
    if (res && names.indexOf(res) === 1) return `return ${res}.status(400).json({ error: ${msg} })${semi}`;
    const reply = names.find((n) => n === 'reply');
    if (reply) return `return ${reply}.code(400).send({ error: ${msg} })${semi}`;
    if (names[0] === 'ctx') return `ctx.throw(400, ${msg})${semi}`;
    if (f.params[0]?.typeText && /\b(Next)?Request\b/.test(f.params[0].typeText)) return `return Response.json({ error: ${msg} }, { status: 400 })${semi}`;
  }
  return `throw new Error(${msg})${semi}`;
}

function pyRefusal(model: CodeModel, call: ir.Call, edits: TextEdit[]): string {
  const msg = `"${REFUSAL}"`;
  if (model.modules.has('flask')) return `${addPyFromImport(model, edits, 'flask', 'abort')}(400, ${msg})`;
  if (model.modules.has('fastapi')) return `raise ${addPyFromImport(model, edits, 'fastapi', 'HTTPException')}(status_code=400, detail=${msg})`;
  if ([...model.modules].some((m) => m.startsWith('django'))) return `return ${addPyFromImport(model, edits, 'django.http', 'HttpResponseBadRequest')}(${msg})`;
  void call;
  return `raise ValueError(${msg})`;
}

// Add auth middleware: the guard the codebase already puts on its routes goes on this one, imported
// from where the codebase gets it. Planned while detecting (the workspace facts are at hand then),
// carried on the finding as edits.
import * as path from 'path';
import * as ir from '../kit/model/ir';
import type { CodeModel } from '../kit/model/model';
import type { Finding, FixResult, TextEdit } from '../kit/rule';
import type { Route } from '../kit/frameworks/routes';
import type { GuardUse } from '../kit/workspace/auth-usage';
import { exportNames } from '../kit/frameworks/router-mounts';
import { addJsImport } from '../kit/fixes/js-imports';
import { addPyFromImport } from '../kit/fixes/py-imports';
import { indentAt, lineStartOf } from '../kit/model/literals';

export type AuthPlan = { edits: TextEdit[] } | { reason: string };

export function planAuthFix(model: CodeModel, r: Route, guards: GuardUse[]): AuthPlan {
  if (r.framework === 'nest') return { reason: 'NestJS routes take a guard class (@UseGuards): choose the guard for this controller' };
  if (r.framework === 'next') return { reason: 'a Next.js route handler checks the session in its body: add the check your other routes make' };
  return model.lang === 'js' ? planJs(model, r, guards) : planPy(model, r, guards);
}

function planJs(model: CodeModel, r: Route, guards: GuardUse[]): AuthPlan {
  const g = guards.find((x) => x.kind === 'middleware');
  if (!g) return { reason: `the codebase checks auth with ${guards[0].text}, not with route middleware` };
  if (r.node.type !== 'Call' || r.framework === 'fastify') return { reason: 'the route is not registered with middleware arguments' };
  const handler = r.node.args[r.node.args.length - 1];
  const edits: TextEdit[] = [];
  const local = jsBinding(model, g, edits);
  if (typeof local !== 'string') return local;
  const text = local === g.name ? g.text : local + g.text.slice(g.name.length);
  edits.push({ start: handler.start, end: handler.start, newText: `${text}, ` });
  return { edits };
}

/** The guard's local name in this file, adding its import when needed. */
function jsBinding(model: CodeModel, g: GuardUse, edits: TextEdit[]): string | { reason: string } {
  if (model.bindings(model.root).has(g.name) || model.moduleOf(g.name)) return g.name;
  const same = path.resolve(g.file) === path.resolve(model.file);
  if (g.module) {
    if (!g.module.startsWith('.')) return addJsImport(model, edits, g.module, g.imported === '*' ? 'default' : g.imported ?? g.name, g.name);
    const spec = relativeSpec(model.file, path.resolve(path.dirname(g.file), g.module));
    return addJsImport(model, edits, spec, g.imported === '*' ? 'default' : g.imported ?? g.name, g.name);
  }
  if (same) return { reason: `${g.name} is not defined at the top of this module` };
  const text = model.workspace?.read(g.file);
  const names = text ? exportNames(text, g.name) : new Set<string>();
  if (!names.size) return { reason: `${g.name} is defined in ${path.basename(g.file)} but not exported` };
  return addJsImport(model, edits, relativeSpec(model.file, g.file.replace(/\.[cm]?[jt]sx?$/, '')), names.has(g.name) ? g.name : 'default', g.name);
}

function relativeSpec(from: string, to: string): string {
  let rel = path.relative(path.dirname(from), to).replace(/\\/g, '/');
  if (!rel.startsWith('.')) rel = `./${rel}`;
  return rel;
}

function planPy(model: CodeModel, r: Route, guards: GuardUse[]): AuthPlan {
  const fn = r.handler;
  if (!fn) return { reason: 'the handler is not in this file' };
  if (r.framework === 'fastapi') {
    const g = guards.find((x) => x.kind === 'dependency');
    if (!g) return { reason: `the codebase checks auth with ${guards[0].text}, not with a FastAPI dependency` };
    const deco = routeDecorator(model, fn);
    const call = deco && ir.unwrap(deco);
    if (call?.type !== 'Call') return { reason: 'the route decorator is not a call' };
    if (ir.keywordArg(call, 'dependencies')) return { reason: 'the route already has dependencies: add the auth dependency to them' };
    const edits: TextEdit[] = [];
    const depends = addPyFromImport(model, edits, 'fastapi', 'Depends');
    const name = pyBinding(model, g, edits);
    if (typeof name !== 'string') return name;
    const last = call.args[call.args.length - 1];
    const at = last ? last.end : call.end - 1;
    edits.push({ start: at, end: at, newText: `${last ? ', ' : ''}dependencies=[${depends}(${name})]` });
    return { edits };
  }
  if (fn.parent?.type === 'Class') return { reason: 'a class-based view takes a permission mixin or permission_classes' };
  const g = guards.find((x) => x.kind === 'decorator');
  if (!g) return { reason: `the codebase checks auth with ${guards[0].text}, not with a decorator` };
  const edits: TextEdit[] = [];
  const name = pyBinding(model, g, edits);
  if (typeof name !== 'string') return name;
  // Under the route decorator (Flask runs decorators bottom-up: the guard must wrap the view itself), above the def.
  const deco = routeDecorator(model, fn);
  const anchor = deco ? nextLineStart(model.text, deco.end) : lineStartOf(model.text, fn.decorators[0]?.start ?? fn.start);
  const indent = indentAt(model.text, deco?.start ?? fn.start);
  edits.push({ start: anchor, end: anchor, newText: `${indent}@${name}${g.text.slice(g.name.length)}\n` });
  return { edits };
}

function pyBinding(model: CodeModel, g: GuardUse, edits: TextEdit[]): string | { reason: string } {
  const root = g.name.split('.')[0];
  if (model.bindings(model.root).has(root) || model.moduleOf(root)) return g.name;
  if (!g.module) return { reason: `${g.name} is defined in ${path.basename(g.file)}: import it here` };
  if (g.module.startsWith('.') && path.dirname(path.resolve(g.file)) !== path.dirname(path.resolve(model.file))) return { reason: `${g.name} comes from a relative import of another package` };
  addPyFromImport(model, edits, g.module, g.imported ?? root);
  return g.name;
}

function routeDecorator(model: CodeModel, fn: ir.Func): ir.Node | undefined {
  return fn.decorators.find((d) => /\.(route|get|post|put|patch|delete|api_route)\s*\(/.test(model.text.slice(d.start, d.end)));
}

function nextLineStart(text: string, at: number): number {
  const nl = text.indexOf('\n', at);
  return nl === -1 ? text.length : nl + 1;
}

/** The edits planned at detection time. */
export function produceAuthFix(f: Finding): FixResult | undefined {
  const edits = f.data?.edits as TextEdit[] | undefined;
  return edits?.length ? { edits } : undefined;
}

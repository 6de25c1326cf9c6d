// Functions defined in another module of the workspace: a webhook handler that hands the event to
// `handleWebhookEvent` from `lib/billing/webhooks.ts`, a NestJS controller calling its injected
// service, a Django view dispatching to `handlers.py`. The engine supplies a loader that parses
// the other file (cached); this module finds the function a call reaches there.
import * as ir from './ir';
import type { CodeModel } from './model';

/** Parses other source files of the workspace for the code model; set by the engine. */
export interface ModuleLoader {
  /** The module `specifier` imported from `fromFile` resolves to, parsed; undefined when not found or not source. */
  load(fromFile: string, specifier: string, lang: ir.Lang): CodeModel | undefined;
}

export interface ForeignFunction { model: CodeModel; fn: ir.Func }

/**
 * The function in another module that a call invokes: an imported function (`handle(event)`,
 * `billing.handle(event)`), or a method of an injected service whose class is imported
 * (`this.paymentsService.process(event)` with `private paymentsService: PaymentsService`).
 */
export function importedFunction(model: CodeModel, c: ir.Call): ForeignFunction | undefined {
  return importedFunctionOf(model, c.callee);
}

/** The function in another module that a reference names (`handlers.send_receipt` in a dispatch table, a callee). */
export function importedFunctionOf(model: CodeModel, ref: ir.Node): ForeignFunction | undefined {
  if (!model.loader) return undefined;
  const memo = model.table<ir.Node, ForeignFunction | null>('importedFunctions');
  let hit = memo.get(ref);
  if (hit === undefined) {
    hit = resolveImported(model, model.loader, ref) ?? null;
    memo.set(ref, hit);
  }
  return hit ?? undefined;
}

/** The module a specifier names, loaded once per analysis of this file: every call through an imported name asks. */
function loadOnce(model: CodeModel, loader: ModuleLoader, specifier: string): CodeModel | undefined {
  const loaded = model.table<string, CodeModel | null>('loadedModules');
  let other = loaded.get(specifier);
  if (other === undefined) loaded.set(specifier, (other = loader.load(model.file, specifier, model.lang) ?? null));
  return other ?? undefined;
}

function resolveImported(model: CodeModel, loader: ModuleLoader, ref: ir.Node): ForeignFunction | undefined {
  const callee = ir.unwrap(ref);
  if (callee.type === 'Ident') {
    const imp = model.moduleOf(callee.name);
    if (!imp || !isLocalSpecifier(imp.module, model.lang)) return undefined;
    const other = loadOnce(model, loader, imp.module);
    return other && exportedFunction(other, imp.imported === 'default' || imp.imported === '*' ? callee.name : imp.imported, imp.imported === 'default');
  }
  if (callee.type !== 'Member') return undefined;
  const obj = ir.unwrap(callee.object);
  if (obj.type === 'Ident') {
    const imp = model.moduleOf(obj.name);
    if (!imp || !isLocalSpecifier(imp.module, model.lang)) return undefined;
    // Python `from app.webhooks import handlers`: `handlers` may be a submodule.
    const sub = model.lang === 'py' && imp.imported !== '*' ? loadOnce(model, loader, imp.module.endsWith('.') ? imp.module + imp.imported : `${imp.module}.${imp.imported}`) : undefined;
    if (sub) return exportedFunction(sub, callee.prop, false);
    const other = loadOnce(model, loader, imp.module);
    if (!other) return undefined;
    if (imp.imported === '*') return exportedFunction(other, callee.prop, false);
    return methodOf(other, imp.imported, callee.prop);
  }
  // `this.svc.method()`: the class of the injected field, from the constructor's parameter type.
  if (obj.type === 'Member' && ir.dottedName(obj.object) === 'this') {
    const cls = ir.ancestors(ref).find((a): a is ir.Class => a.type === 'Class');
    const typeName = cls && injectedType(cls, obj.prop);
    const imp = typeName ? model.moduleOf(typeName) : undefined;
    if (!imp || !isLocalSpecifier(imp.module, model.lang)) return undefined;
    const other = loadOnce(model, loader, imp.module);
    return other && methodOf(other, imp.imported === 'default' ? typeName! : imp.imported, callee.prop);
  }
  return undefined;
}

/** Modules of the app itself: relative paths, path aliases (`@/lib/x`, `~/x`), and Python packages. */
function isLocalSpecifier(spec: string, lang: ir.Lang): boolean {
  if (lang === 'py') return !/^(?:os|sys|json|re|typing|datetime|logging|django|flask|fastapi|stripe|requests|httpx|sqlalchemy|pydantic)(?:\.|$)/.test(spec);
  return spec.startsWith('.') || spec.startsWith('@/') || spec.startsWith('~/') || spec.startsWith('src/');
}

/** A function the module exports under `name` (declaration, `const name = ...`, `module.exports.name`, default export). */
function exportedFunction(model: CodeModel, name: string, isDefault: boolean): ForeignFunction | undefined {
  const top = model.root.body;
  for (const s of top) {
    const n = s.type === 'ExprStmt' ? s.expr : s;
    if (n.type === 'Func' && (n.name === name || (isDefault && n.exported))) return { model, fn: n };
    if (n.type === 'Assign' && n.value) {
      const v = ir.unwrap(n.value);
      const target = ir.dottedName(n.target) ?? '';
      if (v.type === 'Func' && (target === name || target === `exports.${name}` || target === `module.exports.${name}`)) return { model, fn: v };
    }
  }
  return undefined;
}

function methodOf(model: CodeModel, className: string, method: string): ForeignFunction | undefined {
  for (const s of model.root.body) {
    const n = s.type === 'ExprStmt' ? s.expr : s;
    if (n.type !== 'Class' || n.name !== className) continue;
    const fn = n.body.find((m): m is ir.Func => m.type === 'Func' && m.name === method);
    return fn ? { model, fn } : undefined;
  }
  return undefined;
}

/** The declared type of a constructor parameter property (`private readonly svc: Svc`). */
function injectedType(cls: ir.Class, field: string): string | undefined {
  const ctor = cls.body.find((m): m is ir.Func => m.type === 'Func' && m.name === 'constructor');
  const p = ctor?.params.find((x) => x.name === field);
  const t = p?.typeText?.trim();
  return t && /^[A-Z]\w*$/.test(t) ? t : undefined;
}

// Which calls of the analysed file have the shape of an API in the removed/deprecated data: by the
// name they were imported under, the value they were made from (an engine from create_engine(), an
// app from Flask()), or the class they are an instance of (a pydantic model).
import * as ir from '../kit/model/ir';
import type { CodeModel } from '../kit/model/model';
import type { ApiChange, ApiShape } from './outdated-api/data';

/** `node:crypto` and `crypto` are one module. */
export const normModule = (m: string) => m.replace(/^node:/, '');

/** The module and name an identifier was imported as. */
function importOf(model: CodeModel, name: string): { module: string; imported: string } | undefined {
  const m = model.moduleOf(name);
  return m && { module: normModule(m.module), imported: m.imported };
}

const isModuleObject = (model: CodeModel, name: string, module: string) => {
  const m = importOf(model, name);
  return !!m && m.module === module && (m.imported === '*' || m.imported === 'default');
};

/** A call made by `factory` of `module`: `create_engine(...)`, `sqlalchemy.create_engine(...)`, `express()`. */
function madeBy(model: CodeModel, value: ir.Node | undefined, module: string, factory: string): boolean {
  const v = value && ir.unwrap(value);
  if (v?.type !== 'Call') return false;
  const c = v.callee;
  if (c.type === 'Ident') {
    const m = importOf(model, c.name);
    return !!m && m.module === module && (m.imported === factory || (factory === module && (m.imported === '*' || m.imported === 'default')));
  }
  return c.type === 'Member' && c.prop === factory && c.object.type === 'Ident' && isModuleObject(model, c.object.name, module);
}

/** Classes of this file that extend `base` imported from `module`, directly or through another of them. */
function modelClasses(model: CodeModel, module: string, base: string): Set<string> {
  return model.cached(`outdated-api.models:${module}.${base}`, () => {
    const out = new Set<string>();
    const classes = model.nodesOfType('Class');
    for (let grew = true; grew;) {
      grew = false;
      for (const cls of classes) {
        if (!cls.name || out.has(cls.name)) continue;
        const extendsBase = cls.bases.some((b) => {
          const n = ir.dottedName(b);
          if (!n) return false;
          if (out.has(n)) return true;
          const [head, ...rest] = n.split('.');
          if (!rest.length) { const m = importOf(model, head); return !!m && m.module === module && m.imported === base; }
          return rest.join('.') === base && isModuleObject(model, head, module);
        });
        if (extendsBase) { out.add(cls.name); grew = true; }
      }
    }
    return out;
  });
}

/** The model class an expression is an instance of: a parameter annotated with it, or a value it constructed. */
function instanceClass(model: CodeModel, obj: ir.Node, classes: Set<string>): string | undefined {
  const o = ir.unwrap(obj);
  if (o.type === 'Call') {
    const n = ir.dottedName(o.callee);
    if (n && classes.has(n)) return n;
    const head = n?.split('.')[0];
    return head && classes.has(head) && /\.(?:parse_obj|parse_raw|model_validate|model_validate_json|construct|model_construct)$/.test(n!) ? head : undefined;
  }
  if (o.type !== 'Ident') return undefined;
  const b = model.resolve(o);
  if (b?.kind === 'param' && b.node.type === 'Func') {
    const t = b.node.params[b.paramIndex ?? -1]?.typeText?.replace(/^Optional\[(.*)\]$/, '$1').replace(/\s*\|\s*None$/, '').trim();
    return t && classes.has(t) ? t : undefined;
  }
  if (b?.kind === 'var' && b.assigns.length === 1 && b.value) return instanceClass(model, b.value, classes);
  return undefined;
}

/** The function whose parameter a name is, and the parameter's position. */
function paramOf(model: CodeModel, id: ir.Ident): number | undefined {
  const b = model.resolve(id);
  return b?.kind === 'param' ? b.paramIndex : undefined;
}

/** Whether the node (a call, or a decorator written without a call) has the shape. */
export function hasShape(model: CodeModel, node: ir.Call | ir.Member | ir.Ident, shape: ApiShape): boolean {
  const call = node.type === 'Call' ? node : undefined;
  const callee = call ? call.callee : node;
  switch (shape.kind) {
    case 'imported': {
      if (callee.type === 'Ident') { const m = model.moduleOf(callee.name); return !!m && shape.module.test(m.module) && m.imported === shape.name; }
      if (callee.type === 'Member' && callee.prop === shape.name && callee.object.type === 'Ident') { const m = model.moduleOf(callee.object.name); return !!m && shape.module.test(m.module) && (m.imported === '*' || m.imported === 'default'); }
      return false;
    }
    case 'module-member': {
      const n = ir.dottedName(callee);
      if (!n) return false;
      const [head, ...rest] = n.split('.');
      if (rest.join('.') === shape.path) return isModuleObject(model, head, shape.module);
      // `from crypto import createCipher`-style named imports of the member's first segment.
      const m = importOf(model, head);
      return !!m && m.module === shape.module && [m.imported, ...rest].join('.') === shape.path;
    }
    case 'method-of': {
      if (callee.type !== 'Member' || callee.prop !== shape.method || callee.object.type !== 'Ident') return false;
      return madeBy(model, model.valueOf(callee.object), shape.module, shape.factory);
    }
    case 'model-method': {
      if (!call || callee.type !== 'Member' || callee.prop !== shape.method) return false;
      const classes = modelClasses(model, shape.module, shape.base);
      if (!classes.size) return false;
      if (shape.on === 'class') return callee.object.type === 'Ident' && classes.has(callee.object.name);
      return !!instanceClass(model, callee.object, classes);
    }
    case 'express-handler': {
      if (!call || callee.type !== 'Member' || callee.prop !== shape.method || callee.object.type !== 'Ident' || !model.modules.has('express')) return false;
      if (paramOf(model, callee.object) !== (shape.object === 'req' ? 0 : 1)) return false;
      return !shape.numericFirstArg || (call.args.length === 1 && ir.unwrap(call.args[0]).type === 'Num');
    }
    case 'callback-method': {
      if (!call || callee.type !== 'Member' || !shape.methods.includes(callee.prop) || !call.args.length) return false;
      const last = ir.unwrap(call.args[call.args.length - 1]);
      return last.type === 'Func' && /^(?:err|error|e)$/.test(last.params[0]?.name ?? '') && last.params.length >= 1 && (last.params.length >= 2 || /^(?:save|deleteOne|updateOne|updateMany|deleteMany)$/.test(callee.prop));
    }
    case 'sync-call': {
      if (!call || callee.type !== 'Ident') return false;
      const m = importOf(model, callee.name);
      if (!m || m.module !== shape.module || m.imported !== shape.name) return false;
      const p = call.parent;
      return p?.type === 'Member' && p.object === call;
    }
  }
}

/** The entries whose API name ends like the call does: a cheap first filter before the shape checks. */
export function candidates(changes: readonly ApiChange[], node: ir.Call | ir.Member | ir.Ident): ApiChange[] {
  const callee = node.type === 'Call' ? node.callee : node;
  const last = callee.type === 'Member' ? callee.prop : callee.type === 'Ident' ? callee.name : undefined;
  if (!last) return [];
  return changes.filter((c) => {
    const s = c.shape;
    switch (s.kind) {
      case 'imported': return true;
      case 'module-member': return s.path.endsWith(last);
      case 'callback-method': return s.methods.includes(last);
      case 'sync-call': return true;
      default: return s.method === last;
    }
  });
}

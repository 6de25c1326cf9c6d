// Calls between the functions of one file: which local function a call invokes, and every call
// site of a function when all of them are known (it is not exported, and its name is only ever
// called, never passed around), so that a parameter can be judged by the arguments it receives.
import * as ir from './ir';
import type { CodeModel } from './model';

/** The function a call invokes when it is defined in this file (`helper(x)`, `this.helper(x)`, `self.helper(x)`). */
export function localFunction(model: CodeModel, c: ir.Call): ir.Func | undefined {
  const callee = ir.unwrap(c.callee);
  if (callee.type === 'Ident') {
    const b = model.resolve(callee);
    const v = b?.value ? ir.unwrap(b.value) : undefined;
    return v?.type === 'Func' ? v : undefined;
  }
  if (callee.type === 'Member' && (ir.dottedName(callee.object) === 'this' || ir.dottedName(callee.object) === 'self')) {
    const cls = ir.ancestors(c).find((a): a is ir.Class => a.type === 'Class');
    return cls?.body.find((m): m is ir.Func => m.type === 'Func' && m.name === callee.prop);
  }
  return undefined;
}

/**
 * Every call of a function in this file, or undefined when other code may call it too: it is
 * exported, a method (callable through any instance), or its name is used other than as a callee.
 */
export function callSitesOf(model: CodeModel, fn: ir.Func): ir.Call[] | undefined {
  return callSiteTable(model).get(fn);
}

function callSiteTable(model: CodeModel): Map<ir.Func, ir.Call[] | undefined> {
  return model.cached('callSites', () => {
    const table = new Map<ir.Func, ir.Call[] | undefined>();
    // Candidates: functions bound to a name of their own (a declaration or `const f = () => ...`).
    const byBinding = new Map<object, ir.Func>();
    for (const fn of model.functions) {
      if (fn.exported || fn.kind === 'method' || !fn.name) continue;
      // Any top-level Python function can be imported by another module; `_private` ones and
      // functions nested in another are the module's own.
      if (model.lang === 'py' && fn.parent?.type === 'Program' && !fn.name.startsWith('_')) continue;
      const owner = fn.kind === 'decl' ? fn : fn.parent?.type === 'Assign' && fn.parent.value === fn && fn.parent.target.type === 'Ident' ? fn.parent : undefined;
      if (!owner || (owner.type === 'Assign' && (owner as ir.Assign & { exported?: boolean }).exported)) continue;
      const b = model.resolve(fn.name, owner.type === 'Assign' ? owner : fn.parent ?? fn);
      if (!b || (b.kind === 'var' && b.assigns.length !== 1)) continue;
      byBinding.set(b, fn);
      table.set(fn, []);
    }
    // Only identifiers spelled like a candidate can refer to one.
    for (const fn of new Set(byBinding.values())) {
      for (const n of model.identsNamed(fn.name!)) {
        const b = model.resolve(n);
        const target = b && byBinding.get(b);
        if (!target) continue;
        const p = n.parent;
        if (p?.type === 'Call' && p.callee === n) { table.get(target)?.push(p); continue; }
        // The declaration's own name, and `const f = ...`'s target, are not uses.
        if (p?.type === 'Assign' && p.target === n && p.value === target) continue;
        if (p === target) continue;
        table.set(target, undefined);
      }
    }
    return table;
  });
}

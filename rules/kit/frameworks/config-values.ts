// Values the operator of the app chooses, not its users: environment variables, configuration
// files and the settings objects of the frameworks (Django `settings`, Flask `app.config`, NestJS
// `ConfigService`, a `config` module). Whoever sets them can already run the app as they like, so
// text from them spliced into SQL or a command is not an injection from outside.
import * as ir from '../model/ir';
import type { CodeModel } from '../model/model';
import { isConstant } from '../model/values';

const MAX_DEPTH = 8;

/** Modules that hold configuration: `config`, `./config.json`, `../settings`, `@app/config/env`. */
const CONFIG_MODULE = /(^|[/.@-])(config|configs|configuration|settings|env|environment)(\.json|\.js|\.ts)?$/i;

/** `process.env.X`, `process.env['X']`, `os.environ.get("X")`, `os.getenv("X")`, `os.environ["X"]`: the variable name. */
export function envReadName(model: CodeModel, expr: ir.Node): string | undefined {
  const u = ir.unwrap(expr);
  if (u.type === 'Member') {
    const obj = ir.dottedName(u.object);
    if (obj === 'process.env' || obj === 'os.environ' || obj === 'environ' || obj === 'Bun.env') return u.prop;
    return undefined;
  }
  if (u.type === 'Binary' && (u.op === '||' || u.op === '??')) return envReadName(model, u.left) ?? envReadName(model, u.right);
  if (u.type === 'Call') {
    const name = ir.dottedName(u.callee) ?? '';
    if (/^(?:os\.environ\.get|os\.getenv|environ\.get|getenv|Deno\.env\.get)$/.test(name) && u.args[0]?.type === 'Str') return u.args[0].value;
  }
  return undefined;
}

/**
 * True when the value comes from the operator: an environment read (with or without a constant
 * fallback), a property of an imported configuration module or framework settings object, a
 * `configService.get(...)`, or a name bound only to such values. Followed through local names.
 */
export function isOperatorValue(model: CodeModel, n: ir.Node, depth = 0): boolean {
  if (depth > MAX_DEPTH) return false;
  const d = depth + 1;
  const u = ir.unwrap(n);
  if (envReadName(model, u)) return true;
  switch (u.type) {
    case 'Binary':
      if (u.op === '||' || u.op === '??') return isOperatorOrConstant(model, u.left, d) && isOperatorOrConstant(model, u.right, d) && (isOperatorValue(model, u.left, d) || isOperatorValue(model, u.right, d));
      return false;
    case 'Member': case 'Index': {
      // Flask: `app.config['X']`, `current_app.config.X`.
      if (/(^|\.)(app|current_app)\.config(\.|$)/.test(ir.dottedName(u.object) ?? '') || (u.type === 'Member' && /^(app|current_app)$/.test(ir.dottedName(u.object) ?? '') && u.prop === 'config')) return true;
      const root = rootOf(u);
      if (root.type === 'Ident') return isConfigName(model, root) || isOperatorValue(model, root, d);
      if (root.type === 'Call') return isConfigRead(model, root);
      return false;
    }
    case 'Call': return isConfigRead(model, u) || ((ir.calleeName(u) === 'get' || ir.calleeName(u) === 'getOrThrow') && u.callee.type === 'Member' && isOperatorValue(model, u.callee.object, d));
    case 'Ident': {
      const b = model.resolve(u);
      if (!b) return false;
      if (b.kind === 'import') return isConfigName(model, u);
      if (b.kind !== 'var') return false;
      const values = b.assigns.length ? b.assigns.map((a) => (a.target.type === 'Ident' ? a.value : b.value)) : [b.value];
      return values.length > 0 && values.every((v) => !!v && v !== u && isOperatorOrConstant(model, v, d)) && values.some((v) => !!v && isOperatorValue(model, v, d));
    }
    default: return false;
  }
}

function isOperatorOrConstant(model: CodeModel, n: ir.Node, depth: number): boolean {
  return isConstant(model, n) || isOperatorValue(model, n, depth);
}

function rootOf(n: ir.Node): ir.Node {
  let cur = ir.unwrap(n);
  while (cur.type === 'Member' || cur.type === 'Index') cur = ir.unwrap(cur.object);
  return cur;
}

/** A name imported from a configuration module, or a framework's settings object. */
function isConfigName(model: CodeModel, id: ir.Ident): boolean {
  const imp = model.moduleOf(id.name);
  if (imp) return CONFIG_MODULE.test(imp.module) || (imp.module === 'django.conf' && imp.imported === 'settings');
  return false;
}

/** `configService.get('X')`, `this.config.get('X')`, `current_app.config['X']`, `app.config.get('X')`. */
function isConfigRead(model: CodeModel, c: ir.Call): boolean {
  const name = ir.dottedName(c.callee) ?? '';
  return /(^|\.)(configService|config|settings)\.(get|getOrThrow)$/i.test(name) || /(^|\.)(app|current_app)\.config\.get$/.test(name);
}

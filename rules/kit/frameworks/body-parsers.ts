// Body parsing on Express-style apps: whether a route gets the raw request bytes (which
// signature checks need) or a body a JSON parser already consumed.
import * as ir from '../model/ir';
import type { CodeModel } from '../model/model';
import { useCalls, type Route } from './routes';
import { constantString } from '../model/values';

/** `express.raw(...)`, `bodyParser.raw(...)`, `raw(...)` (and `text`, which also keeps the bytes intact). */
export function isRawParser(n: ir.Node): boolean {
  const u = ir.unwrap(n);
  if (u.type !== 'Call') return false;
  const name = ir.dottedName(u.callee) ?? '';
  return /(^|\.)(raw|text)$/.test(name) && !/^(res|req|JSON|String)\./.test(name);
}

/** `express.json()`, `bodyParser.json()`, `json()` from express or body-parser. */
export function isJsonParser(model: CodeModel, n: ir.Node): boolean {
  const u = ir.unwrap(n);
  if (u.type !== 'Call') return false;
  const name = ir.dottedName(u.callee) ?? '';
  if (/^(express|bodyParser|body_parser|bodyparser)\.json$/.test(name)) return true;
  if (u.callee.type === 'Ident' && u.callee.name === 'json') {
    const m = model.moduleOf('json')?.module;
    return m === 'express' || m === 'body-parser';
  }
  if (name.endsWith('.json') && u.callee.type === 'Member') {
    const root = name.split('.')[0];
    const m = model.moduleOf(root)?.module;
    return m === 'express' || m === 'body-parser';
  }
  return false;
}

/**
 * The `use(json parser)` call that parses the body before this route runs, when it is in this
 * file: registered earlier on the same app or router, for every path or one the route is under.
 * A parser that keeps the raw bytes (`verify: (req, res, buf) => ...`) or only parses other
 * content types does not count. A route-level `express.raw()` cannot undo it: body-parser skips
 * a request whose body was already read.
 */
export function jsonParserBefore(model: CodeModel, route: Route): ir.Call | undefined {
  if (route.node.type !== 'Call' || !route.owner) return undefined;
  for (const c of useCalls(model)) {
    if (c.start >= route.node.start) break;
    if (ir.dottedName((c.callee as ir.Member).object) !== route.owner) continue;
    const first = c.args[0] && constantString(model, c.args[0]);
    if (first !== undefined && route.path && !underPath(route.path, first)) continue;
    const parser = c.args.find((a) => isJsonParser(model, a));
    if (!parser) continue;
    const opts = (ir.unwrap(parser) as ir.Call).args[0];
    const o = opts && ir.unwrap(opts);
    if (o?.type === 'ObjectLit' && o.props.some((p) => p.type === 'Prop' && (p.key === 'verify' || p.key === 'type'))) continue;
    return c;
  }
  return undefined;
}

function underPath(routePath: string, mount: string): boolean {
  if (mount === '/' || mount === '*' || mount === '') return true;
  return routePath === mount || routePath.startsWith(mount.endsWith('/') ? mount : mount + '/');
}

/** The name to call the raw parser through: `express.raw` or `bodyParser.raw`, when imported. */
export function rawParserName(model: CodeModel): string | undefined {
  for (const imp of model.imports) {
    if (imp.module !== 'express' && imp.module !== 'body-parser') continue;
    const whole = imp.names.find((n) => n.imported === 'default' || n.imported === '*');
    if (whole) return `${whole.local}.raw`;
    const raw = imp.names.find((n) => n.imported === 'raw');
    if (raw) return raw.local;
  }
  for (const mod of ['express', 'body-parser']) {
    for (const c of model.calls) {
      if (ir.calleeName(c) !== 'require' || c.args[0]?.type !== 'Str' || c.args[0].value !== mod) continue;
      const a = c.parent;
      if (a?.type === 'Assign' && a.value === c && a.target.type === 'Ident') return `${a.target.name}.raw`;
      if (a?.type === 'Assign' && a.value === c && a.target.type === 'ObjectLit') {
        const raw = a.target.props.find((p): p is ir.Prop => p.type === 'Prop' && p.key === 'raw' && p.value.type === 'Ident');
        if (raw) return (raw.value as ir.Ident).name;
      }
    }
  }
  return undefined;
}

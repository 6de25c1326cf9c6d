// Which functions run once per request or per job: route handlers (the route model) and functions
// shaped like them, framework entry points (Next.js route exports and server actions, Remix
// loaders/actions, getServerSideProps, Lambda handlers), job processors (Bull/BullMQ, node-cron,
// Agenda, Kafka/AMQP/SQS consumers, setInterval; Celery, Dramatiq, RQ, APScheduler, FastAPI
// dependencies), and the functions of the same file those call.
import * as ir from '../model/ir';
import type { CodeModel } from '../model/model';
import { handlerFunction, isHandlerShaped, routes } from './routes';
import { resolveValue } from '../model/values';
import { within } from '../model/ranges';

export interface PerRequest {
  /** 'request' for HTTP handlers and what they call, 'job' for queue/cron/consumer callbacks. */
  trigger: 'request' | 'job';
  /** How the entry point reads in a message: `route handler GET /reports`, `job processor queue.process`. */
  label: string;
  /** For functions reached through calls: the entry point's label (`GET /reports` calls `getPool`). */
  calledFrom?: string;
}

const NEXT_METHODS = /^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)$/;
/** Remix/React Router loaders and actions, Next.js getServerSideProps: run on every request. */
const PER_REQUEST_EXPORTS = /^(loader|action|getServerSideProps|middleware)$/;
/** `queue.process(fn)`, `cron.schedule(expr, fn)`, `agenda.define(name, fn)`, `channel.consume(q, fn)`, `schedule.every(5).minutes.do(fn)`. */
const JOB_METHODS = /^(process|consume|schedule|scheduleJob|define|createFunction|subscribe|add_job|do|enqueue|enqueue_call)$/;
/** Object properties that hold per-message callbacks: kafkajs `run({ eachMessage })`, sqs-consumer `handleMessage`. */
const JOB_PROPS = /^(eachMessage|eachBatch|handleMessage|handleMessageBatch|processor)$/;
const PER_EVENT = /^(message|connection|request|job|data)$/;
/** Python decorators whose function runs once per task or message. */
const PY_TASK_DECORATORS = /(^|\.)(task|shared_task|actor|scheduled_job|job|periodic_task)$/;
/** Test suites and their helpers set databases up and tear them down on purpose. */
const TEST_FILE = /(^|\/)(__tests__|tests?|spec|e2e)\/|\.(test|spec)\.[cm]?[jt]sx?$|(^|\/)(test_[^/]*|[^/]*_test|conftest)\.py$/;
const SCRIPT_PATH = /(^|\/)(scripts?|bin|cli|migrations?|seeds?|seeders)\//;

/** Every function of the file that runs per request or per job, with why. */
export function perRequestFunctions(model: CodeModel): Map<ir.Func, PerRequest> {
  return model.cached('perRequestFunctions', () => {
    const roots = entryPoints(model);
    const out = new Map(roots);
    // Functions called by name from an entry point (or from what it calls) run per request too.
    const queue = [...roots.keys()];
    for (let i = 0; i < queue.length && i < 500; i++) {
      const fn = queue[i];
      const info = out.get(fn)!;
      // The calls of its body, callbacks included, from the node index (a walk visits every node).
      for (const n of within(model.calls, fn.body)) {
        const targets = calledFunctions(model, n).filter((t) => !out.has(t) && t !== fn);
        if (!targets.length || isMemoisedValue(model, n)) continue;
        for (const t of targets) {
          if (out.has(t) || t === fn) continue;
          out.set(t, { trigger: info.trigger, label: functionName(t) ?? 'function', calledFrom: info.calledFrom ?? info.label });
          queue.push(t);
        }
      }
    }
    return out;
  });
}

/**
 * The per-request function a node runs in: the innermost enclosing function that runs per request
 * or per job (a callback defined inside a handler runs per request as well), with that function.
 */
export function perRequestContext(model: CodeModel, n: ir.Node): { fn: ir.Func; info: PerRequest } | undefined {
  const fns = perRequestFunctions(model);
  for (let f = ir.enclosingFunction(n); f; f = ir.enclosingFunction(f)) {
    const info = fns.get(f);
    if (info) return { fn: f, info };
  }
  return undefined;
}

/** Files that run once from a terminal: the handler-shape guess does not apply to them. */
export function isScriptFile(model: CodeModel): boolean {
  return model.cached('isScriptFile', () => {
    const file = model.file.replace(/\\/g, '/');
    if (SCRIPT_PATH.test(file) || model.text.startsWith('#!')) return true;
    if (model.lang === 'js') return /\brequire\.main\s*===?\s*module\b|\bimport\.meta\.main\b/.test(model.text);
    // A Python file with a __main__ block and no routes is a script; Flask apps often end with one.
    return /^if\s+__name__\s*==\s*['"]__main__['"]\s*:/m.test(model.text) && routes(model).length === 0;
  });
}

function entryPoints(model: CodeModel): Map<ir.Func, PerRequest> {
  const out = new Map<ir.Func, PerRequest>();
  const add = (fn: ir.Func | undefined, info: PerRequest) => { if (fn && !out.has(fn)) out.set(fn, info); };
  for (const r of routes(model)) {
    if (r.handler) add(r.handler, { trigger: 'request', label: `route handler ${r.method === 'ALL' ? '' : r.method + ' '}${r.path ?? r.handler.name ?? ''}`.trim() });
  }
  const script = isScriptFile(model);
  const fileUsesServer = firstDirective(model.root.body) === 'use server';
  const file = model.file.replace(/\\/g, '/');
  // Next.js server components (app/**/page.tsx, layout.tsx) and SvelteKit server loads render per request.
  const serverComponents = /(^|\/)app\/(.*\/)?(page|layout)\.[jt]sx?$/.test(file) && firstDirective(model.root.body) !== 'use client';
  const svelteLoads = /(^|\/)\+(page|layout)\.server\.[jt]s$/.test(file);
  for (const fn of model.functions) {
    const name = functionName(fn) ?? '';
    const exported = isExported(fn);
    if (exported && model.lang === 'js') {
      if (NEXT_METHODS.test(name)) add(fn, { trigger: 'request', label: `route handler ${name}` });
      else if (PER_REQUEST_EXPORTS.test(name)) add(fn, { trigger: 'request', label: `${name}` });
      else if ((name === 'handler' || fn.params[1]?.name === 'context') && /^(event|evt)$/.test(fn.params[0]?.name ?? '')) add(fn, { trigger: 'request', label: 'Lambda handler' });
      else if (fn.async && fileUsesServer) add(fn, { trigger: 'request', label: `server action ${name}` });
      else if (serverComponents && (/^[A-Z]/.test(name) || name === 'generateMetadata')) add(fn, { trigger: 'request', label: `server component ${name}` });
      else if (svelteLoads && name === 'load') add(fn, { trigger: 'request', label: 'load function' });
    }
    if (model.lang === 'js' && fn.body.type === 'Block' && firstDirective(fn.body.body) === 'use server') add(fn, { trigger: 'request', label: `server action ${name}` });
    if (model.lang === 'py') {
      const deco = fn.decorators.map((d) => ir.dottedName(ir.unwrap(d).type === 'Call' ? (ir.unwrap(d) as ir.Call).callee : d) ?? '').find((d) => PY_TASK_DECORATORS.test(d));
      if (deco) add(fn, { trigger: 'job', label: `task ${name}` });
      if (fn.parent?.type === 'Program' && /^(lambda_handler|handler)$/.test(name) && fn.params[0]?.name === 'event') add(fn, { trigger: 'request', label: 'Lambda handler' });
    }
    if (!script && isHandlerShaped(model, fn)) add(fn, { trigger: 'request', label: `request handler ${name || 'function'}`.trim() });
  }
  for (const c of model.calls) jobCallbacks(model, c, add);
  return out;
}

/** Callbacks a call registers to run per job or per message. */
function jobCallbacks(model: CodeModel, c: ir.Call, add: (fn: ir.Func | undefined, info: PerRequest) => void): void {
  // A callback is an argument: a call without one registers nothing.
  if (!c.args.length) return;
  const name = ir.calleeName(c) ?? '';
  const fnArgs = () => c.args.map((a) => funcOf(model, a.type === 'Keyword' ? a.value : a)).filter((f): f is ir.Func => !!f);
  if (c.isNew && /^(Worker|CronJob)$/.test(name)) {
    for (const f of fnArgs()) add(f, { trigger: 'job', label: `${name} processor` });
    return;
  }
  if (c.callee.type === 'Ident' && name === 'setInterval') {
    add(funcOf(model, c.args[0]), { trigger: 'job', label: 'setInterval callback' });
    return;
  }
  if (c.callee.type === 'Ident' && name === 'Depends' && model.lang === 'py') {
    add(funcOf(model, c.args[0]), { trigger: 'request', label: 'FastAPI dependency' });
    return;
  }
  if (c.callee.type !== 'Member') return;
  if (name === 'on' || name === 'once') {
    const ev = c.args[0]?.type === 'Str' ? c.args[0].value : '';
    if (PER_EVENT.test(ev)) add(funcOf(model, c.args[1]), { trigger: ev === 'request' ? 'request' : 'job', label: `'${ev}' listener` });
    return;
  }
  if (JOB_METHODS.test(name)) {
    const callee = ir.dottedName(c.callee) ?? name;
    for (const f of fnArgs()) add(f, { trigger: 'job', label: `job processor ${callee}` });
  }
  for (const a of c.args) {
    const o = ir.unwrap(a);
    if (o.type !== 'ObjectLit') continue;
    for (const p of o.props) if (p.type === 'Prop' && p.key && JOB_PROPS.test(p.key)) add(funcOf(model, p.value), { trigger: 'job', label: `${p.key} callback` });
  }
}

function funcOf(model: CodeModel, n: ir.Node | undefined): ir.Func | undefined {
  if (!n) return undefined;
  return handlerFunction(model, n);
}

/** Local functions a call may run: `helper()`, `this.helper()` / `self.helper()` in the same class. */
function calledFunctions(model: CodeModel, c: ir.Call): ir.Func[] {
  const callee = ir.unwrap(c.callee);
  if (callee.type === 'Ident') {
    const v = resolveValue(model, callee);
    return v?.type === 'Func' ? [v] : [];
  }
  if (callee.type === 'Member') {
    const obj = ir.unwrap(callee.object);
    const isSelf = (obj.type === 'Other' && obj.kind === 'this') || (obj.type === 'Ident' && obj.name === 'self' && model.lang === 'py');
    if (!isSelf) return [];
    for (let p = c.parent; p; p = p.parent) {
      if (p.type === 'Class') return p.body.filter((m): m is ir.Func => m.type === 'Func' && m.name === callee.prop);
    }
  }
  return [];
}

/** A function's own name, or the name it is assigned to (`exports.handler = async () => {}`). */
export function functionName(fn: ir.Func): string | undefined {
  if (fn.name) return fn.name;
  const p = fn.parent;
  if (p?.type === 'Assign' && p.value === fn) return p.target.type === 'Ident' ? p.target.name : p.target.type === 'Member' ? p.target.prop : undefined;
  if (p?.type === 'Prop' && p.value === fn) return p.key;
  return undefined;
}

function isExported(fn: ir.Func): boolean {
  if (fn.exported) return true;
  const p = fn.parent;
  if (p?.type === 'Assign' && p.value === fn) {
    if ((p as ir.Assign & { exported?: boolean }).exported) return true;
    // exports.handler = ..., module.exports.handler = ...
    const t = ir.dottedName(p.target) ?? '';
    return /^(module\.)?exports\.\w+$/.test(t);
  }
  return false;
}

/**
 * A function other modules call (a JS export, including `module.exports = { fn }`; a Python
 * top-level, undecorated function) and that this module does not run once at load time.
 */
export function isModuleApi(model: CodeModel, fn: ir.Func): boolean {
  const name = functionName(fn);
  if (!name || isScriptFile(model) || TEST_FILE.test(model.file.replace(/\\/g, '/'))) return false;
  if (model.lang === 'py') {
    if (fn.parent?.type !== 'Program' || fn.decorators.length) return false;
  } else if (!isExported(fn) && !commonJsExports(model).has(name)) return false;
  return !calledAtLoad(model).has(name);
}

/** Names listed in `module.exports = { a, b: c }` or assigned with `exports.a = a`. */
function commonJsExports(model: CodeModel): Set<string> {
  return model.cached('commonJsExports', () => {
    const out = new Set<string>();
    for (const s of model.root.body) {
      const a = s.type === 'ExprStmt' ? s.expr : s;
      if (a.type !== 'Assign' || !a.value) continue;
      const target = ir.dottedName(a.target) ?? '';
      if (target === 'module.exports' && a.value.type === 'ObjectLit') {
        for (const p of a.value.props) if (p.type === 'Prop' && p.value.type === 'Ident') out.add(p.value.name);
      } else if (/^(module\.)?exports\.\w+$/.test(target) && a.value.type === 'Ident') out.add(a.value.name);
    }
    return out;
  });
}

/** Functions the module calls while loading (`main()`, `main().catch(...)`, `asyncio.run(main())`). */
function calledAtLoad(model: CodeModel): Set<string> {
  return model.cached('calledAtLoad', () => {
    const out = new Set<string>();
    for (const c of model.calls) {
      if (ir.enclosingFunction(c)) continue;
      const callee = ir.unwrap(c.callee);
      if (callee.type === 'Ident') out.add(callee.name);
      for (const a of c.args) { const u = ir.unwrap(a); if (u.type === 'Ident') out.add(u.name); }
    }
    return out;
  });
}

/** `'use server'` / `'use client'` as the first statement of a body. */
function firstDirective(body: ir.Node[]): string | undefined {
  const first = body[0];
  return first?.type === 'ExprStmt' && first.expr.type === 'Str' ? first.expr.value : undefined;
}

/** Decorators (`@lru_cache`, `@functools.cache`) and wrappers (`once(() => ...)`) that build a value once. */
const MEMO_DECORATORS = /^(lru_cache|cache|cached|cached_property|memoize|memoized|once|singleton)$/;
const CONNECTION_STATE = /readyState|isConnected|is_connected|\bconnected\b|isReady|isOpen/;
// React's cache() memoises per request only, so it is not listed.
const MEMO_WRAPPERS = /^(once|memoize|memoizeOne|memoizee|lazy|singleton)$/;

/**
 * True when the value an expression produces is built once and reused across calls: assigned with
 * `??=`/`||=`, the fallback of `??`/`||`, stored into a module-level, global or `this` slot (or a
 * module-level Map) under a guard that checks the slot first, or produced inside a function wrapped
 * in `once`/`memoize` or decorated with `@lru_cache`/`@cache`.
 */
export function isMemoisedValue(model: CodeModel, n: ir.Node): boolean {
  let v: ir.Node = n;
  for (;;) {
    const up = v.parent;
    if (up && (up.type === 'Await' || (up.type === 'Other' && /^(paren|as|nonNull|satisfies)$/.test(up.kind)))) { v = up; continue; }
    // `cached.promise = mongoose.connect(uri).then((m) => m)`: the chain's result is what is stored.
    if (up?.type === 'Member' && up.object === v && /^(then|catch|finally)$/.test(up.prop) && up.parent?.type === 'Call' && up.parent.callee === up) { v = up.parent; continue; }
    break;
  }
  const p = v.parent;
  if (p?.type === 'Assign' && p.value === v && (p.op === '??=' || p.op === '||=')) return true;
  if (p?.type === 'Binary' && (p.op === '??' || p.op === '||') && p.right === v) return true;
  const fn = ir.enclosingFunction(n);
  if (p?.type === 'Assign' && p.op === '=' && p.value === v && fn && longLived(model, p.target, fn) && guarded(model, fn, p.target)) return true;
  if (p?.type === 'Call' && p.callee.type === 'Member' && p.callee.prop === 'set' && p.args[1] === v && fn && longLived(model, p.callee.object, fn) && guarded(model, fn, p.callee.object)) return true;
  // `if (mongoose.connection.readyState) return;` / `if (isConnected) return;` before connecting.
  if (fn && connectionStateGuards(model, fn).some((x) => x.start < n.start)) return true;
  for (let f = fn; f; f = ir.enclosingFunction(f)) {
    if (f.decorators.some((d) => MEMO_DECORATORS.test(lastName(d)))) return true;
    const wrapper = f.parent;
    if (wrapper?.type === 'Call' && wrapper.args.includes(f) && MEMO_WRAPPERS.test(ir.calleeName(wrapper) ?? '')) return true;
  }
  return false;
}

/** The `if`s of a function that test a connection's state (computed once per function). */
function connectionStateGuards(model: CodeModel, fn: ir.Func): ir.If[] {
  return model.cached(`connectionStateGuards:${fn.start}`, () =>
    ir.findAll<ir.If>(fn.body, (x) => x.type === 'If' && CONNECTION_STATE.test(model.text.slice(x.test.start, x.test.end))));
}

function lastName(d: ir.Node): string {
  const u = ir.unwrap(d);
  const name = ir.dottedName(u.type === 'Call' ? u.callee : u) ?? '';
  return name.split('.').pop() ?? '';
}

/** A slot that outlives one call: a module-level name (Python: declared `global`), `globalThis.x`, `this.x`, a module-level object's entry. */
function longLived(model: CodeModel, target: ir.Node, fn: ir.Func): boolean {
  const t = ir.unwrap(target);
  if (t.type === 'Ident') {
    if (model.lang === 'py') return !!ir.find(fn.body, (x) => x.type === 'Other' && (x.kind === 'global_statement' || x.kind === 'nonlocal_statement') && x.children.some((c) => c.type === 'Ident' && c.name === t.name));
    const b = model.resolve(t);
    return !!b && b.scope !== fn && !ir.isInside(b.scope, fn);
  }
  if (t.type === 'Member' || t.type === 'Index') {
    const root = rootOf(t);
    if (root.type === 'Other' && root.kind === 'this') return true;
    if (root.type !== 'Ident') return false;
    if (/^(globalThis|global|window|self|cls)$/.test(root.name)) return true;
    const b = model.resolve(root);
    // Flask's g, request and session live for one request only.
    if (b?.kind === 'import' && /^(flask|quart)$/.test(b.module ?? '') && /^(g|request|session)$/.test(b.imported ?? '')) return false;
    return !!b && b.scope.type === 'Program' && b.kind !== 'param';
  }
  return false;
}

/** The function checks the slot before filling it: `if (!pool)`, `if _engine is None`, `if (!cache.has(key))`. */
function guarded(model: CodeModel, fn: ir.Func, target: ir.Node): boolean {
  // `return pool || (pool = new Pool())`
  let a: ir.Node | undefined = target.parent;
  while (a?.parent?.type === 'Other' && a.parent.kind === 'paren') a = a.parent;
  if (a?.parent?.type === 'Binary' && /^(\|\||\?\?)$/.test(a.parent.op) && a.parent.right === a) return true;
  const t = ir.unwrap(target);
  const key = t.type === 'Index' || t.type === 'Member' && t.object.type !== 'Other' ? ir.dottedName(rootOf(t)) : ir.dottedName(t);
  if (!key) return false;
  const re = new RegExp(`(^|[^\\w$.])${key.replace(/[.$]/g, '\\$&')}\\b`);
  return !!ir.find(fn.body, (x) => (x.type === 'If' || x.type === 'Cond') && re.test(model.text.slice(x.test.start, x.test.end)));
}

function rootOf(n: ir.Node): ir.Node {
  let cur = ir.unwrap(n);
  while (cur.type === 'Member' || cur.type === 'Index') cur = ir.unwrap(cur.object);
  return cur;
}

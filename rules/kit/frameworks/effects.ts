// Side effects of a function: database writes, messages, payments and calls to helpers that
// act on the world, each marked idempotent or not (running it twice leaves the same state).
import * as ir from '../model/ir';
import type { CodeModel } from '../model/model';
import { sqlSink } from './sql';
import { stripeCall } from './stripe';
import { taintOf } from './taint';
import { isVerifyCall } from './webhook-verify';
import { localFunction } from '../model/calls';
import { importedFunction, importedFunctionOf } from '../model/modules';
import { within } from '../model/ranges';

export type EffectKind = 'db' | 'message' | 'payment' | 'http' | 'call';

export interface Effect {
  /** The call (or tagged SQL template) that has the effect. */
  node: ir.Node;
  /** How messages name it: `INSERT INTO shipments`, `stripe.refunds.create`, `sendReceipt`. */
  label: string;
  kind: EffectKind;
  /** Running it again with the same input changes nothing more (UPDATE ... SET x = const, upserts, deletes). */
  idempotent: boolean;
}

const ORM_CREATE = /^(create|createMany|insert|insertOne|insertMany|bulkCreate|bulk_create|insert_one|insert_many|bulkWrite|bulk_write|increment|decrement|incr|incrby|incrBy|hincrby|lpush|rpush|xadd|add_all|insert_into)$/;
const ORM_UPDATE = /^(update|updateOne|updateMany|update_one|update_many|findOneAndUpdate|findByIdAndUpdate|upsert|delete|deleteOne|deleteMany|delete_one|delete_many|destroy|remove|findOneAndDelete|findByIdAndDelete|replaceOne|replace_one|update_or_create|get_or_create|findOrCreate|merge|set)$/;
/** Messages to people or other services: `sendSubscriptionCanceledEmail`, `send_mail`, `notifyAdmins`, `publish`. */
const MESSAGE = /^(send|send[A-Z_]\w*|mail|email|notify\w*|publish|enqueue|trigger|postMessage|post_message|chat_postMessage)$/;
/** `send*` names of responses and files, not messages. */
const NOT_MESSAGE = /^(sendStatus|sendFile|sendfile|send_file|sendRedirect|sendHeader|sendError|send_error|sendResponse|sendJson|sendJSON|sendSuccess|sendResult)$/;
const NON_IDEMPOTENT_VERB = /^(fulfil|fulfill|ship|provision|grant|credit|deliver|award|issue|allocate|charge|refund|payout|transfer|enqueue|queue|publish|create|insert|add|increment|decrement|incr|send|email|mail|notify|record|handle|process|apply|redeem|topup|deposit|withdraw|capture|book|reserve|register|invite|generate|schedule|dispatch|emit|post)$/i;
const IDEMPOTENT_VERB = /^(update|sync|set|mark|upsert|save|store|persist|activate|deactivate|cancel|enable|disable|revoke|suspend|downgrade|upgrade|delete|remove|archive|close|complete|confirm|finalize|refresh|reset|unlock|lock|expire|end|pause|resume)$/i;
/** Receivers whose methods never touch the outside world. */
const PURE_ROOTS = /^(Object|Array|Promise|JSON|Math|Reflect|Symbol|Date|Number|String|Boolean|BigInt|Buffer|URL|URLSearchParams|Intl|Map|Set|WeakMap|document|window|React|z|yup|Joi|path|util|crypto|hashlib|hmac|json|datetime|re|os|itertools|collections|_|lodash|dayjs|moment)$/;
const RESPONSE_ROOTS = /^(res|response|reply|resp|ctx|h|NextResponse|Response|HttpResponse|JsonResponse|JSONResponse)$/;
const LOG_METHODS = /^(log|info|warn|warning|error|debug|trace|fatal|exception|critical|captureException|captureMessage)$/;

/** The effects a function has, including those of local helpers it calls (cached per function). */
export function effectsOf(model: CodeModel, fn: ir.Func): Effect[] {
  const cache = model.table<ir.Func, Effect[]>('effects');
  const hit = cache.get(fn);
  if (hit) return hit;
  cache.set(fn, []); // recursion guard
  const out: Effect[] = [];
  ir.walk(fn.body, (n) => {
    if (n.type === 'Func') {
      // A callback's effects are a fact of its own, computed once and lifted into every function
      // it is nested in: judging its calls again for each enclosing function made the cost grow
      // with the nesting depth.
      for (const e of effectsOf(model, n)) out.push(liftedInto(model, e, fn));
      return false;
    }
    if (n.type === 'Template' && n.tag) {
      const e = sqlTemplateEffect(n);
      if (e) out.push(e);
      return;
    }
    if (n.type !== 'Call') return;
    const e = callEffect(model, n, fn);
    // `if not user: db.session.add(User(...))`: created only when a lookup of the same record
    // found nothing, so a repeat finds it and adds nothing (a race between two deliveries aside).
    if (e && !e.idempotent && e.kind === 'db' && insideAbsentCheck(model, n, fn)) e.idempotent = true;
    if (e) out.push(e);
  });
  cache.set(fn, out);
  return out;
}

/** An effect of a nested function as seen from an enclosing one: a create guarded by an absence check in the outer function is idempotent there too. */
function liftedInto(model: CodeModel, e: Effect, fn: ir.Func): Effect {
  if (e.idempotent || e.kind !== 'db' || !insideAbsentCheck(model, e.node, fn)) return e;
  return { ...e, idempotent: true };
}

function callEffect(model: CodeModel, c: ir.Call, owner: ir.Func): Effect | undefined {
  const name = ir.dottedName(c.callee) ?? '';
  const last = ir.calleeName(c) ?? '';
  if (isLogging(name, last)) return undefined;
  const e = recognisedEffect(model, c, owner, name, last);
  // A signature check acts on nothing: asked only of calls that look like effects, since most calls are not.
  return e && !isVerifyCall(model, c) ? e : undefined;
}

function recognisedEffect(model: CodeModel, c: ir.Call, owner: ir.Func, name: string, last: string): Effect | undefined {
  const root = rootSegment(name);
  const sink = sqlSink(model, c);
  if (sink) {
    const text = sink.build.parts.map((p) => (p.kind === 'const' ? p.text : ' ? ')).join('');
    const sql = classifySql(text);
    return sql && { node: c, kind: 'db', ...sql };
  }
  const stripe = stripeCall(model, c);
  if (stripe) {
    if (!/^(create|update|modify|del|delete|cancel|capture|confirm|pay|void\w*|finalize\w*|mark\w*|send\w*|attach|detach|close|reject|accept|approve|reverse|refund|apply\w*|increment\w*|resume|pause)$/.test(stripe.method)) return undefined;
    return { node: c, kind: 'payment', label: stripe.name, idempotent: stripe.method !== 'create' || stripe.hasIdempotencyKey };
  }
  if (isResponseCall(name, root)) return undefined;
  const http = httpEffect(c, name, last);
  if (http) return http;
  const table = dispatchTargets(model, c);
  if (table) return tableEffect(model, c, table, last);
  // A helper whose body can be read, in this module or the one it is imported from, is judged by
  // its effects rather than its name (`sendError(res, ...)` only answers the request).
  const local = localFunction(model, c);
  const foreign = local ? undefined : importedFunction(model, c);
  const target = local ?? foreign?.fn;
  if (target && target !== owner) {
    const inner = effectsOf(foreign?.model ?? model, target);
    if (!inner.length) return undefined;
    const first = inner.find((e) => !e.idempotent) ?? inner[0];
    return { node: c, kind: first.kind, label: `${last} (${first.label})`, idempotent: inner.every((e) => e.idempotent) };
  }
  if (c.callee.type === 'Member' && !PURE_ROOTS.test(root)) {
    const orm = ormEffect(model, c, name, last);
    if (orm) return orm;
    if (MESSAGE.test(last) && !NOT_MESSAGE.test(last)) return { node: c, kind: 'message', label: name, idempotent: false };
  } else if (c.callee.type === 'Ident' && MESSAGE.test(last) && !NOT_MESSAGE.test(last) && last !== 'publish') {
    return { node: c, kind: 'message', label: name, idempotent: false };
  }
  if (target || PURE_ROOTS.test(root) || c.isNew) return undefined;
  const recv = ir.receiver(c);
  if (recv && isInMemory(model, recv)) return undefined;
  // A helper defined elsewhere, judged by its verb and only when it is handed the payload.
  const verb = firstWord(last);
  const idempotent = NON_IDEMPOTENT_VERB.test(verb) ? false : IDEMPOTENT_VERB.test(verb) ? true : undefined;
  if (idempotent === undefined || !c.args.some((a) => taintOf(model, a.type === 'Keyword' ? a.value : a) === 'request')) return undefined;
  return { node: c, kind: 'call', label: name, idempotent };
}

/** Last names that make a call an HTTP effect by themselves (see httpEffect). */
const HTTP_EFFECT_NAMES = /^(post|put|patch|delete|fetch|\$fetch|ofetch)$/;

/**
 * Whether a call `fn` makes itself (not one of its callbacks) can be a message, a payment or a
 * call to another service: a superset of the calls recognisedEffect gives those kinds (a name
 * that says so, a Stripe call, or a helper or dispatch table, whatever it does), without judging
 * any of them. Rules that report only such effects ask it before paying for a function's effects.
 * `alsoNames` adds the rule's own names of such calls (Celery's `delay`).
 */
export function mayActOutside(model: CodeModel, fn: ir.Func, alsoNames?: RegExp): boolean {
  // Its own calls, from the node index (the calls of callbacks it defines belong to those).
  for (const n of within(model.calls, fn.body)) {
    if (ir.enclosingFunction(n) !== fn) continue;
    const last = ir.calleeName(n) ?? '';
    if (alsoNames?.test(last)) return true;
    // The calls recognisedEffect settles first, in its order: logging and SQL are never outside,
    // a Stripe call always is, and an answer to the request (`res.status(400).send()`) is nothing.
    const name = ir.dottedName(n.callee) ?? '';
    if (isLogging(name, last) || sqlSink(model, n)) continue;
    if (stripeCall(model, n)) return true;
    if (isResponseCall(name, rootSegment(name))) continue;
    if (HTTP_EFFECT_NAMES.test(last) || MESSAGE.test(last) || last === 'add'
      || localFunction(model, n) || importedFunction(model, n) || dispatchTargets(model, n)) return true;
  }
  return false;
}

type Target = { model: CodeModel; fn: ir.Func };

/**
 * A call through a dispatch table of handlers: `HANDLERS[event.type](event)`,
 * `handler = HANDLERS.get(event["type"]); handler(event)`, with HANDLERS an object or dict whose
 * values name functions of this module or an imported one.
 */
function dispatchTargets(model: CodeModel, c: ir.Call): Target[] | undefined {
  let callee = ir.unwrap(c.callee);
  if (callee.type === 'Ident') {
    const v = model.valueOf(callee);
    if (!v) return undefined;
    callee = ir.unwrap(v);
  }
  let table: ir.Node | undefined;
  if (callee.type === 'Index') table = callee.object;
  else if (callee.type === 'Call' && callee.callee.type === 'Member' && callee.callee.prop === 'get') table = callee.callee.object;
  const obj = table && ir.unwrap(table).type === 'Ident' ? model.valueOf(ir.unwrap(table) as ir.Ident) : undefined;
  if (obj?.type !== 'ObjectLit') return undefined;
  const out: Target[] = [];
  for (const p of obj.props) {
    if (p.type !== 'Prop') continue;
    const ref = ir.unwrap(p.value);
    const local = ref.type === 'Ident' ? model.valueOf(ref) : undefined;
    if (local?.type === 'Func') out.push({ model, fn: local });
    else if (ref.type === 'Func') out.push({ model, fn: ref });
    else {
      const foreign = importedFunctionOf(model, ref);
      if (foreign) out.push(foreign);
    }
  }
  return out.length ? out : undefined;
}

function tableEffect(model: CodeModel, c: ir.Call, targets: Target[], last: string): Effect | undefined {
  const inner = targets.flatMap((t) => effectsOf(t.model, t.fn).map((e) => ({ e, name: t.fn.name })));
  if (!inner.length) return undefined;
  const first = inner.find((x) => !x.e.idempotent) ?? inner[0];
  return { node: c, kind: first.e.kind, label: `${last} → ${first.name ?? 'handler'} (${first.e.label})`, idempotent: inner.every((x) => x.e.idempotent) };
}

/** The node sits in the branch an `if` takes when a database lookup returned nothing. */
function insideAbsentCheck(model: CodeModel, n: ir.Node, fn: ir.Func): boolean {
  for (let p = n.parent, child: ir.Node = n; p && p !== fn; child = p, p = p.parent) {
    if (p.type !== 'If' || child !== p.then) continue;
    const absent = absentName(p.test);
    if (!absent) continue;
    const b = model.resolve(absent);
    const values = b?.kind === 'var' ? b.assigns.map((a) => a.value).filter((v): v is ir.Node => !!v) : [];
    if (values.some((v) => { const u = ir.unwrap(v.type === 'Await' ? v.arg : v); return u.type === 'Call' && isDbRead(model, u); })) return true;
  }
  return false;
}

/** `!x`, `not x`, `x is None`, `x == null`, `x === undefined` (also as one side of `and`): the name tested for absence. */
function absentName(test: ir.Node): ir.Ident | undefined {
  const u = ir.unwrap(test);
  if (u.type === 'Binary' && u.op === '&&') return absentName(u.left) ?? absentName(u.right);
  if (u.type === 'Unary' && u.op === '!') { const a = ir.unwrap(u.arg); return a.type === 'Ident' ? a : undefined; }
  if (u.type === 'Binary' && /^(is|==|===)$/.test(u.op)) {
    const l = ir.unwrap(u.left);
    const r = ir.unwrap(u.right);
    if (l.type === 'Ident' && r.type === 'Lit' && (r.value === 'null' || r.value === 'undefined')) return l;
  }
  return undefined;
}

const IN_MEMORY = /^(new\s+)?(Set|Map|WeakSet|WeakMap|Array|set|dict|list|defaultdict|OrderedDict)\b|^\[|^\{|^set\(\)$/;

/** A receiver bound to an in-process collection (`new Set()`, `{}`, `set()`): it forgets on restart. */
export function isInMemory(model: CodeModel, n: ir.Node): boolean {
  const u = ir.unwrap(n);
  if (u.type !== 'Ident') return false;
  const v = model.valueOf(u);
  // The head of the value says it (a bound value can be a whole function: its text is not copied).
  return !!v && IN_MEMORY.test(model.text.slice(v.start, Math.min(v.end, v.start + 256)).trim());
}

/** `res.json(...)`, `res.status(400).send(...)`, `reply.code(200).send()`; not `ctx.prisma.order.create()`. */
function isResponseCall(name: string, root: string): boolean {
  if (!RESPONSE_ROOTS.test(root)) return false;
  // Every segment between the root and the method is a call (`status()`): read in place, not split.
  const first = name.indexOf('.');
  if (first === -1) return false;
  const last = name.lastIndexOf('.');
  for (let dot = name.indexOf('.', first + 1); dot !== -1 && dot <= last; dot = name.indexOf('.', dot + 1)) {
    if (!name.endsWith('()', dot)) return false;
  }
  return true;
}

function isLogging(name: string, last: string): boolean {
  if (/^(console|logger|log|logging|Sentry|sentry|winston|pino|print|structlog|app\.logger|current_app\.logger|this\.logger|self\.logger)(\.|$)/.test(name)) return true;
  if (name === 'print') return true;
  return LOG_METHODS.test(last) && /log/i.test(name.slice(0, -last.length));
}

function ormEffect(model: CodeModel, c: ir.Call, name: string, last: string): Effect | undefined {
  // Most method calls are none of these: ruled out before their arguments are read.
  if (last !== 'add' && last !== 'save' && !ORM_CREATE.test(last) && !ORM_UPDATE.test(last)) return undefined;
  const argsText = c.args.map((a) => model.text.slice(a.start, a.end)).join(' ');
  const chain = ir.methodsChainedAfter(c);
  const conflictSafe = /skipDuplicates\s*:\s*true|ignore_conflicts\s*=\s*True|update_conflicts\s*=\s*True|ON\s+CONFLICT/i.test(argsText)
    || chain.some((m) => /^(onConflict|onConflictDoNothing|onConflictDoUpdate|onDuplicateKeyUpdate|ignore|orIgnore|on_conflict_do_nothing|on_conflict_do_update|prefix_with)$/.test(m));
  const counter = /\b(increment|decrement)\b|\$inc\b|\$push\b|\bF\(\s*['"]\w+['"]\s*\)\s*[-+]/.test(argsText);
  const recv = ir.receiver(c);
  const recvName = recv ? ir.dottedName(recv) ?? '' : '';
  if (last === 'add') {
    if (/session|db|tx|transaction|batch/i.test(recvName)) return { node: c, kind: 'db', label: name, idempotent: false };
    if (/queue|jobs?$/i.test(recvName)) return { node: c, kind: 'message', label: name, idempotent: false };
    return undefined;
  }
  if (last === 'save') {
    // A new record saved is an insert; a loaded one saved is an update of its fields.
    const created = recv?.type === 'Ident' && isConstructed(model, recv);
    return { node: c, kind: 'db', label: name, idempotent: !created || conflictSafe };
  }
  if (ORM_CREATE.test(last)) return { node: c, kind: 'db', label: name, idempotent: conflictSafe };
  if (ORM_UPDATE.test(last)) {
    if (last === 'set' && !/^(db|tx|this\.db)\b|\(\)/.test(recvName)) return undefined;
    return { node: c, kind: 'db', label: name, idempotent: !counter };
  }
  return undefined;
}

function isConstructed(model: CodeModel, id: ir.Ident): boolean {
  const v = model.valueOf(id);
  const u = v && ir.unwrap(v);
  if (u?.type !== 'Call') return false;
  if (u.isNew) return true;
  return model.lang === 'py' && u.callee.type === 'Ident' && /^[A-Z]/.test(u.callee.name);
}

function httpEffect(c: ir.Call, name: string, last: string): Effect | undefined {
  if (!/^(post|put|patch|delete|fetch|\$fetch|ofetch)$/.test(last)) return undefined;
  if (/^(axios|got|ky|superagent|requests|httpx|session|client|http)\.(post|put|patch|delete)$/.test(name)) {
    return { node: c, kind: 'http', label: name, idempotent: last === 'put' || last === 'delete' };
  }
  if (name === 'fetch' || name === '$fetch' || name === 'ofetch') {
    const opts = c.args[1] && ir.unwrap(c.args[1]);
    const m = opts?.type === 'ObjectLit' ? opts.props.find((p): p is ir.Prop => p.type === 'Prop' && p.key === 'method') : undefined;
    const method = m && m.value.type === 'Str' ? m.value.value.toUpperCase() : 'GET';
    if (method === 'GET' || method === 'HEAD') return undefined;
    return { node: c, kind: 'http', label: `fetch ${method}`, idempotent: method === 'PUT' || method === 'DELETE' };
  }
  return undefined;
}

function sqlTemplateEffect(t: ir.Template): Effect | undefined {
  const tag = ir.dottedName(t.tag!) ?? '';
  if (!/(^|\.)(sql|\$executeRaw|\$queryRaw|query|execute|unsafe)$/.test(tag)) return undefined;
  const sql = classifySql(t.quasis.join(' ? '));
  return sql && { node: t, kind: 'db', ...sql };
}

/** What a SQL statement writes, and whether repeating it is harmless. */
export function classifySql(text: string): { label: string; idempotent: boolean } | undefined {
  let t = text.trim();
  if (/^with\b/i.test(t)) {
    const m = /\b(insert\s+into|update\s+[\w."`]+\s+set|delete\s+from)\b/i.exec(t);
    if (!m) return undefined;
    t = t.slice(m.index);
  }
  const kw = /^(insert|update|delete|replace|merge|upsert)\b/i.exec(t)?.[1].toLowerCase();
  if (!kw) return undefined;
  const table = (re: RegExp) => re.exec(t)?.[1].replace(/["`]/g, '') ?? '';
  switch (kw) {
    case 'insert': {
      const idempotent = /on\s+conflict|on\s+duplicate\s+key|insert\s+or\s+(ignore|replace)|insert\s+ignore/i.test(t);
      return { label: `INSERT INTO ${table(/into\s+([\w."`]+)/i)}`.trim(), idempotent };
    }
    case 'update': {
      const set = /\bset\b([\s\S]*?)(\bwhere\b|\breturning\b|$)/i.exec(t)?.[1] ?? '';
      // `balance = balance + 1` (or coalesce(balance, 0) + 1) grows on every run.
      const selfRef = /(\w+)\s*=\s*(?:coalesce\s*\(\s*)?\1\b[^,]*?[-+*/|]|array_append\s*\(|\|\|/i.test(set);
      return { label: `UPDATE ${table(/^update\s+(?:only\s+)?([\w."`]+)/i)}`, idempotent: !selfRef };
    }
    case 'delete': return { label: `DELETE FROM ${table(/from\s+([\w."`]+)/i)}`, idempotent: true };
    default: return { label: kw.toUpperCase(), idempotent: true };
  }
}

/** `res` of `res.status().json`, `getDb` of `getDb().insert` (without the array a split makes). */
function rootSegment(dotted: string): string {
  const dot = dotted.indexOf('.');
  const first = dot === -1 ? dotted : dotted.slice(0, dot);
  return first.endsWith('()') ? first.slice(0, -2) : first;
}

function firstWord(name: string): string {
  const n = name.replace(/^[_$]+/, '');
  return /^[a-z]+|^[A-Z][a-z]+/.exec(n)?.[0] ?? n;
}

const PURE_FUNCTIONS = /^(String|Number|Boolean|BigInt|parseInt|parseFloat|isNaN|encodeURIComponent|decodeURIComponent|str|int|float|bool|dict|list|tuple|set|len|isinstance|getattr|hasattr|sorted|min|max|abs|round|require|Array\.isArray)$/;

/**
 * Calls handing request data to code that may act on it (`deployBranch(req.body.ref)`): what a
 * handler does with a payload beyond the effects recognised by name. Logging, responses,
 * parsing and pure helpers are left out.
 */
export function payloadCalls(model: CodeModel, fn: ir.Func): ir.Call[] {
  const out: ir.Call[] = [];
  ir.walk(fn.body, (n) => {
    if (n.type !== 'Call' || n.isNew) return;
    const name = ir.dottedName(n.callee) ?? '';
    const last = ir.calleeName(n) ?? '';
    const root = rootSegment(name);
    if (isLogging(name, last) || isVerifyCall(model, n) || PURE_ROOTS.test(root) || PURE_FUNCTIONS.test(name) || isResponseCall(name, root)) return;
    if (n.callee.type === 'Member' && /^(get|getAll|header|get_header|get_json|json|text|toString|decode|encode|split|trim|strip|lower|upper|startsWith|endsWith|includes|slice|substring|replace|match|test|keys|values|items|map|filter|find|some|every|forEach|push|has|digest|update|hexdigest)$/.test(last)) return;
    if (n.args.some((a) => taintOf(model, a.type === 'Keyword' ? a.value : a) === 'request')) out.push(n);
  });
  return out;
}

/** True when the call reads from a database (a lookup the handler can branch on). */
export function isDbRead(model: CodeModel, c: ir.Call): boolean {
  const sink = sqlSink(model, c);
  if (sink) {
    const text = sink.build.parts.map((p) => (p.kind === 'const' ? p.text : ' ? ')).join('').trim();
    return /^(select|with|update|insert|delete)\b/i.test(text);
  }
  const last = ir.calleeName(c) ?? '';
  return /^(find\w*|get\w*|fetch\w*|select\w*|exists|count|first|one|one_or_none|maybeSingle|single|filter|filter_by|where|scalars?|query|lookup\w*|load\w*|retrieve)$/.test(last)
    && !/^(get_json|getHeader|get_data|json)$/.test(last);
}

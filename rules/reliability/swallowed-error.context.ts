// What swallowed-error reads: catch blocks (and `.catch(cb)` handlers) that do nothing, or only
// log, with no comment saying why; whether the guarded code is best-effort work whose failure
// nobody needs (parsing a maybe-JSON string, optional imports, cleanup of a temp file); and whether
// the function goes on to report success after a log-only catch.
import * as ir from '../kit/model/ir';
import type { CodeModel } from '../kit/model/model';
import { effectsOf } from '../kit/frameworks/effects';
import { within } from '../kit/model/ranges';

/** Calls whose failure is expected and harmless to ignore: parsing, probing, cleanup, browser storage. */
const BEST_EFFORT = /^(JSON\.parse|JSON\.stringify|parseInt|parseFloat|Number|decodeURIComponent|decodeURI|encodeURIComponent|atob|btoa|URL|require|import|structuredClone|int|float|str|json\.loads|json\.dumps|literal_eval|ast\.literal_eval|Decimal|datetime\.\w+|uuid\.UUID|import_module|importlib\.import_module|__import__)$/;
const BEST_EFFORT_METHODS = /^(unlink|unlinkSync|rm|rmSync|rmdir|rmdirSync|remove|removeItem|setItem|getItem|clear|close|destroy|end|disconnect|quit|release|abort|cancel|kill|terminate|unref|stop|dispose|shutdown|flock|lockf|mkdir|mkdirSync|makedirs|focus|blur|select|play|pause|setPointerCapture|releasePointerCapture|parse|loads|fromisoformat|strptime|decode|json|text|off|removeListener|removeEventListener|clearTimeout|clearInterval|rmtree|chmod|setsockopt|revokeObjectURL|vibrate|writeText|scrollIntoView|setSelectionRange|preventDefault|stopPropagation|delete_cookie|deleteCookie|flush|exit)$/;
/** Narrow Python exception types name an expected case: the handler is deliberate. */
const BROAD_PY = /^(Exception|BaseException)$/;
const LOG = /^(console|logger|log|logging|Sentry|sentry|winston|pino|print|structlog|app\.logger|current_app\.logger|this\.logger|self\.logger|this\.log|self\.log|warnings)(\.|$)/;

/** The catch body has a comment (the author says why it is ignored). */
export function hasComment(model: CodeModel, n: ir.Node, from = n.start, to = n.end): boolean {
  const text = model.text.slice(from, to);
  const marker = model.lang === 'py' ? /#/ : /\/\/|\/\*/;
  // Blanking strings cannot make a marker (each becomes `""`), so text without one has no comment.
  return marker.test(text) && marker.test(stripStrings(text));
}

function stripStrings(t: string): string {
  return t.replace(/'(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*"|`(?:\\.|[^`\\])*`/g, '""');
}

/** Statements of a block, ignoring Python's `...` placeholder. */
export function statements(b: ir.Node): ir.Node[] {
  const list = b.type === 'Block' ? b.body : [b];
  return list.filter((s) => !(s.type === 'ExprStmt' && s.expr.type === 'Other' && /ellipsis/i.test(s.expr.kind)));
}

/** A statement that only logs: `console.error(err)`, `logger.exception(...)`, `print(e)`. */
export function isLogStatement(s: ir.Node): boolean {
  const e = s.type === 'ExprStmt' ? ir.unwrap(s.expr) : undefined;
  if (e?.type !== 'Call') return false;
  const name = ir.dottedName(e.callee) ?? '';
  return LOG.test(name) || /^(log|warn|error|info|debug|exception|warning|captureException)$/.test(ir.calleeName(e) ?? '') && /log|sentry/i.test(name);
}

/** The handler catches everything (JS always; Python bare `except:` or `except Exception`). */
export function catchesEverything(model: CodeModel, c: ir.Catch): boolean {
  if (model.lang !== 'py' || !c.typeNode) return true;
  const t = ir.unwrap(c.typeNode);
  const name = t.type === 'Ident' ? t.name : t.type === 'Member' ? t.prop : '';
  return BROAD_PY.test(name);
}

/** Every call the try block makes is best-effort (parse, optional import, cleanup): ignoring its failure is the intent. */
export function bestEffortOnly(model: CodeModel, block: ir.Node): boolean {
  // Cleanup functions (release a lock, close a pool at shutdown) ignore failures on purpose.
  if (/^_*(release|close|cleanup|clean_up|teardown|tear_down|shutdown|dispose|stop|disconnect|unlock|destroy|cleanUp|tearDown)/i.test(ir.enclosingFunction(block)?.name ?? '')) return true;
  return within(model.calls, block).every((c) => {
    const name = ir.dottedName(c.callee) ?? '';
    const last = ir.calleeName(c) ?? '';
    // Iteration itself is neutral: the calls in its callback are judged on their own.
    if (c.callee.type === 'Member' && /^(forEach|map|for_each)$/.test(last)) return true;
    // Setting cookies from a context that cannot (a server component) is the documented no-op case.
    if (c.callee.type === 'Member' && /^(set|delete)$/.test(last) && /cookie/i.test(name)) return true;
    if (BEST_EFFORT.test(name) || BEST_EFFORT.test(last) && c.callee.type === 'Ident') return true;
    if (c.callee.type === 'Member' && BEST_EFFORT_METHODS.test(last)) return true;
    // Arguments of a best-effort call (`JSON.parse(raw.toString())`) are part of it.
    return !!c.parent && c.parent.type === 'Call' && c.parent !== c && BEST_EFFORT.test(ir.dottedName(c.parent.callee) ?? '');
  });
}

/** The guarded work has a side effect that matters (DB write, payment, message, outbound write) or reads a database. */
export function guardsEffect(model: CodeModel, block: ir.Node): string | undefined {
  const fn = ir.enclosingFunction(block);
  if (!fn) return undefined;
  const effects = effectsOf(model, fn).filter((e) => ir.isInside(e.node, block));
  const e = effects.find((x) => x.kind === 'payment') ?? effects.find((x) => x.kind === 'db') ?? effects[0];
  if (e) return e.label;
  return authCall(model, block);
}

/**
 * The guarded work is the payment, database write or auth call itself, made in the try block:
 * not a helper whose inner effects are summarised (its own error handling is its business), and
 * not a cache (a Redis key is rebuilt; a failed cache write is the documented best-effort case).
 */
export function guardsCriticalWrite(model: CodeModel, block: ir.Node): string | undefined {
  const fn = ir.enclosingFunction(block);
  if (!fn) return undefined;
  for (const e of effectsOf(model, fn)) {
    if (!ir.isInside(e.node, block) || (e.kind !== 'payment' && e.kind !== 'db')) continue;
    // Labels of helper calls read `name (inner effect)`.
    if (/\(/.test(e.label)) continue;
    if (/^(redis|rds|cache|kv|r|client\.(set|del|incr))\b/i.test(e.label) || /redis|cache/i.test(e.label)) continue;
    return e.label;
  }
  return authCall(model, block);
}

function authCall(model: CodeModel, block: ir.Node): string | undefined {
  for (const c of within(model.calls, block)) {
    const name = ir.dottedName(c.callee) ?? '';
    if (/(^|\.)(verify|compare|checkpw|hashpw|authenticate|login|signIn|sign_in|getSession|getServerSession|decode)$/.test(name) && /jwt|bcrypt|argon|auth|passport|session|jose/i.test(name)) return name;
  }
  return undefined;
}

/** The node runs once per item of a loop in its function: a per-item catch that logs and moves on isolates failures on purpose. */
export function insideLoop(n: ir.Node): boolean {
  for (let p = n.parent; p && p.type !== 'Func'; p = p.parent) if (p.type === 'Loop') return true;
  const fn = ir.enclosingFunction(n);
  const call = fn?.parent;
  return call?.type === 'Call' && call.callee.type === 'Member' && /^(forEach|map|flatMap|for_each)$/.test(call.callee.prop);
}

/** Bundled, minified or vendored files: not code anyone maintains by hand. */
export function isGenerated(model: CodeModel): boolean {
  return model.cached('generatedCode', () => /(^|\/)(public|static|vendor|vendors|dist|build|assets)\//.test(model.file.replace(/\\/g, '/')) || /\.min\.[cm]?js$/.test(model.file) || model.text.split('\n', 50).some((l) => l.length > 1000));
}

/** After the try, the function returns a success value or answers the request (it reports success). */
export function reportsSuccessAfter(model: CodeModel, t: ir.Try): boolean {
  const fn = ir.enclosingFunction(t);
  if (!fn) return false;
  const after = within(model.nodesOfType('Return'), fn.body).filter((r) => r.start > t.end && ir.enclosingFunction(r) === fn);
  if (after.some((r) => r.arg && isSuccessValue(model, r.arg))) return true;
  return within(model.calls, fn.body).some((c) => c.start > t.end && ir.enclosingFunction(c) === fn && /^(res|response|reply|ctx)(\.(status|code))?\.(json|send|status|sendStatus|end)$|^(jsonify|JsonResponse|Response\.json|NextResponse\.json|Response)$/.test((ir.dottedName(c.callee) ?? '').replace(/\(\)/g, '')) && !/[45]\d\d/.test(model.text.slice(c.start, c.end)));
}

function isSuccessValue(model: CodeModel, n: ir.Node): boolean {
  const text = model.text.slice(n.start, n.end);
  if (/\b(error|fail|false|False|None|null|undefined)\b|[45]\d\d/.test(text)) return false;
  return /\b(success|ok|true|True|deleted|done|status)\b|json|Response|redirect|jsonify/.test(text);
}

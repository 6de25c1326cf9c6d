// What a value is called, for rules that judge a value by the words that name it: the variable or
// property holding it, the header, cookie, form field or environment variable it is read from
// (`req.headers['x-hub-signature-256']`, `request.headers.get("X-Api-Key")`, `os.environ["API_TOKEN"]`),
// followed through local names, string building and the usual conversions.
import * as ir from '../model/ir';
import type { CodeModel } from '../model/model';
import { constantString } from '../model/values';
import { envReadName } from './config-values';
import { isRequestObject } from './taint';

/** Calls that hand back their argument or receiver under another form (`String(x)`, `x.trim()`, `str(x)`). */
const CONVERSIONS = /^(String|str|toString|trim|strip|lower|upper|toLowerCase|toUpperCase|encode|decode|from|bytes|Buffer\.from|unquote|decodeURIComponent)$/;
/** Getters of a named request or mapping field: `headers.get('x-signature')`, `req.header('x-api-key')`, `form.get("token")`. */
const NAMED_GETTERS = /^(get|header|get_header|getHeader|getAll|cookie|param|getlist)$/;

/** Verbs whose result is not the thing their name mentions. */
const NOT_PRODUCERS = /^(verify|validate|check|recover|is|has|parse|decode|find|lookup|ensure|assert|extract|split|strip|remove|revoke|store|save|send|log)/i;

export interface NamedValue {
  /** The names the value goes by, innermost last (`expected`, then `digest` for `const expected = h.digest()`). */
  names: string[];
  /** The value is computed by an HMAC or a signature routine (`createHmac(...).digest()`, `hmac.new(...).hexdigest()`). */
  computedMac: boolean;
}

const MAC_CALL = /(^|\.)(createHmac|hmac\.new|hmac\.digest|HMAC|sign|signature|compute_signature|computeSignature|hmacSha256|hmac_sha256)$/i;

/** The names of a value and whether it is a computed MAC (depth-limited, local names followed once assigned). */
export function namedValue(model: CodeModel, n: ir.Node): NamedValue {
  const out: NamedValue = { names: [], computedMac: false };
  collect(model, n, out, 0, new Set());
  return out;
}

function collect(model: CodeModel, n: ir.Node, out: NamedValue, depth: number, seen: Set<ir.Node>): void {
  if (depth > 6 || seen.has(n)) return;
  seen.add(n);
  const d = depth + 1;
  const u = ir.unwrap(n);
  const env = envReadName(model, u);
  if (env) { out.names.push(env); return; }
  switch (u.type) {
    case 'Ident': {
      out.names.push(u.name);
      const v = model.valueOf(u);
      if (v && v !== u && v.type !== 'Func' && v.type !== 'Class') collect(model, v, out, d, seen);
      return;
    }
    case 'Member':
      out.names.push(u.prop);
      return;
    case 'Index': {
      const key = constantString(model, u.index);
      if (key !== undefined) out.names.push(key);
      else if (u.index.type !== 'Num') collect(model, u.index, out, d, seen);
      return;
    }
    case 'Call': {
      const dotted = ir.dottedName(u.callee) ?? '';
      const last = ir.calleeName(u) ?? '';
      if (MAC_CALL.test(dotted.replace(/\(\)/g, '')) || /(^|\.)(createHmac|hmac\.new)\b/.test(dotted)) out.computedMac = true;
      if (/^(digest|hexdigest)$/.test(last)) {
        const chain = model.text.slice(u.start, u.end);
        if (/createHmac|hmac\.new|\bHMAC\b|hmac\./i.test(chain)) out.computedMac = true;
        else if (u.callee.type === 'Member') collect(model, u.callee.object, out, d, seen);
        return;
      }
      if (NAMED_GETTERS.test(last) && u.callee.type === 'Member') {
        const key = u.args[0] && constantString(model, u.args[0]);
        if (key !== undefined) { out.names.push(key); return; }
      }
      if (CONVERSIONS.test(last) || CONVERSIONS.test(dotted)) {
        if (u.callee.type === 'Member' && !/^(Buffer|String)$/.test(ir.dottedName(u.callee.object) ?? '')) collect(model, u.callee.object, out, d, seen);
        for (const a of ir.positional(u).slice(0, 1)) collect(model, a, out, d, seen);
        return;
      }
      // A helper's name says what it returns (`computeSignature(body)`, `getApiKey()`), unless it
      // checks or recovers something from it (`verifyLoginSignature(sig)` returns the signer).
      if (last && !NOT_PRODUCERS.test(last.replace(/^_+/, ''))) out.names.push(last);
      return;
    }
    case 'Template':
      for (const e of u.exprs) collect(model, e, out, d, seen);
      return;
    case 'Binary':
      if (u.op === '+' || u.op === '||' || u.op === '??' || u.op === 'or') { collect(model, u.left, out, d, seen); collect(model, u.right, out, d, seen); }
      return;
    default:
      return;
  }
}

/**
 * A side someone outside chooses: a read of the request (not of the server-side session), a
 * parameter of the function (a verify helper's argument), or a name bound to one, through
 * conversions and string building. Values looked up with such an argument (a database row) are
 * not chosen by the caller.
 */
export function chosenOutside(model: CodeModel, n: ir.Node, depth = 0): boolean {
  if (depth > 6) return false;
  const d = depth + 1;
  const u = ir.unwrap(n);
  switch (u.type) {
    case 'Ident': {
      if (isRequestObject(model, u)) return true;
      const b = model.resolve(u);
      if (!b) return false;
      if (b.kind === 'param') return u.name !== 'self' && u.name !== 'cls' && (!b.value || b.value === u || chosenOutside(model, b.value, d));
      if (b.kind !== 'var') return false;
      // Any value the name may hold that comes from outside (`key = request.headers["X-Api-Key"]` in one branch).
      const values = b.assigns.length ? b.assigns.map((a) => (a.target.type === 'Ident' ? a.value : b.value)) : [b.value];
      return values.some((v) => !!v && v !== u && chosenOutside(model, v, d));
    }
    case 'Member': case 'Index':
      if (u.type === 'Member' && /^(session|user)$/.test(u.prop)) return false;
      return chosenOutside(model, u.object, d);
    case 'Call': {
      const name = ir.calleeName(u) ?? '';
      if (u.callee.type === 'Member' && (/^(get|header|get_header|getHeader|cookie|param|getlist|json|text|get_json|get_data|formData)$/.test(name) || /^(trim|strip|lower|upper|toLowerCase|toUpperCase|toString|encode|decode)$/.test(name))) return chosenOutside(model, u.callee.object, d);
      // Validation and string handling keep the caller's value: `schema.parse(req.body)`, `code.slice(0, 4)`.
      if (/^(parse|safeParse|validate|validateSync|parse_obj|model_validate)$/.test(name)) return !!u.args[0] && chosenOutside(model, u.args[0], d);
      if (u.callee.type === 'Member' && /^(slice|substring|substr|replace|replaceAll|padStart|padEnd|normalize|sub|split|rsplit|partition|unsign)$/.test(name)) return chosenOutside(model, u.callee.object, d);
      if (/^(String|str|bytes|unquote|decodeURIComponent)$/.test(name) || ir.dottedName(u.callee) === 'Buffer.from') return !!u.args[0] && chosenOutside(model, u.args[0], d);
      return false;
    }
    case 'Template': return u.exprs.some((e) => chosenOutside(model, e, d));
    case 'Binary': return /^(\+|\|\||\?\?|or)$/.test(u.op) && (chosenOutside(model, u.left, d) || chosenOutside(model, u.right, d));
    default: return false;
  }
}


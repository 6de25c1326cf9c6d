// The cookie attributes a session or auth cookie needs (HttpOnly, Secure, SameSite=Lax), written
// in each framework's spelling: for a fix that sets a new cookie and for one that hardens an
// existing `res.cookie(...)` / `set_cookie(...)` call.
import * as ir from '../model/ir';
import type { CodeModel } from '../model/model';
import type { TextEdit } from '../rule';
import { jsString, pyString, type QuoteStyle } from '../model/literals';
import type { CookieFlag, CookieSet } from '../frameworks/cookies';
import { missingFlags } from '../frameworks/cookies';
import { appendArgs, appendProp } from './object-edits';

const JS_VALUE: Record<CookieFlag, (q: string) => string> = { httpOnly: () => 'true', secure: () => 'true', sameSite: (q) => jsString('lax', q) };
const PY_NAME: Record<CookieFlag, string> = { httpOnly: 'httponly', secure: 'secure', sameSite: 'samesite' };
const PY_VALUE: Record<CookieFlag, (s: QuoteStyle) => string> = { httpOnly: () => 'True', secure: () => 'True', sameSite: (s) => pyString('Lax', s) };
const ALL: CookieFlag[] = ['httpOnly', 'secure', 'sameSite'];

export function jsFlag(flag: CookieFlag, quote: string): string {
  return `${flag}: ${JS_VALUE[flag](quote)}`;
}

export function pyFlag(flag: CookieFlag, style: QuoteStyle): string {
  return `${PY_NAME[flag]}=${PY_VALUE[flag](style)}`;
}

/** `{ httpOnly: true, secure: true, sameSite: 'lax' }`, with more options after them. */
export function jsCookieOptions(quote: string, extra = ''): string {
  return `{ ${ALL.map((f) => jsFlag(f, quote)).join(', ')}${extra} }`;
}

/** `httponly=True, secure=True, samesite="Lax"` */
export function pyCookieKeywords(style: QuoteStyle): string {
  return ALL.map((f) => pyFlag(f, style)).join(', ');
}

/** Turns the missing and switched-off attributes of a cookie call on; undefined when there is nowhere to write them. */
export function hardenCookieEdits(model: CodeModel, cs: CookieSet, quote: string): TextEdit[] | undefined {
  const edits: TextEdit[] = [];
  const missing: CookieFlag[] = [];
  for (const f of missingFlags(cs)) {
    const off = cs.offNodes[f];
    if (!off) { missing.push(f); continue; }
    edits.push({ start: off.value.start, end: off.value.end, newText: model.lang === 'py' ? PY_VALUE[f]({ quote, prefix: '', triple: false }) : JS_VALUE[f](quote) });
  }
  if (!missing.length) return edits;
  if (model.lang === 'py') {
    const style = { quote, prefix: '', triple: false };
    const added = appendArgs(model, cs.call, missing.map((f) => pyFlag(f, style)));
    return added ? [...edits, added] : undefined;
  }
  if (cs.options) return [...edits, appendProp(model, cs.options, ...missing.map((f) => jsFlag(f, quote)))];
  if (cs.sessionOptions) return [...edits, appendProp(model, cs.sessionOptions, `cookie: { ${missing.map((f) => jsFlag(f, quote)).join(', ')} }`)];
  const value = cs.value ?? ir.positional(cs.call)[1];
  if (!value) return undefined;
  edits.push({ start: value.end, end: value.end, newText: `, { ${missing.map((f) => jsFlag(f, quote)).join(', ')} }` });
  return edits;
}

// One redaction for everything Vibe Guard prints or sends: finding messages, notices, JSON,
// SARIF (fix replacements included), LSP diagnostics and logs. A secret keeps at most its
// recognisable prefix (`sk_live_…`, `ghp_…`) or a few first characters, as `redact` in
// secrets.ts does for the hardcoded-secret messages. Secrets are found by shape (provider keys,
// PEM keys, JWTs, passwords in connection strings and DSNs, credentials in Authorization
// headers and URL query parameters) and by value (the literals the hardcoded-secret rule
// reported in the same file). Messages that quote code go through `excerpt`, which also cuts
// the string literals of the quoted code down to what redaction allows.
import type * as ir from '../model/ir';
import type { CodeModel } from '../model/model';
import { isCredentialName, keyShape, keySpans, looksGenerated } from './secrets';

interface Span { start: number; end: number; keep: number }

const ELLIPSIS = '…';

/** How many first characters of a value without a known prefix may be shown (as `redact` does). */
function shownLength(value: string): number {
  return Math.max(1, Math.min(4, Math.floor(value.length / 3)));
}

/** `scheme://user:password@host`: the password (it may itself contain `@`, so the last `@` ends it). */
const URL_PASSWORD = /\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@?#'"`]*:([^\s/?#'"`]+)@/gi;
/** libpq / ADO.NET: `password=s3cret`, `Pwd=s3cret;`. */
const DSN_PASSWORD = /(?:^|[\s;'"`(])(?:password|pwd)\s*=\s*([^\s;'"`)]+)/gi;
/** `Bearer eyJ…`, `Basic dXNlcjpwYXNz`, `token abc…` in headers. */
const AUTH_SCHEME = /\b(?:Bearer|Basic|Token|Bot)\s+([A-Za-z0-9+/=._~-]{8,})/g;
/** `?api_key=…`, `&access_token=…`. */
const QUERY_PARAM = /[?&]([A-Za-z_][\w.-]*)=([^&#\s'"`]+)/g;

function spans(text: string, known: readonly string[]): Span[] {
  const out: Span[] = keySpans(text);
  const group = (re: RegExp, g: number, keepOf: (v: string) => number = () => 0) => {
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const v = m[g];
      if (!v || v === ELLIPSIS || v.startsWith(ELLIPSIS)) continue;
      const start = m.index + m[0].lastIndexOf(v);
      out.push({ start, end: start + v.length, keep: keepOf(v) });
    }
  };
  group(URL_PASSWORD, 1);
  group(DSN_PASSWORD, 1);
  group(AUTH_SCHEME, 1, shownLength);
  QUERY_PARAM.lastIndex = 0;
  for (let m = QUERY_PARAM.exec(text); m; m = QUERY_PARAM.exec(text)) {
    const [all, param, value] = m;
    if (value.length < 8 || !(isCredentialName(param) || /^(?:key|appid|app_?key|sig|signature)$/i.test(param))) continue;
    const start = m.index + all.length - value.length;
    out.push({ start, end: start + value.length, keep: shownLength(value) });
  }
  for (const k of known) {
    if (k.length < 4) continue;
    for (let i = text.indexOf(k); i !== -1; i = text.indexOf(k, i + k.length)) out.push({ start: i, end: i + k.length, keep: shownLength(k) });
  }
  return out.filter((s) => s.end - s.start > s.keep);
}

/** The text with every secret cut down to its visible prefix and `…`. */
export function redactSecrets(text: string, known: readonly string[] = []): string {
  const found = spans(text, known).sort((a, b) => a.start - b.start || b.end - a.end);
  if (!found.length) return text;
  let out = '';
  let pos = 0;
  for (const s of found) {
    if (s.end <= pos) continue;
    const cut = Math.max(pos, s.start + s.keep);
    out += text.slice(pos, cut) + ELLIPSIS;
    pos = s.end;
  }
  return out + text.slice(pos);
}

/** Whether a text holds something redactSecrets would cut. */
export function containsSecret(text: string, known: readonly string[] = []): boolean {
  return spans(text, known).length > 0;
}

/**
 * How a string literal of quoted code may be shown: a provider key as its prefix, short plain
 * words (column names, keys, labels) as they are, anything else as its first characters.
 */
export function shownLiteral(value: string): string {
  const shape = value.length >= 15 ? keyShape(value) : undefined;
  if (shape) return shape.prefix + ELLIPSIS;
  if (value.length <= 3 || (value.length <= 24 && /^[A-Za-z][A-Za-z_.-]*$/.test(value) && !looksGenerated(value))) return value;
  return value.slice(0, shownLength(value)) + ELLIPSIS;
}

/** Code text with the contents of its string literals (quotes, template text) cut to shownLiteral. */
export function redactLiterals(code: string): string {
  let out = '';
  let i = 0;
  while (i < code.length) {
    const q = code[i];
    if (q !== '"' && q !== "'" && q !== '`') { out += q; i++; continue; }
    let j = i + 1;
    let value = '';
    while (j < code.length && code[j] !== q) {
      // A template's `${…}` is code, not literal text: keep it readable.
      if (q === '`' && code[j] === '$' && code[j + 1] === '{') {
        const close = code.indexOf('}', j);
        const end = close === -1 ? code.length : close + 1;
        value += '\u0000' + code.slice(j, end) + '\u0000';
        j = end;
        continue;
      }
      if (code[j] === '\\' && j + 1 < code.length) { value += code[j] + code[j + 1]; j += 2; continue; }
      value += code[j++];
    }
    const shown = value.split('\u0000').map((piece, k) => (k % 2 ? piece : piece && shownLiteral(piece))).join('');
    out += q + shown + (j < code.length ? q : '');
    i = j + 1;
  }
  return out;
}

/**
 * Source code of a node for a message: on one line, string literals cut down (redactLiterals),
 * secrets redacted, at most `max` characters.
 */
export function excerpt(model: CodeModel, n: ir.Node, max = 40): string {
  const one = redactSecrets(redactLiterals(model.text.slice(n.start, n.end).replace(/\s+/g, ' ')));
  return one.length > max ? one.slice(0, max - 3) + '...' : one;
}

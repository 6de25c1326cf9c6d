// What a credential looks like: names that hold one, provider key shapes, connection strings
// with an inline password, and the values that only look like one (labels, placeholders, key
// names). Pure string facts; the hardcoded-secret rule decides where in the tree to ask.

/** Splits an identifier or key into lower-case words: `clientSecret`, `API_KEY`, `x-api-key`. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

/** `apiKey` → `API_KEY`, `x-api-key` → `X_API_KEY`. */
export function upperSnake(name: string): string {
  return nameWords(name).join('_').toUpperCase();
}

/**
 * Credential nouns, matched at the end of a name on a word boundary so that the head noun
 * decides: `clientSecret` and `DB_PASSWORD` hold credentials, `TOKEN_HEADER`, `passwordField`
 * and `secretName` hold names of things.
 */
const CREDENTIAL_TAIL = /(?:^|_)(password|passwd|pwd|passphrase|secret|token|api_?key|api_token|private_key|secret_key|access_key|signing_key|encryption_key|master_key|hmac_key|jwt_key|auth_key|client_secret|access_token|refresh_token|auth_token|bearer_token|secret_access_key)$/;
/** Names ending in a credential noun that still hold no secret: pagination cursors, CSRF field names. */
const NOT_CREDENTIAL_LEAD = /^(?:next|prev|previous|page|cursor|continuation|csrf|xsrf|max|min|num|count|total|error|err|msg|message|label|placeholder|hint|title|text|invalid|missing|expired|unknown|bad|no|show|hide|toggle|forgot)_/;

/** Answers by name: the same few names (`id`, `status`, `email`) are asked about in every file. Bounded. */
const credentialNames = new Map<string, boolean>();

/** Whether a variable, property, key or keyword name says it holds a credential. */
export function isCredentialName(name: string): boolean {
  const known = credentialNames.get(name);
  if (known !== undefined) return known;
  const snake = nameWords(name).join('_');
  const answer = !!snake && CREDENTIAL_TAIL.test(snake) && !NOT_CREDENTIAL_LEAD.test(snake);
  if (credentialNames.size >= 10_000) credentialNames.clear();
  credentialNames.set(name, answer);
  return answer;
}

/**
 * Whether a value is random enough to be an issued token or API key: a plain word there
 * (`token: 'linkified'`) is a label or an identifier.
 */
export function looksGenerated(value: string): boolean {
  return /\d/.test(value) || value.length >= 20 || (/[A-Z]/.test(value) && /[a-z]/.test(value) && value.length >= 12) || /[^A-Za-z\s]/.test(value.replace(/[-_]/g, ''));
}

/**
 * Credential names that say nothing about what the credential is for (`password`, `apiKey`):
 * the environment variable name then comes from the surrounding call (`DB_PASSWORD`).
 */
export function isGenericCredentialName(name: string): boolean {
  return /^(?:password|passwd|pwd|pass|passphrase|secret|token|api_?key|key|secret_key|private_key|access_token|auth_token)$/.test(nameWords(name).join('_'));
}

export interface KeyShape {
  /** What the key is, for messages: `Stripe secret key`. */
  provider: string;
  /** The conventional environment variable name. */
  envName: string;
  /** The recognisable, non-secret prefix shown in messages (`sk_live_`). */
  prefix: string;
  /** The key is the whole string (not embedded in a URL, header or sentence). */
  whole: boolean;
}

interface ShapeDef { re: RegExp; provider: string; envName: string; prefix: (m: RegExpExecArray) => string; minBody?: number }

// Ordered: `sk-ant-` before the OpenAI `sk-` shape. Every pattern requires the random body so
// that prefixes alone (`key.startsWith('sk_live_')`) never match.
const SHAPES: ShapeDef[] = [
  { re: /\b((?:AKIA|ASIA|ABIA|ACCA))[0-9A-Z]{16}(?![0-9A-Za-z])/, provider: 'AWS access key id', envName: 'AWS_ACCESS_KEY_ID', prefix: (m) => m[1] },
  { re: /\b((?:sk|rk)_(?:live|test)_)[0-9a-zA-Z]{10,}/, provider: 'Stripe secret key', envName: 'STRIPE_SECRET_KEY', prefix: (m) => m[1] },
  { re: /\b(whsec_)[0-9a-zA-Z+/=]{10,}/, provider: 'Stripe webhook signing secret', envName: 'STRIPE_WEBHOOK_SECRET', prefix: (m) => m[1] },
  { re: /\b(gh[pousr]_)[0-9A-Za-z]{36}(?![0-9A-Za-z])/, provider: 'GitHub token', envName: 'GITHUB_TOKEN', prefix: (m) => m[1] },
  { re: /\b(github_pat_)[0-9A-Za-z_]{22,}/, provider: 'GitHub token', envName: 'GITHUB_TOKEN', prefix: (m) => m[1] },
  { re: /\b(glpat-)[0-9A-Za-z_-]{20,}/, provider: 'GitLab token', envName: 'GITLAB_TOKEN', prefix: (m) => m[1] },
  { re: /\b(xox[abprs]-)[0-9A-Za-z-]{10,}/, provider: 'Slack token', envName: 'SLACK_TOKEN', prefix: (m) => m[1] },
  { re: /\b(AIza)[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/, provider: 'Google API key', envName: 'GOOGLE_API_KEY', prefix: (m) => m[1] },
  { re: /\b(sk-ant-(?:api|admin)\d*-)[A-Za-z0-9_-]{20,}/, provider: 'Anthropic API key', envName: 'ANTHROPIC_API_KEY', prefix: (m) => m[1] },
  { re: /\b(sk-(?:proj-|svcacct-|admin-)?)(?!ant-)[A-Za-z0-9_-]{20,}/, provider: 'OpenAI API key', envName: 'OPENAI_API_KEY', prefix: (m) => m[1] },
  { re: /\b(SG\.)[\w-]{22}\.[\w-]{43}\b/, provider: 'SendGrid API key', envName: 'SENDGRID_API_KEY', prefix: (m) => m[1] },
  { re: /\b(npm_)[A-Za-z0-9]{36}\b/, provider: 'npm token', envName: 'NPM_TOKEN', prefix: (m) => m[1] },
];

const PEM = /-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY-----([\s\S]*)/;

/**
 * Every shape above (and a JWT) holds a run of at least 13 key characters: a string without one,
 * which is most strings of a program (SQL, messages, paths), is ruled out by one scan instead of
 * one per shape.
 */
const KEY_RUN_LENGTH = 13;

/** Whether the text holds KEY_RUN_LENGTH key characters ([A-Za-z0-9_+/=-]) in a row: one pass, where a regular expression retried the run at every position. */
function hasKeyRun(text: string): boolean {
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const key = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 43 || c === 47 || c === 61 || c === 45;
    if (!key) run = 0;
    else if (++run >= KEY_RUN_LENGTH) return true;
  }
  return false;
}

/** A provider key or a PEM private key inside a string, unless it is a documented placeholder. */
export function keyShape(text: string): KeyShape | undefined {
  if (!hasKeyRun(text) && !text.includes('PRIVATE KEY')) return undefined;
  const pem = PEM.exec(text);
  if (pem) {
    // The header alone is a marker (`pem.startsWith('-----BEGIN PRIVATE KEY-----')`), not a key.
    const material = pem[2].split('-----END')[0].replace(/[^A-Za-z0-9+/=]/g, '');
    if (material.length >= 40 && !looksFilledIn(material)) {
      return { provider: `${pem[1]}private key`, envName: 'PRIVATE_KEY', prefix: `-----BEGIN ${pem[1]}PRIVATE KEY-----`, whole: pem.index === text.search(/\S/) };
    }
  }
  const jwt = /\beyJ[A-Za-z0-9_-]{10,}\.(eyJ[A-Za-z0-9_-]{10,})\.[A-Za-z0-9_-]{10,}/.exec(text);
  // Supabase keys are JWTs: the anon key is public by design, the service_role key bypasses row security.
  if (jwt && /"role"\s*:\s*"service_role"/.test(base64UrlDecode(jwt[1]))) {
    return { provider: 'Supabase service role key', envName: 'SUPABASE_SERVICE_ROLE_KEY', prefix: 'eyJ', whole: jwt[0] === text.trim() };
  }
  for (const s of SHAPES) {
    const m = s.re.exec(text);
    if (!m) continue;
    const body = m[0].slice(m[1].length);
    if (looksFilledIn(body) || !/[0-9]/.test(body) || !/[A-Za-z]/.test(body)) continue;
    return { provider: s.provider, envName: s.envName, prefix: s.prefix(m), whole: m[0] === text.trim() };
  }
  return undefined;
}

/**
 * A key that works against a provider's production account: not a test-mode key (`sk_test_`), a
 * webhook signing secret, a private key or a Supabase key, which tests routinely carry as fakes.
 */
export function isLiveKey(shape: KeyShape | undefined): boolean {
  if (!shape) return false;
  if (/_test_$/.test(shape.prefix)) return false;
  return !/private key|webhook signing secret|Supabase/.test(shape.provider);
}

/**
 * Every provider key and PEM private key inside a text, as spans with the length of the
 * recognisable prefix that may stay visible (`sk_live_`, the PEM header). For redacting output.
 */
export function keySpans(text: string): { start: number; end: number; keep: number }[] {
  const out: { start: number; end: number; keep: number }[] = [];
  for (const s of SHAPES) {
    const re = new RegExp(s.re.source, 'g');
    for (let m = re.exec(text); m; m = re.exec(text)) {
      // The same checks as keyShape: documentation placeholders are not keys.
      if (keyShape(m[0])?.provider === s.provider) out.push({ start: m.index, end: m.index + m[0].length, keep: m[1].length });
    }
  }
  const pem = /-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY-----/g;
  for (let m = pem.exec(text); m; m = pem.exec(text)) {
    const endMarker = text.indexOf('-----END', m.index + m[0].length);
    out.push({ start: m.index, end: endMarker === -1 ? text.length : endMarker, keep: m[0].length });
  }
  const jwt = /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/g;
  for (let m = jwt.exec(text); m; m = jwt.exec(text)) out.push({ start: m.index, end: m.index + m[0].length, keep: 3 });
  return out;
}

function base64UrlDecode(s: string): string {
  try { return Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8'); } catch { return ''; }
}

/**
 * Key bodies that are documentation placeholders rather than issued keys: `sk_test_xxxx…`,
 * AWS's `AKIAIOSFODNN7EXAMPLE`, `ghp_your_token_here`, runs of one character.
 */
function looksFilledIn(body: string): boolean {
  if (/x{4,}|X{4,}|\*{3,}|\.{3}|0{8,}|(.)\1{7,}/.test(body)) return true;
  if (/example|your|placeholder|dummy|redacted|replace|sample|insert|fake|here/i.test(body)) return true;
  if (/123456789|abcdefgh/i.test(body)) return true;
  return new Set(body).size < Math.min(8, Math.ceil(body.length / 3));
}

export interface ConnectionCredential {
  /** The connection string with the password cut out, for messages. */
  display: string;
  user: string;
  /** The server's host name, when the string names one. */
  host?: string;
  /** The conventional environment variable name for the connection string. */
  envName: string;
}

const DB_SCHEMES = /^(?:postgres(?:ql)?|mysql|mysqlx|mariadb|mssql|sqlserver|oracle|cockroachdb|redshift|clickhouse|mongodb(?:\+srv)?)$/;
// NUL stands for an interpolation (see the Template visitor): a password taken from a value is not inline.
// The password runs to the last `@` of the authority (passwords may contain `@`); the host has none.
const URL_WITH_PASSWORD = /\b([a-z][a-z0-9+.-]*):\/\/([^\s:/@?#]*):([^\s/?#\u0000]+)@([^\s/:?#@]+)/i;
/** libpq and ADO.NET style: `host=db user=app password=s3cret`, `Server=db;User Id=sa;Password=s3cret;`. */
const DSN_PASSWORD = /(?:^|[\s;])(?:password|pwd)\s*=\s*([^\s;'"\u0000]+)/i;
const DSN_OTHER_KEY = /(?:^|[\s;])(?:host|hostaddr|dbname|server|data source|database|user|user id|uid|port)\s*=/i;

/** A connection string with a non-placeholder password inline (`postgres://app:pw@db/app`, `host=db password=pw`). */
export function connectionCredential(text: string): ConnectionCredential | undefined {
  const m = URL_WITH_PASSWORD.exec(text);
  if (m) {
    const [, schemeRaw, user, password, host] = m;
    if (isPlaceholderPassword(password)) return undefined;
    // `postgresql+psycopg2` is SQLAlchemy's dialect+driver; `mongodb+srv` is its own scheme.
    const scheme = schemeRaw.toLowerCase().replace(/\+(?!srv$)[a-z0-9]+$/, '');
    const envName = DB_SCHEMES.test(scheme) ? (scheme.startsWith('mongodb') ? 'MONGODB_URI' : 'DATABASE_URL')
      : /^rediss?$/.test(scheme) ? 'REDIS_URL'
      : /^amqps?$/.test(scheme) ? 'AMQP_URL'
      : /^smtps?$/.test(scheme) ? 'SMTP_URL'
      : `${upperSnake(scheme) || 'SERVICE'}_URL`;
    return { display: `${scheme}://${user}:…@${host}`.replace(/\u0000/g, '…'), user, envName, host };
  }
  const d = DSN_PASSWORD.exec(text);
  if (!d || !DSN_OTHER_KEY.test(text) || isPlaceholderPassword(d[1])) return undefined;
  const user = /(?:^|[\s;])(?:user|user id|uid)\s*=\s*([^\s;'"]+)/i.exec(text)?.[1] ?? '';
  const host = /(?:^|[\s;])(?:host|hostaddr|server|data source)\s*=\s*([^\s;'",]+)/i.exec(text)?.[1];
  const display = (text.slice(0, d.index) + text.slice(d.index).replace(d[1], '…')).replace(/\u0000/g, '…');
  return { display: display.length > 60 ? display.slice(0, 57) + '...' : display, user, envName: 'DATABASE_URL', host };
}

function isPlaceholderPassword(password: string): boolean {
  // SQL bind markers (`password = :password`, `= ?`, `= @pw`) and templating are not passwords.
  return isPlaceholder(password) || /^(?:pass(?:word)?|pwd|secret|passwd)$/i.test(password) || /[{}$%<>]/.test(password) || /^[:?@]/.test(password);
}

/**
 * A credential passed as a URL query parameter (`?appid=3f2e…`, `&api_key=…`, `?key=AIza…`):
 * the parameter name and its value. NUL (an interpolation) ends a value.
 */
export function queryCredential(text: string): { param: string; value: string } | undefined {
  const re = /[?&]([A-Za-z_][\w.-]*)=([^&#\s\u0000'"]+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    const [, param, value] = m;
    if (!isCredentialName(param) && !/^(?:key|appid|app_?key)$/i.test(param)) continue;
    if (value.length < 12 || !/\d/.test(value) || !/[A-Za-z]/.test(value) || isPlaceholder(value) || looksFilledIn(value)) continue;
    return { param, value };
  }
  return undefined;
}

/** Placeholder values: `changeme`, `your-api-key-here`, `xxx`, `<secret>`, `${SECRET}`, `****`. */
export function isPlaceholder(value: string): boolean {
  const v = value.trim();
  if (!v) return true;
  // \u2022 (bullet) and \u2026 (ellipsis) below stay escaped: the bundler keeps regex literals as
  // written, and one character past Latin-1 makes V8 hold a bundle's whole source in two bytes a
  // character (test/bundles.test.ts).
  if (/^(?:x+|X+|\*+|\u2022+|\.+|-+|_+|#+|0+|\?+)$/.test(v) || /\*{3,}|\u2022{3,}/.test(v)) return true;
  if (/^<[^<>]*>$|^\$\{[^}]*\}$|^\{\{[^}]*\}\}$|^%\(?\w*\)?s$|^\$[A-Z_][A-Z0-9_]*$/.test(v)) return true;
  if (/^(?:changeme|change[-_ ]?me|change[-_ ]?this|replace[-_ ]?me|todo|tbd|fixme|placeholder|dummy|none|null|undefined|n\/a|test|example|sample|demo|mock|fake|foo|bar|baz|foobar|secret[-_]?here|your[-_ ].*|your[A-Z].*)$/i.test(v)) return true;
  // Type names from schemas and forms: `{ password: 'string' }`.
  if (/^(?:string|str|text|number|boolean|bool|required|optional|hidden)$/.test(v)) return true;
  if (/^your[-_]/i.test(v) || /[-_](?:here|goes[-_]here)$/i.test(v)) return true;
  if (/example|placeholder|dummy/i.test(v)) return true;
  if (/^(?:sk|pk|rk)_(?:live|test)_\.\.\.$|x{6,}|X{6,}/.test(v)) return true;
  return false;
}

/**
 * A value that reads as words for people (labels, messages, i18n strings) rather than a
 * credential: `Password`, `Enter your password`, `Mot de passe`, `Contraseña`, `Password:`.
 */
export function looksLikeText(value: string): boolean {
  const v = value.trim();
  if (/\s/.test(v)) return true;
  if (/^[A-Z][a-z]+$/.test(v)) return true;
  // A word with trailing punctuation (`Password:`, `Passwort?`); `Summer2024!` is a password.
  if (/^[A-Za-z\u00C0-\u024F]+(?:[:\u2026?!]|\.\.\.)$/.test(v)) return true;
  if (/\{\{|\{\d\}|%s|%\(|\$t\(/.test(v)) return true;
  // Letters outside ASCII: a translated word or message (`パスワードは6文字以上`), not a generated secret.
  if ((v.match(/[^\x00-\x7f]/g)?.length ?? 0) >= (/\d/.test(v) ? 3 : 1)) return true;
  return false;
}

/**
 * A value that names something instead of being a secret: an environment variable name
 * (`OPENAI_API_KEY`), a header (`x-api-key`, `authorization`), a path, file or URL without
 * credentials, a dotted lookup key (`auth.password`).
 */
export function looksLikeReference(value: string): boolean {
  const v = value.trim();
  if (/^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/.test(v) && isCredentialName(v)) return true;
  if (/^x-[a-z0-9-]+$/i.test(v) || /^authorization$/i.test(v)) return true;
  if (/^(?:\.{0,2}\/|~\/|[a-z]+:\/\/)/i.test(v)) return true;
  if (/\.(?:pem|key|crt|cer|p12|pfx|json|txt|env|ya?ml|pub)$/i.test(v)) return true;
  // Regular expressions: `[^\W\d]\w*`, `^(?=.*[A-Z]).{8,}$`.
  if (/\\[wdsWDSbB]|\[\^|\(\?[:=!<]|\.[*+]|\{\d+,\d*\}/.test(v)) return true;
  // Symbolic constants: `SECRET_DO_NOT_PASS_THIS_OR_YOU_WILL_BE_FIRED`.
  if (/^[A-Z]+(?:_[A-Z]+){2,}$/.test(v)) return true;
  // Dotted lookup keys: `auth.password`, `msal.cache.encryption`.
  if (/^[a-z_]+(?:\.[a-z_]+)+$/.test(v)) return true;
  // Identifiers naming a credential-bearing thing: `accountTokenHeader`, `session_cookie_name`.
  const words = nameWords(v);
  if (/^[A-Za-z]+(?:_[A-Za-z]+)*$/.test(v) && words.length >= 2 && words.some((w) => /^(?:password|secret|token|auth|api)$/.test(w))
    && /^(?:header|name|field|param|column|id|type|url|path|prefix|label|cookie|attr|attribute|property|prop|env|var|input)$/.test(words[words.length - 1])) return true;
  return false;
}

/** An `Authorization` header value carrying a credential: `Bearer eyJ…`, `Basic dXNlcjpwYXNz`. */
export function isAuthorizationCredential(value: string): boolean {
  const m = /^(?:Bearer|Basic|Token|Bot)\s+(\S{8,})$/i.exec(value.trim());
  return !!m && !isPlaceholder(m[1]);
}

/** A prefix safe to show in messages: never the whole secret. */
export function redact(value: string, knownPrefix?: string): string {
  if (knownPrefix) return `'${knownPrefix}…'`;
  const shown = Math.max(1, Math.min(4, Math.floor(value.length / 3)));
  return `'${value.slice(0, shown)}…'`;
}

/** This machine: a database or broker here is a developer's or CI runner's own, not a deployment's. */
export function isLoopbackHost(host: string): boolean {
  return /^(?:localhost|127(?:\.\d{1,3}){3}|::1|\[::1\]|0\.0\.0\.0|host\.docker\.internal)$/i.test(host.trim());
}

/**
 * A name or code made of words (`feature_access_requirement`, `rc_hk_auth`, `.data-api`,
 * `incorrectPassword`): what lookup keys, storage keys, event names and error codes look like.
 */
export function looksLikeIdentifier(value: string): boolean {
  const v = value.trim();
  if (/^[.:]?[a-z]+(?:[._:-][a-z]+)+$/.test(v)) return true;
  return /^[a-z]+(?:[A-Z][a-z]+)+$/.test(v);
}

/** A password hash rather than a password: bcrypt, argon2, scrypt, Django/Werkzeug formats, or hex of a digest's length. */
export function looksLikePasswordHash(value: string): boolean {
  const v = value.trim();
  if (/^\$(?:2[abxy]?|argon2(?:id|i|d)|scrypt|pbkdf2[-_a-z0-9]*|[156])\$/.test(v)) return true;
  if (/^(?:pbkdf2_sha(?:1|256)|bcrypt(?:_sha256)?|argon2|scrypt)\$/.test(v) || /^(?:pbkdf2|scrypt):[a-z0-9:]+\$/.test(v)) return true;
  return /^[0-9a-f]+$/i.test(v) && [32, 40, 56, 64, 96, 128].includes(v.length);
}

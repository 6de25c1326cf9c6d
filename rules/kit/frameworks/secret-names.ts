// Naming the environment variable a hardcoded secret moves to: the name a provider SDK reads by
// itself (OPENAI_API_KEY), the convention of the call it configures (JWT_SECRET, DATABASE_URL),
// or the variable/key name in UPPER_SNAKE with what it belongs to as prefix (DB_PASSWORD).
import * as ir from '../model/ir';
import type { CodeModel } from '../model/model';
import { connectionCredential, isCredentialName, isGenericCredentialName, keyShape, nameWords, upperSnake } from './secrets';
import { calleeModule, packageName, type Sink, type SinkKind, type Slot } from './secret-flow';

/** Conventional variables per kind of key argument; `strong` names win over the variable's own name. */
const SINK_ENV: Record<SinkKind, { envName: string; strong: boolean }> = {
  jwt: { envName: 'JWT_SECRET', strong: true },
  session: { envName: 'SESSION_SECRET', strong: true },
  cookie: { envName: 'COOKIE_SECRET', strong: true },
  stripe: { envName: 'STRIPE_SECRET_KEY', strong: true },
  twilio: { envName: 'TWILIO_AUTH_TOKEN', strong: true },
  hmac: { envName: 'HMAC_SECRET', strong: false },
  cipher: { envName: 'ENCRYPTION_KEY', strong: false },
  smtp: { envName: 'SMTP_PASSWORD', strong: false },
  database: { envName: 'DB_PASSWORD', strong: false },
  apiKey: { envName: 'API_KEY', strong: false },
};

/**
 * The environment variable a secret moves to; the first match wins: the name the provider SDK
 * reads for a recognised key shape (OPENAI_API_KEY); the convention of a call whose argument is a
 * key by construction (JWT_SECRET, STRIPE_SECRET_KEY); a specific variable or key name in
 * UPPER_SNAKE, prefixed with its owner (`clientSecret` under `github:` → GITHUB_CLIENT_SECRET); the
 * connection-string convention (DATABASE_URL); a weaker call convention (HMAC_SECRET); a generic
 * name prefixed with what it configures (`password` in `new Pool({...})` → DB_PASSWORD).
 * Fallbacks (`process.env.X || '...'`) keep X and are named by the caller.
 */
export function envNameFor(model: CodeModel, v: string, slot: Slot | undefined, sink: Sink | undefined): string {
  const slotName = slot && !slot.envTarget ? slot.name : undefined;
  // Provider SDKs read these names on their own (OPENAI_API_KEY, AWS_ACCESS_KEY_ID, ...).
  const shape = v.length >= 15 ? keyShape(v) : undefined;
  if (shape) return shape.envName;
  if (sink && SINK_ENV[sink.kind].strong) return SINK_ENV[sink.kind].envName;
  if (slotName && nameWords(slotName).join('_') === 'secret_access_key') return 'AWS_SECRET_ACCESS_KEY';
  const prefixed = (name: string) => {
    const prefix = slot ? contextPrefix(model, slot) : undefined;
    const base = upperSnake(name === 'pass' ? 'password' : name);
    return prefix && !base.startsWith(prefix + '_') ? `${prefix}_${base}` : base;
  };
  if (slotName && isCredentialName(slotName) && !isGenericCredentialName(slotName)) return prefixed(slotName);
  const conn = /:\/\/|=/.test(v) ? connectionCredential(v) : undefined;
  if (conn) {
    if (slotName && /(?:url|uri|dsn)$/i.test(slotName) && !/^(?:url|uri|dsn|connection_?string)$/i.test(slotName)) return upperSnake(slotName);
    return conn.envName;
  }
  if (sink && (!slotName || !isCredentialName(slotName))) return sink.envName ?? SINK_ENV[sink.kind].envName;
  if (slotName) {
    const name = prefixed(slotName);
    return name.startsWith('STRIPE_') ? 'STRIPE_SECRET_KEY' : qualifyBareName(model, slot!, name);
  }
  return qualifyBareName(model, undefined, 'SECRET');
}

/** Names that say nothing about which secret they hold; SECRET_KEY is Django's and Flask's own. */
const BARE_NAMES = /^(?:PASSWORD|PASSWD|PWD|PASS|SECRET|TOKEN|KEY|API_KEY|ACCESS_TOKEN|AUTH_TOKEN|PRIVATE_KEY|PASSPHRASE)$/;

/**
 * A bare `PASSWORD` or `SECRET` would collide with every other credential of the app: prefix it
 * with what it belongs to, the account it creates (`email: 'admin@...'` gives ADMIN), the call
 * it configures (`create_user(...)`), the enclosing function, or the module.
 */
function qualifyBareName(model: CodeModel, slot: Slot | undefined, name: string): string {
  if (!BARE_NAMES.test(name)) return name;
  const prefix = (slot && (accountPrefix(slot) ?? callPrefix(slot))) ?? functionPrefix(slot?.node) ?? modulePrefix(model.file);
  return prefix ? `${prefix}_${name}` : `APP_${name}`;
}

function accountPrefix(slot: Slot): string | undefined {
  const siblings: ir.Node[] = slot.obj ? slot.obj.props : slot.node.type === 'Keyword' && slot.node.parent?.type === 'Call' ? slot.node.parent.args : [];
  for (const s of siblings) {
    const key = s.type === 'Prop' ? s.key : s.type === 'Keyword' ? s.name : undefined;
    const value = s.type === 'Prop' || s.type === 'Keyword' ? ir.unwrap(s.value) : undefined;
    if (!key || !/^(?:email|username|user_?name|login)$/i.test(key) || value?.type !== 'Str') continue;
    const local = value.value.split('@')[0];
    if (/^[A-Za-z][A-Za-z0-9_.-]{1,30}$/.test(local)) return upperSnake(local);
  }
  return undefined;
}

function callPrefix(slot: Slot): string | undefined {
  let n: ir.Node | undefined = slot.node;
  while (n && (n.type === 'Prop' || n.type === 'ObjectLit' || n.type === 'Keyword' || n.type === 'ArrayLit')) {
    const p: ir.Node | undefined = n.parent;
    if (p?.type === 'Call') {
      const callee = ir.calleeName(p);
      return callee && !/^(?:new|create|init|Client|connect)$/.test(callee) ? upperSnake(callee) : undefined;
    }
    n = p;
  }
  return undefined;
}

function functionPrefix(n: ir.Node | undefined): string | undefined {
  for (let p = n?.parent; p; p = p.parent) if (p.type === 'Func' && p.name) return upperSnake(p.name);
  return undefined;
}

function modulePrefix(file: string): string | undefined {
  const base = file.replace(/\\/g, '/').split('/').pop()?.replace(/\.[^.]+$/, '') ?? '';
  return /^(?:index|main|app|config|settings|server|__init__)$/.test(base) || !/[A-Za-z]/.test(base) ? undefined : upperSnake(base);
}

const DB_MODULES = /^(?:pg|pg-promise|postgres|mysql|mysql2(?:\/promise)?|mariadb|mssql|tedious|oracledb|sequelize|knex|typeorm|mongoose|mongodb|@prisma\/client|drizzle-orm.*|psycopg2?|psycopg|pymysql|MySQLdb|mysql\.connector|asyncpg|aiomysql|sqlalchemy|pymongo|motor.*)$/;

/** Owners too vague to name a variable after (`config: { secret }`). */
const VAGUE_OWNER = /^(?:headers|body|payload|json|form|fields|query|config|configs|configuration|settings|options|opts|params|credentials|creds|auth|secrets|keys|default|env|environment|production|development|staging|test|local|app|data|values|props)$/i;

/**
 * What a credential belongs to, as a variable name prefix: `DB` inside `new Pool({...})` or
 * Django's `DATABASES`, `REDIS`, `SMTP`, the SDK package it configures (`openai.api_key`), or
 * the key of the object holding it (`github: { clientSecret }` gives GITHUB).
 */
function contextPrefix(model: CodeModel, slot: Slot): string | undefined {
  const generic = isGenericCredentialName(slot.name) || slot.name === 'pass';
  const byModule = (module: string | undefined): string | undefined => {
    if (!module || module.startsWith('.')) return undefined;
    // OAuth providers: next-auth/providers/github, passport-google-oauth20.
    const provider = /^(?:next-auth|@auth\/core)\/providers\/([a-z]+)/.exec(module) ?? /^passport-([a-z]+)/.exec(module);
    if (provider) return upperSnake(provider[1]);
    if (module === 'next-auth') return 'NEXTAUTH';
    if (!generic) return undefined;
    if (DB_MODULES.test(module)) return 'DB';
    if (/^(?:redis|ioredis|@redis\/.*)$/.test(module)) return 'REDIS';
    if (/^(?:nodemailer|smtplib|emails)$/.test(module)) return 'SMTP';
    return upperSnake(packageName(module));
  };
  if (slot.node.type === 'Assign' && slot.node.target.type === 'Member') {
    let root: ir.Node = slot.node.target.object;
    while (root.type === 'Member') root = root.object;
    if (root.type === 'Other' && root.kind === 'this') {
      // `this.apiKey = '...'` in class EmailService: EMAIL_API_KEY.
      let cls: ir.Node | undefined = slot.node.parent;
      while (cls && cls.type !== 'Class') cls = cls.parent;
      const name = cls?.type === 'Class' ? cls.name?.replace(/(?:Service|Client|Api|Provider|Manager|Config|Settings|Helper|Adapter|Gateway)$/, '') : undefined;
      return generic && name ? upperSnake(name) : undefined;
    }
    return root.type === 'Ident' ? byModule(model.moduleOf(root.name)?.module) : undefined;
  }
  let n: ir.Node | undefined = slot.node;
  let immediate = true;
  while (n && (n.type === 'Prop' || n.type === 'ObjectLit' || n.type === 'ArrayLit' || n.type === 'Keyword')) {
    const p: ir.Node | undefined = n.parent;
    if (p?.type === 'Call') return (n.type === 'Keyword' || p.args.includes(n)) ? byModule(calleeModule(model, p)) : undefined;
    const owner = p?.type === 'Prop' && p !== slot.node ? p.key : p?.type === 'Assign' && p.target.type === 'Ident' ? p.target.name : undefined;
    // NextAuth options (`export const authOptions = { secret }`): the library reads NEXTAUTH_SECRET.
    if (owner !== undefined && immediate && /^(?:authOptions|authConfig|nextAuthOptions)$/.test(owner)) return 'NEXTAUTH';
    if (owner !== undefined) {
      const words = nameWords(owner);
      // Settings dictionaries: DATABASES = {"default": {"PASSWORD": ...}}, mail: { smtp: { pass } }.
      if (words.some((w) => /^(?:db|database|databases|postgres|mysql|mongo|mongodb)$/.test(w))) return 'DB';
      if (words.some((w) => /^(?:smtp|mail|mailer|email)$/.test(w))) return 'SMTP';
      if (immediate && !VAGUE_OWNER.test(owner)) return upperSnake(owner);
      immediate = false;
    }
    n = p;
  }
  return undefined;
}

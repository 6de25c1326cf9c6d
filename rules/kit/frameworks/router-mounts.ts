// Where the host app mounts a router defined in another file, relative to the host's app-level
// JSON body parser. A route-level `express.raw()` only gets the bytes when no JSON parser ran
// first, and for a router that order is decided in the module that mounts it. The host is read
// as text (fix time has no model of other files): comments and string contents are blanked so
// that offsets stay and only code is matched.
import * as path from 'path';
import * as ir from '../model/ir';
import type { CodeModel } from '../model/model';
import type { FileChange, FixContext } from '../rule';
import type { WebhookHandler } from './webhooks';

const SOURCE = /\.[cm]?[jt]sx?$/i;
const SKIP_DIRS = /(^|\/)(node_modules|dist|build|coverage|\.git|\.next|out(-[\w-]+)?)\//;

/**
 * The router a handler's route is registered on when this file does not create the app itself
 * (`express.Router()`, `Router()`), so the host's middleware runs first; undefined for an app
 * created here or a route without a receiver.
 */
export function foreignRouter(model: CodeModel, h: WebhookHandler): string | undefined {
  const owner = h.route?.node.type === 'Call' ? h.route.owner : undefined;
  if (!owner || !/^[\w$]+$/.test(owner)) return undefined;
  const value = model.bindings(model.root).get(owner)?.value;
  const v = value && ir.unwrap(value);
  if (v?.type !== 'Call') return undefined;
  return /(^|\.)Router$/.test(ir.dottedName(v.callee) ?? '') ? owner : undefined;
}

/** Names other modules import `owner` by: its export names, `default` for `module.exports = owner`. */
export function exportNames(text: string, owner: string): Set<string> {
  const names = new Set<string>();
  const o = owner.replace(/\$/g, '\\$');
  if (new RegExp(`\\bexport\\s+(?:const|let|var)\\s+${o}\\b`).test(text)) names.add(owner);
  if (new RegExp(`\\b(?:export\\s+default|module\\.exports\\s*=)\\s*${o}\\s*;?\\s*$`, 'm').test(text)) names.add('default');
  for (const m of text.matchAll(new RegExp(`\\b(?:module\\.)?exports\\.([\\w$]+)\\s*=\\s*${o}\\b`, 'g'))) names.add(m[1]);
  for (const m of text.matchAll(/\bexport\s*\{([^}]*)\}/g)) {
    for (const part of m[1].split(',')) {
      const [local, as] = part.trim().split(/\s+as\s+/);
      if (local === owner) names.add(as ?? owner);
    }
  }
  for (const m of text.matchAll(/\bmodule\.exports\s*=\s*\{([^}]*)\}/g)) {
    for (const part of m[1].split(',')) {
      const [key, val] = part.split(':').map((s) => s.trim());
      if ((val ?? key) === owner) names.add(key);
    }
  }
  return names;
}

export type HostPlan =
  /** Every host mounts the router before its JSON parser (or has none): nothing to change. */
  | { kind: 'ok' }
  /** Hosts whose mount moves above their JSON parser, with their full new text. */
  | { kind: 'move'; files: FileChange[] }
  /** No host found, or one that cannot be changed safely: the mount order is unknown. */
  | { kind: 'unknown' };

/** How the workspace's hosts mount the router exported from `ctx.file` as `exported`. */
export function planHostMounts(ctx: FixContext, exported: Set<string>): HostPlan {
  if (!exported.size || !ctx.workspaceRoot) return { kind: 'unknown' };
  const self = path.resolve(ctx.file);
  const stem = path.basename(self).replace(SOURCE, '');
  const files: FileChange[] = [];
  let hosts = 0;
  for (const file of ctx.findFiles((rel) => SOURCE.test(rel) && !SKIP_DIRS.test(rel), 2000)) {
    if (path.resolve(file) === self) continue;
    const text = ctx.readFile(file);
    if (!text || !text.includes(stem) || !/\.use\s*\(/.test(text)) continue;
    const res = hostChange(file, text, self, exported);
    if (res === undefined) continue;
    if (res === 'unsafe') return { kind: 'unknown' };
    hosts++;
    if (res !== 'ok') files.push({ kind: 'create', path: file, content: res });
  }
  if (!hosts) return { kind: 'unknown' };
  return files.length ? { kind: 'move', files } : { kind: 'ok' };
}

export interface Binding { local: string; imported: string; module: string; at: number; esm: boolean }
interface UseCall { owner: string; stmtStart: number; stmtEnd: number; args: { start: number; end: number }[] }

/**
 * The host's new text when its mount of the router comes after the app's JSON parser, 'ok' when
 * it comes before, 'unsafe' when it cannot be moved, undefined when this file does not mount it.
 */
function hostChange(file: string, text: string, router: string, exported: Set<string>): string | 'ok' | 'unsafe' | undefined {
  const code = mask(text);
  const binds = bindings(code, text);
  const routerRefs = binds.filter((b) => resolvesTo(file, b.module, router));
  const uses = topLevelUses(code);
  const isRouter = (a: { start: number; end: number }) => {
    const s = code.slice(a.start, a.end).trim();
    return routerRefs.some((b) => s === b.local ? exported.has(b.imported) || (b.imported === '*' && !b.esm && exported.has('default'))
      : s.startsWith(b.local + '.') && (b.imported === '*') && exported.has(s.slice(b.local.length + 1).trim()));
  };
  const mounts = uses.filter((u) => u.args.some(isRouter));
  if (!mounts.length) return routerRefs.length && nestedMount(code, routerRefs) ? 'unsafe' : undefined;
  if (mounts.length > 1) return 'unsafe';
  const mount = mounts[0];
  // Only an app this file creates has no middleware of its own from elsewhere.
  const created = new RegExp(`\\b(?:const|let|var)\\s+${mount.owner.replace(/\$/g, '\\$')}\\s*=\\s*([\\w$]+)\\s*\\(\\s*\\)`).exec(code);
  if (!created || !binds.some((b) => b.local === created[1] && b.module === 'express')) return 'unsafe';
  const mountPath = literal(text, code, mount.args[0]);
  const parser = uses.find((u) => u.owner === mount.owner && u.stmtStart < mount.stmtStart && isGlobalJson(code, text, binds, u, mountPath));
  if (!parser) return 'ok';
  const dest = leadingCommentStart(text, parser.stmtStart);
  // Everything the mount evaluates must already exist at its new place.
  for (const m of code.slice(mount.stmtStart, mount.stmtEnd).matchAll(/(?<![\w$.])[A-Za-z_$][\w$]*/g)) {
    const name = m[0];
    const b = binds.find((x) => x.local === name);
    if (b) { if (!b.esm && b.at >= dest) return 'unsafe'; continue; }
    const first = new RegExp(`(?<![\\w$.])${name.replace(/\$/g, '\\$')}(?![\\w$])`).exec(code);
    if (first && first.index >= dest && first.index < mount.stmtStart) return 'unsafe';
  }
  const from = leadingCommentStart(text, mount.stmtStart);
  let to = text.indexOf('\n', mount.stmtEnd);
  to = to === -1 ? text.length : to + 1;
  const moved = text.slice(from, to);
  const blankBefore = from >= 2 && text[from - 1] === '\n' && text[from - 2] === '\n';
  const cut = blankBefore && text[to] === '\n' ? to + 1 : to;
  // The mount joins the parser's group of `use` lines, as one of them.
  return text.slice(0, dest) + moved + text.slice(dest, from) + text.slice(cut);
}

/** A reference to the router inside a nested `use(...)` the top-level scan does not see. */
function nestedMount(code: string, refs: Binding[]): boolean {
  return refs.some((b) => new RegExp(`\\.use\\s*\\([^;]*(?<![\\w$.])${b.local.replace(/\$/g, '\\$')}(?![\\w$])`).test(code));
}

/** `app.use(express.json())`, `app.use(bodyParser.json())`, `app.use(json())` covering the mount path. */
function isGlobalJson(code: string, text: string, binds: Binding[], u: UseCall, mountPath: string | undefined): boolean {
  const first = u.args[0] && literal(text, code, u.args[0]);
  if (first !== undefined && !['/', '*', ''].includes(first) && mountPath !== undefined && !(mountPath + '/').startsWith(first.replace(/\/?$/, '/'))) return false;
  return u.args.some((a) => {
    const s = code.slice(a.start, a.end).trim();
    const m = /^([\w$]+)(?:\s*\.\s*(json))?\s*\(([\s\S]*)\)$/.exec(s);
    if (!m) return false;
    const b = binds.find((x) => x.local === m[1] && (x.module === 'express' || x.module === 'body-parser'));
    const isJson = m[2] ? b && (b.imported === 'default' || b.imported === '*') : b?.imported === 'json';
    // A parser that keeps the bytes (`verify`) or only parses other types lets the raw body through.
    return !!isJson && !/\b(verify|type)\s*:/.test(m[3]);
  });
}

export function literal(text: string, code: string, a?: { start: number; end: number }): string | undefined {
  if (!a) return undefined;
  const s = code.slice(a.start, a.end).trim();
  if (!/^(['"`])\s*\1$/.test(s)) return undefined;
  const off = a.start + code.slice(a.start, a.end).indexOf(s[0]);
  return text.slice(off + 1, off + s.length - 1);
}

export function resolvesTo(hostFile: string, spec: string, target: string): boolean {
  if (!spec.startsWith('.')) return false;
  const strip = (p: string) => p.replace(SOURCE, '');
  const abs = path.resolve(path.dirname(hostFile), spec);
  const want = strip(target);
  return strip(abs) === want || path.join(abs, 'index') === want;
}

/** ES imports and `require` bindings at any level: `import x, { a as b } from 'm'`, `const { a } = require('m')`. */
export function bindings(code: string, text: string): Binding[] {
  const out: Binding[] = [];
  const spec = (quoteAt: number) => {
    const q = text[quoteAt];
    const end = text.indexOf(q, quoteAt + 1);
    return end === -1 ? '' : text.slice(quoteAt + 1, end);
  };
  for (const m of code.matchAll(/\bimport\s+(?!type\s)([\w$*{}\s,]+?)\s*from\s*(?=['"])/g)) {
    const module = spec(m.index! + m[0].length);
    const clause = m[1];
    const ns = /\*\s*as\s+([\w$]+)/.exec(clause);
    if (ns) out.push({ local: ns[1], imported: '*', module, at: m.index!, esm: true });
    const def = /^([\w$]+)/.exec(clause.trim());
    if (def) out.push({ local: def[1], imported: 'default', module, at: m.index!, esm: true });
    const named = /\{([^}]*)\}/.exec(clause);
    for (const part of named ? named[1].split(',') : []) {
      const [imported, local] = part.replace(/^\s*type\s+/, '').trim().split(/\s+as\s+/);
      if (imported) out.push({ local: local ?? imported, imported, module, at: m.index!, esm: true });
    }
  }
  for (const m of code.matchAll(/\b(?:const|let|var)\s+([\w$]+|\{[^}]*\})\s*=\s*require\s*\(\s*(?=['"])/g)) {
    const quote = m.index! + m[0].length;
    const module = spec(quote);
    const after = /^\s*\)\s*\.\s*([\w$]+)/.exec(code.slice(quote + module.length + 2));
    const target = m[1];
    if (!target.startsWith('{')) {
      out.push({ local: target, imported: after ? after[1] : module === 'express' || module === 'body-parser' ? 'default' : '*', module, at: m.index!, esm: false });
      continue;
    }
    for (const part of target.slice(1, -1).split(',')) {
      const [imported, local] = part.trim().split(/\s*:\s*/);
      if (imported) out.push({ local: local ?? imported, imported, module, at: m.index!, esm: false });
    }
  }
  return out;
}

/** `x.use(...)` statements at the top level of the module, each alone on its lines. */
function topLevelUses(code: string): UseCall[] {
  const out: UseCall[] = [];
  let depth = 0;
  for (let i = 0; i < code.length; i++) {
    const c = code[i];
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    if (depth !== 0 || !/[A-Za-z_$]/.test(c) || /[\w$.]/.test(code[i - 1] ?? '')) continue;
    const m = /^([\w$]+)\s*\.\s*use\s*\(/.exec(code.slice(i, i + 200));
    if (!m) continue;
    const open = i + m[0].length - 1;
    const close = matching(code, open);
    if (close === -1) break;
    const lineStart = code.lastIndexOf('\n', i - 1) + 1;
    let end = close + 1;
    if (code[end] === ';') end++;
    const restOfLine = code.slice(end, (code.indexOf('\n', end) + 1 || code.length + 1) - 1);
    if (code.slice(lineStart, i).trim() === '' && restOfLine.trim() === '') out.push({ owner: m[1], stmtStart: i, stmtEnd: end, args: splitArgs(code, open + 1, close) });
    i = end - 1;
  }
  return out;
}

export function matching(code: string, open: number): number {
  let d = 0;
  for (let i = open; i < code.length; i++) {
    if ('([{'.includes(code[i])) d++;
    else if (')]}'.includes(code[i]) && --d === 0) return i;
  }
  return -1;
}

export function splitArgs(code: string, from: number, to: number): { start: number; end: number }[] {
  const args: { start: number; end: number }[] = [];
  let d = 0;
  let start = from;
  for (let i = from; i < to; i++) {
    if ('([{'.includes(code[i])) d++;
    else if (')]}'.includes(code[i])) d--;
    else if (code[i] === ',' && d === 0) { args.push({ start, end: i }); start = i + 1; }
  }
  if (code.slice(start, to).trim()) args.push({ start, end: to });
  return args;
}

/** The text with comments and the contents of strings and templates blanked (offsets kept). */
export function mask(text: string): string {
  const out = text.split('');
  const blank = (from: number, to: number) => { for (let k = from; k < to; k++) if (out[k] !== '\n') out[k] = ' '; };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '/' && text[i + 1] === '/') {
      const end = text.indexOf('\n', i);
      const e = end === -1 ? text.length : end;
      blank(i, e);
      i = e - 1;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      const e = end === -1 ? text.length : end + 2;
      blank(i, e);
      i = e - 1;
    } else if (c === '"' || c === "'" || c === '`') {
      let j = i + 1;
      while (j < text.length && text[j] !== c && !(c !== '`' && text[j] === '\n')) j += text[j] === '\\' ? 2 : 1;
      blank(i + 1, Math.min(j, text.length));
      i = j;
    }
  }
  return out.join('');
}

/** Start of the line holding `offset`, moved up over the comment lines directly above it. */
function leadingCommentStart(text: string, offset: number): number {
  let start = text.lastIndexOf('\n', offset - 1) + 1;
  while (start > 0) {
    const prev = text.lastIndexOf('\n', start - 2) + 1;
    if (!/^\s*(\/\/|\/\*|\*)/.test(text.slice(prev, start - 1))) break;
    start = prev;
  }
  return start;
}

// Where a request body or an uploaded file is taken in, and the size it is allowed to reach:
// multer, busboy, formidable, express-fileupload and the express/body-parser parsers in JS;
// Flask MAX_CONTENT_LENGTH, Django DATA_UPLOAD_MAX_MEMORY_SIZE and FastAPI reads in Python.
import * as ir from '../kit/model/ir';
import type { CodeModel } from '../kit/model/model';
import { constantString } from '../kit/model/values';
import { webhookHandlers } from '../kit/frameworks/webhooks';

export const LIMIT_BYTES = 10 * 1024 * 1024;

export type UploadKind = 'multer' | 'busboy' | 'formidable' | 'fileupload' | 'body-limit' | 'koa-body' | 'flask-limit' | 'flask-missing' | 'django-limit' | 'fastapi-read';

export interface UploadSite {
  kind: UploadKind;
  /** The configuring call or assignment (the read, for FastAPI). */
  node: ir.Node;
  /** Where the finding points: the limit value, or the call. */
  at: ir.Node;
  /** The options object literal the fix edits, when there is one. */
  options?: ir.ObjectLit;
  /** The limit as configured, in bytes (Infinity for none), when known. */
  bytes?: number;
  /** The name messages use: `multer()`, `express.json()`, `MAX_CONTENT_LENGTH`. */
  name: string;
}

const UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3, tb: 1024 ** 4 };

/** A size in bytes: numbers, `a * b` products, the `bytes` strings body-parser takes ('50mb'), None/null for no limit. */
export function byteSize(model: CodeModel, n: ir.Node | undefined, depth = 0): number | undefined {
  if (!n || depth > 6) return undefined;
  const u = ir.unwrap(n);
  switch (u.type) {
    case 'Num': return u.value;
    case 'Lit': return u.value === 'null' ? Infinity : undefined;
    case 'Ident': {
      if (u.name === 'Infinity') return Infinity;
      const v = model.valueOf(u);
      return v && v !== u ? byteSize(model, v, depth + 1) : undefined;
    }
    case 'Binary': {
      const l = byteSize(model, u.left, depth + 1);
      const r = byteSize(model, u.right, depth + 1);
      if (l === undefined || r === undefined) return undefined;
      if (u.op === '*') return l * r;
      if (u.op === '+') return l + r;
      if (u.op === '<<') return l * 2 ** r;
      if (u.op === '**') return l ** r;
      return undefined;
    }
    default: {
      const s = constantString(model, u);
      const m = s !== undefined ? /^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb|gb|tb)?\s*$/i.exec(s) : null;
      return m ? Number(m[1]) * UNITS[(m[2] ?? 'b').toLowerCase()] : undefined;
    }
  }
}

function objectOf(model: CodeModel, n: ir.Node | undefined): ir.ObjectLit | undefined | 'opaque' {
  if (!n) return undefined;
  const u = ir.unwrap(n);
  if (u.type === 'ObjectLit') return u;
  if (u.type === 'Ident') {
    const v = model.valueOf(u);
    if (v && ir.unwrap(v).type === 'ObjectLit') return ir.unwrap(v) as ir.ObjectLit;
  }
  return 'opaque';
}

function prop(o: ir.ObjectLit | undefined, key: string): ir.Node | undefined {
  return o ? ir.propOf(o, key)?.value : undefined;
}

/** The module a call's callee was imported from, and whether the callee is the module's main export. */
function calleeModule(model: CodeModel, c: ir.Call): { module?: string; main: boolean; member?: string } {
  const callee = ir.unwrap(c.callee);
  if (callee.type === 'Ident') {
    const m = model.moduleOf(callee.name);
    return { module: m?.module, main: !m || m.imported === '*' || m.imported === 'default', member: m && m.imported !== '*' && m.imported !== 'default' ? m.imported : undefined };
  }
  if (callee.type === 'Member' && callee.object.type === 'Ident') return { module: model.moduleOf(callee.object.name)?.module, main: false, member: callee.prop };
  return { main: false };
}

export function jsUploadSite(model: CodeModel, c: ir.Call): UploadSite | undefined {
  const { module, main, member } = calleeModule(model, c);
  if (!module) return undefined;
  const opts = objectOf(model, c.args[0]);
  if (opts === 'opaque') return undefined;
  const limitOf = (o: ir.ObjectLit | undefined, key: string) => {
    const limits = prop(o, 'limits');
    if (limits && ir.unwrap(limits).type !== 'ObjectLit') return 'opaque' as const;
    return byteSize(model, prop(limits && (ir.unwrap(limits) as ir.ObjectLit), key)) ?? (prop(limits && (ir.unwrap(limits) as ir.ObjectLit), key) ? 'opaque' as const : undefined);
  };
  if ((module === 'multer' && main && !c.isNew) || (module === 'busboy' && (main || member === 'Busboy')) || (module === 'express-fileupload' && main)) {
    const size = limitOf(opts, 'fileSize');
    if (size === 'opaque' || (size !== undefined && size !== Infinity)) return undefined;
    const kind: UploadKind = module === 'multer' ? 'multer' : module === 'busboy' ? 'busboy' : 'fileupload';
    return { kind, node: c, at: c, options: opts, bytes: size, name: `${module === 'express-fileupload' ? 'fileUpload' : module}()` };
  }
  if (module === 'formidable' && (main || /^(IncomingForm|Formidable)$/.test(member ?? ''))) {
    const max = prop(opts, 'maxFileSize');
    const size = max ? byteSize(model, max) : 200 * 1024 * 1024;
    if (size === undefined || size <= LIMIT_BYTES) return undefined;
    return { kind: 'formidable', node: c, at: max ?? c, options: opts, bytes: size, name: 'formidable' };
  }
  if (module === 'koa-body' && (main || member === 'koaBody')) {
    // koa-body hands multipart parsing to formidable, whose default file limit is 200 MB.
    for (const key of ['jsonLimit', 'formLimit', 'textLimit']) {
      const v = prop(opts, key);
      const size = byteSize(model, v);
      if (v && size !== undefined && size > LIMIT_BYTES) return { kind: 'body-limit', node: c, at: v, options: opts, bytes: size, name: `koaBody ${key}` };
    }
    const multipart = prop(opts, 'multipart');
    if (!multipart || !(ir.unwrap(multipart).type === 'Lit' && (ir.unwrap(multipart) as ir.Lit).value === 'true')) return undefined;
    const f = prop(opts, 'formidable');
    const fo = f && ir.unwrap(f).type === 'ObjectLit' ? (ir.unwrap(f) as ir.ObjectLit) : undefined;
    if (f && !fo) return undefined;
    const max = prop(fo, 'maxFileSize');
    const size = max ? byteSize(model, max) : 200 * 1024 * 1024;
    if (size === undefined || size <= LIMIT_BYTES) return undefined;
    return { kind: 'koa-body', node: c, at: max ?? multipart, options: opts, bytes: size, name: 'koaBody multipart' };
  }
  if (module === 'fastify' && main && !c.isNew) {
    const v = prop(opts, 'bodyLimit');
    const size = byteSize(model, v);
    if (!v || size === undefined || size <= LIMIT_BYTES) return undefined;
    return { kind: 'body-limit', node: c, at: v, options: opts, bytes: size, name: 'fastify bodyLimit' };
  }
  if ((module === 'express' || module === 'body-parser') && /^(json|urlencoded|raw|text)$/.test(member ?? '')) {
    const limit = prop(opts, 'limit');
    const size = byteSize(model, limit);
    if (!limit || size === undefined || size <= LIMIT_BYTES) return undefined;
    return { kind: 'body-limit', node: c, at: limit, options: opts, bytes: size, name: `${ir.dottedName(c.callee) ?? member}()` };
  }
  return undefined;
}

/** `app.config["MAX_CONTENT_LENGTH"] = ...`, `MAX_CONTENT_LENGTH = ...` (config classes), `DATA_UPLOAD_MAX_MEMORY_SIZE = ...`. */
export function pyLimitSite(model: CodeModel, a: ir.Assign): UploadSite | undefined {
  if (!a.value || a.op !== '=') return undefined;
  const t = a.target;
  const key = t.type === 'Ident' ? t.name : t.type === 'Member' ? t.prop : t.type === 'Index' ? constantString(model, t.index) : undefined;
  if (key !== 'MAX_CONTENT_LENGTH' && key !== 'DATA_UPLOAD_MAX_MEMORY_SIZE') return undefined;
  const size = byteSize(model, a.value);
  if (size === undefined || size <= LIMIT_BYTES) return undefined;
  return { kind: key === 'MAX_CONTENT_LENGTH' ? 'flask-limit' : 'django-limit', node: a, at: a.value, bytes: size, name: key };
}

/** `app.config.update(MAX_CONTENT_LENGTH=...)`. */
export function pyUpdateSite(model: CodeModel, c: ir.Call): UploadSite | undefined {
  if (ir.calleeName(c) !== 'update') return undefined;
  const v = ir.keywordArg(c, 'MAX_CONTENT_LENGTH');
  const size = v && byteSize(model, v);
  if (!v || size === undefined || size <= LIMIT_BYTES) return undefined;
  return { kind: 'flask-limit', node: c, at: v, bytes: size, name: 'MAX_CONTENT_LENGTH' };
}

/** The Flask app this file creates (`app = Flask(__name__)`), when its configuration is all in this file. */
export function flaskAppOf(model: CodeModel): ir.Assign | undefined {
  return model.cached('unboundedUpload:flaskApp', () => {
    if (!model.modules.has('flask') || /MAX_CONTENT_LENGTH/.test(model.text)) return undefined;
    // Configuration loaded from elsewhere (a config object, file, environment) may set the limit.
    if (/\.config\.from_|\.config\.update\(\s*\*\*|\.config\.update\(\s*[a-z_]+\s*\)/.test(model.text)) return undefined;
    for (const c of model.calls) {
      const callee = ir.unwrap(c.callee);
      if (callee.type !== 'Ident' || callee.name !== 'Flask' || model.moduleOf('Flask')?.module !== 'flask') continue;
      const a = c.parent;
      if (a?.type === 'Assign' && a.value === c && a.target.type === 'Ident') return a;
    }
    return undefined;
  });
}

/** `f.save(path)` of a file from `request.files` in a Flask app without MAX_CONTENT_LENGTH. */
export function flaskSaveSite(model: CodeModel, c: ir.Call): UploadSite | undefined {
  if (ir.calleeName(c) !== 'save' || c.callee.type !== 'Member') return undefined;
  if (!fromRequestFiles(model, c.callee.object) || !flaskAppOf(model)) return undefined;
  return { kind: 'flask-missing', node: c, at: c, name: 'MAX_CONTENT_LENGTH' };
}

function fromRequestFiles(model: CodeModel, n: ir.Node, depth = 0): boolean {
  if (depth > 5) return false;
  const u = ir.unwrap(n);
  if (u.type === 'Ident') {
    const b = model.resolve(u);
    if (b?.kind === 'var' && b.node.type === 'Loop' && b.node.iter) return fromRequestFiles(model, b.node.iter, depth + 1);
    const v = model.valueOf(u);
    return !!v && v !== u && fromRequestFiles(model, v, depth + 1);
  }
  return /^request\.files\b/.test(ir.dottedName(u.type === 'Call' ? u.callee : u.type === 'Index' ? u.object : u) ?? '');
}

/** `await file.read()` of an UploadFile, or `await request.body()`, with no size check before it in the function. */
export function fastapiReadSite(model: CodeModel, c: ir.Call): UploadSite | undefined {
  if (c.callee.type !== 'Member' || c.args.length || !/^(read|body)$/.test(c.callee.prop) || c.parent?.type !== 'Await') return undefined;
  const recv = ir.unwrap(c.callee.object);
  if (recv.type !== 'Ident') return undefined;
  const b = model.resolve(recv);
  if (b?.kind !== 'param') return undefined;
  const fn = b.scope as ir.Func;
  const type = fn.params[b.paramIndex!]?.typeText ?? '';
  const isFile = c.callee.prop === 'read' && /\bUploadFile\b/.test(type);
  const isBody = c.callee.prop === 'body' && /\bRequest\b/.test(type);
  if (!isFile && !isBody) return undefined;
  // A webhook receiver reads the raw body to check the provider's signature over its exact
  // bytes; provider events are small, and that read is what the verification rules ask for.
  if (isBody && webhookHandlers(model).some((h) => h.fn === fn)) return undefined;
  // A size or Content-Length check earlier in the handler bounds the read.
  const before = model.text.slice(fn.bodyStart, c.start);
  if (/\.size\b|content-length|content_length|MAX_UPLOAD|max_size|MAX_SIZE/i.test(before)) return undefined;
  return { kind: 'fastapi-read', node: c, at: c, name: `${recv.name}.${c.callee.prop}()` };
}

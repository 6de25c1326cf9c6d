// The unbounded-upload fix: a 10 MB limit where the library takes one (multer and
// express-fileupload `limits.fileSize`, formidable `maxFileSize`, the body parsers' `limit`, Flask
// MAX_CONTENT_LENGTH, Django DATA_UPLOAD_MAX_MEMORY_SIZE) and, in FastAPI, a size check that
// answers 413 before the handler reads the upload into memory.
import * as ir from '../kit/model/ir';
import type { CodeModel } from '../kit/model/model';
import type { FixResult, TextEdit } from '../kit/rule';
import { indentAt, indentUnit, lineStartOf, src } from '../kit/model/literals';
import { statementOf } from '../kit/fixes/stmt-edits';
import { addPyFromImport } from '../kit/fixes/py-imports';
import { quoteOf } from '../kit/fixes/style';
import { afterImports } from '../kit/fixes/module-top';
import { flaskAppOf, type UploadSite } from './unbounded-upload.sites';

const TEN_MB = '10 * 1024 * 1024';
const PY_CONST = 'MAX_UPLOAD_BYTES';

export function whyNoLimit(model: CodeModel, site: UploadSite): string | undefined {
  switch (site.kind) {
    case 'busboy': return 'busboy cuts an oversized file short instead of failing: set limits.fileSize and answer 413 from the file stream\'s \'limit\' event';
    case 'multer': case 'fileupload': case 'formidable':
      if (site.options && ir.propOf(site.options, 'limits') && ir.unwrap(ir.propOf(site.options, 'limits')!.value).type !== 'ObjectLit') return 'limits is set from a value defined elsewhere';
      return undefined;
    case 'fastapi-read': {
      const stmt = statementOf(site.node);
      if (!stmt) return 'the read is not inside a statement a check can precede';
      return undefined;
    }
    default: return undefined;
  }
}

export function addLimits(model: CodeModel, site: UploadSite): FixResult | undefined {
  if (whyNoLimit(model, site)) return undefined;
  const edits: TextEdit[] = [];
  switch (site.kind) {
    case 'multer': case 'fileupload': {
      const extra = site.kind === 'fileupload' ? ', abortOnLimit: true' : '';
      const limits = site.options && ir.propOf(site.options, 'limits');
      if (limits) {
        const o = ir.unwrap(limits.value) as ir.ObjectLit;
        const size = ir.propOf(o, 'fileSize');
        if (size) edits.push({ start: size.value.start, end: size.value.end, newText: TEN_MB });
        else edits.push(o.props.length ? { start: o.props[0].start, end: o.props[0].start, newText: `fileSize: ${TEN_MB}, ` } : { start: o.start, end: o.end, newText: `{ fileSize: ${TEN_MB} }` });
        return { edits };
      }
      return { edits: [insertProp(site.node as ir.Call, site.options, `limits: { fileSize: ${TEN_MB} }${extra}`)] };
    }
    case 'formidable': {
      if (site.at !== site.node) return { edits: [{ start: site.at.start, end: site.at.end, newText: TEN_MB }] };
      return { edits: [insertProp(site.node as ir.Call, site.options, `maxFileSize: ${TEN_MB}`)] };
    }
    case 'body-limit': {
      // Fastify's bodyLimit is a number of bytes; the others take bytes strings.
      if (/bodyLimit$/.test(site.name) || ir.unwrap(site.at).type === 'Num' || ir.unwrap(site.at).type === 'Binary') return { edits: [{ start: site.at.start, end: site.at.end, newText: TEN_MB }] };
      const q = quoteOf(model);
      return { edits: [{ start: site.at.start, end: site.at.end, newText: `${q}10mb${q}` }] };
    }
    case 'koa-body': {
      const f = site.options && ir.propOf(site.options, 'formidable');
      if (site.at.parent?.type === 'Prop' && site.at.parent.key === 'maxFileSize') return { edits: [{ start: site.at.start, end: site.at.end, newText: TEN_MB }] };
      if (f) {
        const o = ir.unwrap(f.value) as ir.ObjectLit;
        const last = o.props[o.props.length - 1];
        return { edits: [last ? { start: last.end, end: last.end, newText: `, maxFileSize: ${TEN_MB}` } : { start: o.start, end: o.end, newText: `{ maxFileSize: ${TEN_MB} }` }] };
      }
      return { edits: [insertProp(site.node as ir.Call, site.options, `formidable: { maxFileSize: ${TEN_MB} }`)] };
    }
    case 'flask-limit': case 'django-limit':
      return { edits: [{ start: site.at.start, end: site.at.end, newText: TEN_MB }] };
    case 'flask-missing': {
      const app = flaskAppOf(model);
      if (!app) return undefined;
      const stmt = statementOf(app) ?? app;
      const nl = model.text.indexOf('\n', stmt.end);
      const at = nl === -1 ? model.text.length : nl + 1;
      const indent = indentAt(model.text, stmt.start);
      const q = quoteOf(model);
      edits.push({ start: at, end: at, newText: `${indent}# Flask answers 413 to a larger request before the view runs.\n${indent}${src(model, (app as ir.Assign).target)}.config[${q}MAX_CONTENT_LENGTH${q}] = ${TEN_MB}\n` });
      return { edits };
    }
    case 'fastapi-read': return fastapiCheck(model, site, edits);
    default: return undefined;
  }
}

/** Adds a property to a call's options object, or gives the call one. */
function insertProp(call: ir.Call, options: ir.ObjectLit | undefined, text: string): TextEdit {
  if (options) {
    const last = options.props[options.props.length - 1];
    return last ? { start: last.end, end: last.end, newText: `, ${text}` } : { start: options.start, end: options.end, newText: `{ ${text} }` };
  }
  return { start: call.end - 1, end: call.end - 1, newText: `{ ${text} }` };
}

function fastapiCheck(model: CodeModel, site: UploadSite, edits: TextEdit[]): FixResult {
  const call = site.node as ir.Call;
  const recv = src(model, (call.callee as ir.Member).object);
  const http = addPyFromImport(model, edits, 'fastapi', 'HTTPException');
  if (!model.identsNamed(PY_CONST).length) {
    const at = afterImports(model);
    edits.push({ start: at, end: at, newText: `\n${PY_CONST} = ${TEN_MB}\n` });
  }
  const stmt = statementOf(call)!;
  const line = lineStartOf(model.text, stmt.start);
  const indent = indentAt(model.text, stmt.start);
  const unit = indentUnit(model.text);
  // UploadFile.size is known once Starlette has spooled the part; a body's size comes from its Content-Length.
  const test = (call.callee as ir.Member).prop === 'read'
    ? `${recv}.size is not None and ${recv}.size > ${PY_CONST}`
    : `int(${recv}.headers.get("content-length") or 0) > ${PY_CONST}`;
  edits.push({ start: line, end: line, newText: `${indent}if ${test}:\n${indent}${unit}raise ${http}(status_code=413, detail="Upload too large")\n` });
  return { edits };
}

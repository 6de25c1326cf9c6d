import { defineRule, format } from '../kit/rule';
import type { CodeModel } from '../kit/model/model';
import { excerpt } from '../kit/frameworks/redact';
import { fastapiReadSite, flaskSaveSite, jsUploadSite, pyLimitSite, pyUpdateSite, type UploadSite } from './unbounded-upload.sites';
import { addLimits, whyNoLimit } from './unbounded-upload.fix';

const messages = {
  unlimited: '{name} accepts uploads of any size: one large or endless upload fills the disk or memory of the server',
  defaultLimit: '{name} allows uploads of {size} by default: set maxFileSize to what the endpoint needs',
  tooLarge: '{name} allows request bodies of {size} ({value}): parsing a body that size ties up memory and CPU for every request that sends one',
  flaskMissing: 'uploaded file saved in a Flask app that sets no MAX_CONTENT_LENGTH: any size is accepted and written out',
  fastapiRead: '{name} reads the whole upload into memory with no size check first',
};

export default defineRule({
  id: 'unbounded-upload',
  category: 'security',
  severity: 'warning',
  languages: ['js', 'py'],
  scope: 'workspace',
  cwe: 770,
  securitySeverity: 5.3,
  triggers: /multer|busboy|Busboy|formidable|IncomingForm|fileupload|koa-body|bodyLimit|json|urlencoded|raw|text|MAX_CONTENT_LENGTH|DATA_UPLOAD_MAX_MEMORY_SIZE|save|read|body/,
  docs: {
    summary: 'Uploads or request bodies without a size limit, or with one above 10 MB: multer/busboy/formidable/express-fileupload without limits, body parsers over 10 MB, Flask MAX_CONTENT_LENGTH and Django DATA_UPLOAD_MAX_MEMORY_SIZE unset or above 10 MB, FastAPI reads with no size check',
    why: '"What happens when the user submits a 50MB file?" An upload handler with no limit takes whatever arrives: a few concurrent multi-gigabyte uploads fill the disk or the memory of the server, and a 100 MB JSON limit lets one request keep the event loop parsing. Frameworks refuse an oversized request cheaply with 413 when a limit is set.',
    fix: 'Add upload limits: `limits: { fileSize: 10 * 1024 * 1024 }` for multer (and `abortOnLimit: true` for express-fileupload), `maxFileSize` for formidable, `limit: \'10mb\'` for the body parsers, `MAX_CONTENT_LENGTH = 10 * 1024 * 1024` for Flask (after the app is created when it has none), `DATA_UPLOAD_MAX_MEMORY_SIZE` for Django, and in FastAPI a check that raises 413 before the upload is read. The fix is unsafe: uploads between 10 MB and the old limit are refused; raise the number where the endpoint needs more.',
    examples: {
      js: {
        bad: "const multer = require('multer');\nconst upload = multer({ dest: 'uploads/' });\napp.post('/avatar', upload.single('avatar'), (req, res) => res.sendStatus(204));\n",
        good: "const multer = require('multer');\nconst upload = multer({ dest: 'uploads/', limits: { fileSize: 5 * 1024 * 1024 } });\napp.post('/avatar', upload.single('avatar'), (req, res) => res.sendStatus(204));\n",
      },
      py: {
        bad: "from flask import Flask\napp = Flask(__name__)\napp.config['MAX_CONTENT_LENGTH'] = 500 * 1024 * 1024\n",
        good: "from flask import Flask\napp = Flask(__name__)\napp.config['MAX_CONTENT_LENGTH'] = 10 * 1024 * 1024\n",
      },
    },
  },
  messages,
  create({ model, report }) {
    const emit = (site: UploadSite | undefined) => {
      if (!site) return;
      report({ node: site.at, message: messageFor(model, site), data: { site: [site.node.start, site.node.end] }, noFix: whyNoLimit(model, site) ?? false });
    };
    return {
      Call(c) {
        if (model.lang === 'js') return emit(jsUploadSite(model, c));
        emit(pyUpdateSite(model, c) ?? flaskSaveSite(model, c) ?? fastapiReadSite(model, c));
      },
      Assign(a) {
        if (model.lang === 'py') emit(pyLimitSite(model, a));
      },
    };
  },
  fix: {
    title: 'Add upload limits',
    safety: 'unsafe',
    produce(finding, ctx) {
      const site = siteAt(ctx.model, finding.data?.site as number[] | undefined);
      return site ? addLimits(ctx.model, site) : undefined;
    },
  },
});

function size(bytes: number | undefined): string {
  if (bytes === undefined || bytes === Infinity) return 'any size';
  const mb = bytes / (1024 * 1024);
  return mb >= 1024 ? `${+(mb / 1024).toFixed(1)} GB` : `${+mb.toFixed(1)} MB`;
}

function messageFor(model: CodeModel, site: UploadSite): string {
  switch (site.kind) {
    case 'multer': case 'busboy': case 'fileupload': return format(messages.unlimited, { name: site.name });
    case 'koa-body': return site.at.parent?.type === 'Prop' && site.at.parent.key === 'maxFileSize' ? format(messages.tooLarge, { name: site.name, size: size(site.bytes), value: excerpt(model, site.at) }) : format(messages.defaultLimit, { name: 'koaBody multipart (formidable)', size: size(site.bytes) });
    case 'formidable': return site.at === site.node ? format(messages.defaultLimit, { name: site.name, size: size(site.bytes) }) : format(messages.tooLarge, { name: site.name, size: size(site.bytes), value: excerpt(model, site.at) });
    case 'flask-missing': return messages.flaskMissing;
    case 'fastapi-read': return format(messages.fastapiRead, { name: site.name });
    default: return site.bytes === Infinity ? format(messages.unlimited, { name: site.name }) : format(messages.tooLarge, { name: site.name, size: size(site.bytes), value: excerpt(model, site.at) });
  }
}

function siteAt(model: CodeModel, range: number[] | undefined): UploadSite | undefined {
  if (!range) return undefined;
  const [start, end] = range;
  for (const c of model.calls) {
    if (c.start !== start || c.end !== end) continue;
    return model.lang === 'js' ? jsUploadSite(model, c) : pyUpdateSite(model, c) ?? flaskSaveSite(model, c) ?? fastapiReadSite(model, c);
  }
  for (const a of model.nodesOfType('Assign')) if (a.start === start && a.end === end) return pyLimitSite(model, a);
  return undefined;
}

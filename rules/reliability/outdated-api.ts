import * as path from 'path';
import * as ir from '../kit/model/ir';
import type { CodeModel } from '../kit/model/model';
import { defineRule, format } from '../kit/rule';
import { installedVersion, versionSatisfies } from '../kit/workspace/versions';
import { API_CHANGES, type ApiChange } from './outdated-api/data';
import { candidates, hasShape, normModule } from './outdated-api.match';
import { planFix, produceFix } from './outdated-api.fix';

const messages = {
  versioned: '{api} is {status} in {library} {version} (the version {lockfile} installs): use {replacement}; migration guide: {guide}',
  runtime: '{api} is {status} in Node.js (deprecated since Node 10, gone in Node 22): use {replacement}; see {guide}',
};

/** Which API changes apply to the installed version, once per file and library. */
function installed(model: CodeModel, change: ApiChange): { version: string; file: string } | undefined | null {
  if (change.ecosystem === 'runtime') return null;
  return model.cached(`outdated-api.version:${change.ecosystem}:${change.library}`, () => installedVersion(model, change.ecosystem as 'npm' | 'pypi', change.library));
}

export default defineRule({
  id: 'outdated-api',
  category: 'reliability',
  severity: 'warning',
  languages: ['js', 'py'],
  scope: 'workspace',
  cwe: 477,
  triggers: /langchain|openai|sqlalchemy|pydantic|flask|express|mongoose|next\/headers|crypto/,
  docs: {
    summary: 'A call to an API that the library version installed by the workspace lockfile or pins removed or deprecated: LangChain 0.1 LLMChain under langchain 0.2+, openai.ChatCompletion under openai 1.x, SQLAlchemy engine.execute under 2.0, pydantic v1 .dict() under 2.x, Express 4 signatures under 5, Mongoose callbacks under 7, synchronous Next.js cookies() under 15',
    why: 'Assistants learned from years of code written against older releases, and keep writing the APIs those releases had: LangChain 0.1 `LLMChain`, `openai.ChatCompletion.create`, SQLAlchemy 1.x `engine.execute`. Against the version the lockfile installs, a removed API fails at the first call in production (`AttributeError: module \'openai\' has no attribute \'ChatCompletion\'`, `TypeError: Configuration is not a constructor`) and a deprecated one breaks at the next upgrade. The rule reads the installed version from the workspace\'s lockfile or pins (`package-lock.json`, `yarn.lock`, `pnpm-lock.yaml`, `poetry.lock`, `uv.lock`, `requirements*.txt` `==` pins) of the file\'s workspace root and stays silent where no lockfile says which version runs, or where the call is valid in that version (pydantic 1.x `.dict()`, `pydantic.v1` models, openai 0.28). The knowledge is data, one file per library, with the version range, the replacement and the migration guide.',
    fix: 'Use the current API, where the change is mechanical: pydantic `.dict()` → `.model_dump()`, `.json()` → `.model_dump_json()`, `parse_obj` → `model_validate` (and the other renamed model methods); `openai.ChatCompletion.create(...)` → `client.chat.completions.create(...)` with `client = OpenAI()` created once (from `openai.api_key` when the code sets it); `LLMChain(llm=..., prompt=...)` → `prompt | llm | StrOutputParser()` with its `run`/`predict` calls turned into `invoke`; Express `app.del` → `app.delete`. The openai and LangChain fixes are unsafe: openai 1.x returns objects, so `response["choices"]` becomes `response.choices`, which the fix does not rewrite; check the code that reads the response. Other changes (validators, Mongoose callbacks, engine.execute, Express request helpers) are not one-line rewrites: the finding links the migration guide.',
    examples: {
      py: {
        workspace: { 'requirements.txt': 'fastapi==0.111.0\npydantic==2.7.1\n' },
        bad: "from pydantic import BaseModel\n\n\nclass Invoice(BaseModel):\n    total: int\n\n\ndef serialise(invoice: Invoice):\n    return invoice.dict()\n",
        good: "from pydantic import BaseModel\n\n\nclass Invoice(BaseModel):\n    total: int\n\n\ndef serialise(invoice: Invoice):\n    return invoice.model_dump()\n",
      },
      js: {
        bad: "// Node's crypto needs no lockfile: createCipher is gone in every supported Node\nconst crypto = require('crypto');\n\nfunction seal(text, password) {\n  const cipher = crypto.createCipher('aes-256-cbc', password);\n  return cipher.update(text, 'utf8', 'hex') + cipher.final('hex');\n}\n",
        good: "const crypto = require('crypto');\n\nfunction seal(text, key) {\n  const iv = crypto.randomBytes(16);\n  const cipher = crypto.createCipheriv('aes-256-cbc', key, iv);\n  return iv.toString('hex') + cipher.update(text, 'utf8', 'hex') + cipher.final('hex');\n}\n",
      },
    },
  },
  messages,
  create({ model, report }) {
    // Every shape tied to a module matches only where this file imports that module (the matchers
    // compare the import exactly): the others need not be tried on each call.
    const imported = [...model.modules].map(normModule);
    const importsModule = (module: string | RegExp) => (typeof module === 'string' ? imported.includes(module) : imported.some((m) => module.test(m)));
    const changes = API_CHANGES.filter((c) => c.lang === model.lang && (!('module' in c.shape) || importsModule(c.shape.module)));
    if (!changes.length) return {};
    const check = (node: ir.Call | ir.Member | ir.Ident, at: ir.Node) => {
      for (const change of candidates(changes, node)) {
        if (!hasShape(model, node, change.shape)) continue;
        const v = installed(model, change);
        if (v === undefined) continue;
        if (v && !versionSatisfies(v.version, change.versions)) continue;
        const message = v
          ? format(messages.versioned, { api: change.api, status: change.status, library: change.library, version: v.version, lockfile: path.basename(v.file), replacement: change.replacement, guide: change.guide })
          : format(messages.runtime, { api: change.api, status: change.status, replacement: change.replacement, guide: change.guide });
        const plan = change.fix && node.type === 'Call' ? planFix(model, node, change.fix) : 'the change is not mechanical: follow the migration guide';
        const data = { api: change.api, library: change.library, callStart: node.start, callEnd: node.end };
        report({ node: at, message, data, noFix: typeof plan === 'string' ? plan : undefined });
        return;
      }
    };
    return {
      Call(call) { check(call, call); },
      // `@app.before_first_request` is a decorator written without a call.
      Func(fn) { for (const d of fn.decorators) if (d.type === 'Member' || d.type === 'Ident') check(d, d); },
    };
  },
  fix: {
    title: 'Use the current API',
    safety: 'unsafe',
    produce(finding, { model }) {
      const change = API_CHANGES.find((c) => c.lang === model.lang && c.api === finding.data?.api && c.library === finding.data?.library && c.fix);
      return change?.fix && produceFix(model, finding.data!, change.fix);
    },
  },
});

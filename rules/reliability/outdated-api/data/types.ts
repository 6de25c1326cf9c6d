// The shape of the removed/deprecated API knowledge: one file per library, each entry saying which
// installed versions lack the API (a semver range), how the code calls it, what replaces it and
// where the library's migration guide is. Adding a library is adding a file and listing it in index.ts.
import type { Lang } from '../../../kit/model/ir';

export type ApiShape =
  /** A name imported from a module and called, instantiated or used as a decorator: `LLMChain(...)`, `@validator`. */
  | { kind: 'imported'; module: RegExp; name: string }
  /** A member path under the module object: `openai.ChatCompletion.create(...)` after `import openai`. */
  | { kind: 'module-member'; module: string; path: string }
  /** A method called on a value made by an imported constructor or factory: `engine.execute()` of `create_engine()`. */
  | { kind: 'method-of'; module: string; factory: string; method: string }
  /** A method on an instance (or, for `static`, the class) of a class extending an imported base: pydantic `.dict()`. */
  | { kind: 'model-method'; module: string; base: string; method: string; on: 'instance' | 'class' }
  /** An Express request/response method in a route handler: `req.param()`, `res.send(404)`. */
  | { kind: 'express-handler'; object: 'req' | 'res'; method: string; numericFirstArg?: boolean }
  /** A model method called with a node-style callback as last argument: `User.findOne(q, (err, doc) => ...)`. */
  | { kind: 'callback-method'; module: string; methods: string[] }
  /** A call of an imported function used synchronously (no `await`, no `use()`): Next.js 15 `cookies().get()`. */
  | { kind: 'sync-call'; module: string; name: string };

export type MechanicalFix =
  /** The method keeps its arguments under a new name: `.dict()` → `.model_dump()`. */
  | { kind: 'rename-method'; to: string }
  /** `openai.ChatCompletion.create(...)` → `client.chat.completions.create(...)` with `client = OpenAI()`. */
  | { kind: 'openai-client'; resource: string }
  /** `LLMChain(llm=..., prompt=...)` → `prompt | llm | StrOutputParser()`, its `.run(k=v)` calls → `.invoke({...})`. */
  | { kind: 'lcel-chain' };

export interface ApiChange {
  /** The API as a developer writes it, for messages: `openai.ChatCompletion.create`. */
  api: string;
  lang: Lang;
  /** The package in the lockfile (`npm`) or pins (`pypi`); `node` for the runtime itself. */
  library: string;
  ecosystem: 'npm' | 'pypi' | 'runtime';
  /** Installed versions (semver range) in which the API is gone or deprecated. */
  versions: string;
  status: 'removed' | 'deprecated';
  shape: ApiShape;
  /** What to call instead, in a few words. */
  replacement: string;
  /** The library's migration guide. */
  guide: string;
  fix?: MechanicalFix;
}

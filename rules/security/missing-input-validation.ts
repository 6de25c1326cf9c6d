import * as ir from '../kit/model/ir';
import type { CodeModel } from '../kit/model/model';
import { defineRule, format, type Finding, type FixResult, type TextEdit } from '../kit/rule';
import { bodyFieldsUsed, isWholeBody } from '../kit/frameworks/request-body';
import { routeOf } from '../kit/frameworks/routes';
import { withoutComments } from '../kit/model/comments';

const messages = {
  whole: 'the whole request body is written by {call}: a client can set any field, {example}',
};

/** Calls that write their argument to a store (ORMs, ODMs, query builders, document stores). */
const WRITES = /^(create|createMany|insert|insertOne|insertMany|insert_one|insert_many|update|updateOne|updateMany|update_one|update_many|findByIdAndUpdate|findOneAndUpdate|find_one_and_update|upsert|save|build|bulkCreate|set|merge|assign|values|add|put|create_user)$/;
/** Receivers whose `update`/`set` is not a store: hashes, HMACs, maps, headers. */
const NOT_STORE = /hash|hmac|cipher|digest|sign|verif|map|cache|headers?|res\b|response|searchParams|params|url|formData|session|cookies?|set\b|state/i;
/** A check of the body against a schema or form before it is written. */
const VALIDATION = /(?<!JSON)\.(?:safeParse|parse|parseAsync|validate|validateAsync|validateSync|is_valid|load|model_validate|parse_obj|cast)\s*\(|\b(?:validationResult|matchedData|checkSchema|celebrate|plainToInstance|plainToClass|validate|validator|ajv)\b|Serializer\s*\(|Form\s*\(/;

export default defineRule({
  id: 'missing-input-validation',
  category: 'security',
  severity: 'warning',
  languages: ['js', 'py'],
  scope: 'file',
  cwe: 915,
  securitySeverity: 6.5,
  triggers: /body|json|data|POST|form/,
  docs: {
    summary: 'The whole request body is passed into a create or update (mass assignment) with no validation in the handler',
    why: 'A signup handler that stores `req.body` stores every field the client sends: a user who adds `isAdmin: true` or `role: "admin"` to their signup body becomes an administrator, and `balance` or `emailVerified` are as easy. `User.create(req.body)`, `prisma.user.update({ data: req.body })`, `{ ...req.body }`, `Object.assign(user, req.body)`, `User(**request.json)` and a loop that copies every key onto the model all do it. Bodies validated in the handler (zod, joi, yup, express-validator, class-validator, ajv, a Fastify JSON schema, pydantic, marshmallow, a Django ModelForm or DRF serializer) and explicitly picked fields are not reported.',
    fix: 'Pick allowed fields: the whole body is replaced by an object of the fields the handler already uses elsewhere (`{ email, password }` when they are destructured, `{ email: req.body.email }` otherwise; `email=request.json["email"]` for `**request.json`). Unsafe: fields the client sent and the handler never named are no longer stored; add the ones the client may set. A handler that names no field, and a loop copying every key of the body (`setattr(user, key, value)`, `user[key] = value`), get no fix, and say why.',
    examples: {
      js: {
        bad: "app.post('/accounts', async (req, res) => {\n  if (!req.body.email || !req.body.password) return res.status(400).end();\n  const user = await User.create(req.body);\n  res.status(201).json({ id: user.id });\n});\n",
        good: "app.post('/accounts', async (req, res) => {\n  if (!req.body.email || !req.body.password) return res.status(400).end();\n  const user = await User.create({ email: req.body.email, password: req.body.password });\n  res.status(201).json({ id: user.id });\n});\n",
      },
      py: {
        bad: "@app.post(\"/accounts\")\ndef create_account():\n    if not request.json.get(\"email\"):\n        abort(400)\n    user = User(**request.json)\n    db.session.add(user)\n    db.session.commit()\n    return {\"id\": user.id}, 201\n",
        good: "@app.post(\"/accounts\")\ndef create_account():\n    if not request.json.get(\"email\"):\n        abort(400)\n    user = User(email=request.json[\"email\"], password=request.json[\"password\"])\n    db.session.add(user)\n    db.session.commit()\n    return {\"id\": user.id}, 201\n",
      },
    },
  },
  messages,
  create({ model, report }) {
    return {
      Loop(loop) {
        // `for k, v in data.items(): setattr(user, k, v)`, `for (const [k, v] of Object.entries(req.body)) user[k] = v`.
        const body = loopOverBody(model, loop);
        if (!body) return;
        const fn = ir.enclosingFunction(loop);
        if (!fn || validates(model, fn) || !copiesKeys(model, loop)) return;
        report({
          node: loop.iter ?? loop,
          message: format(messages.whole, { call: 'a loop copying every key', example: 'isAdmin: true included' }),
          noFix: 'the keys come from the client: copy only an explicit list of allowed fields',
        });
      },
      Call(c) {
        const hit = massAssigned(model, c);
        if (!hit) return;
        const fn = ir.enclosingFunction(c);
        if (!fn || validates(model, fn)) return;
        const fields = bodyFieldsUsed(model, fn);
        const plan = fields.length ? pickEdit(model, hit, fields) : undefined;
        report({
          node: hit.body,
          message: format(messages.whole, { call: callName(model, c), example: 'isAdmin: true included' }),
          data: plan ? { edits: [plan] } : undefined,
          noFix: plan ? undefined : 'the handler names no field of the body to keep: list the fields the client may set',
        });
      },
    };
  },
  fix: { title: 'Pick allowed fields', safety: 'unsafe', produce: (f: Finding): FixResult | undefined => {
    const edits = f.data?.edits as TextEdit[] | undefined;
    return edits?.length ? { edits } : undefined;
  } },
});

type Hit = { body: ir.Node; kind: 'arg' | 'spread' | 'kwargs'; shorthand?: ir.Prop };

/** Where a write call receives the whole body: as an argument, as `data:`, spread into its object, or as `**kwargs`. */
function massAssigned(model: CodeModel, c: ir.Call): Hit | undefined {
  const name = ir.calleeName(c) ?? '';
  const dotted = ir.dottedName(c.callee) ?? '';
  const isAssign = dotted === 'Object.assign';
  const isModel = c.isNew ? isModelClass(model, name) : model.lang === 'py' && /^[A-Z]\w*$/.test(name) && !/Error|Exception|Response|Serializer|Form|Schema$/.test(name);
  // `createBlogPost(req.body)`, `update_settings(**request.json)`: an app's own create/update passes the body on to its store.
  const appWrite = /^(create|insert|update|upsert|save)(?:[A-Z_]\w*)$/.test(name);
  if (!isAssign && !isModel && !appWrite && !WRITES.test(name)) return undefined;
  const recv = c.callee.type === 'Member' ? model.text.slice(c.callee.object.start, c.callee.object.end) : '';
  if (!isAssign && NOT_STORE.test(recv) && !/\b(db|prisma|repo|repository|model|collection|table|knex)\b/i.test(recv)) return undefined;
  for (const [i, a] of c.args.entries()) {
    if (isAssign && i === 0) continue;
    const u = ir.unwrap(a);
    if (u.type === 'Spread') {
      if (u.double && isWholeBody(model, u.arg)) return { body: u, kind: 'kwargs' };
      continue;
    }
    if (model.lang === 'py' && u.type === 'Keyword') continue;
    if (isWholeBody(model, u)) return { body: u, kind: 'arg' };
    if (u.type !== 'ObjectLit') continue;
    for (const p of u.props) {
      if (p.type === 'Spread' && isWholeBody(model, p.arg)) return { body: p, kind: 'spread' };
      if (p.type !== 'Prop' || !/^(data|create|update|values|\$set)$/.test(p.key ?? '')) continue;
      const v = ir.unwrap(p.value);
      if (isWholeBody(model, v)) return { body: v, kind: 'arg', shorthand: p.shorthand ? p : undefined };
      if (v.type === 'ObjectLit') for (const q of v.props) if (q.type === 'Spread' && isWholeBody(model, q.arg)) return { body: q, kind: 'spread' };
    }
  }
  return undefined;
}

/** The whole body a loop walks the keys of: `data.items()`, `Object.entries(req.body)`, `for key in request.json`. */
function loopOverBody(model: CodeModel, loop: ir.Loop): ir.Node | undefined {
  const it = loop.iter && ir.unwrap(loop.iter);
  if (!it) return undefined;
  if (it.type === 'Call') {
    const name = ir.dottedName(it.callee) ?? '';
    if (/^Object\.(entries|keys)$/.test(name) && it.args[0] && isWholeBody(model, it.args[0])) return it.args[0];
    if (it.callee.type === 'Member' && /^(items|keys)$/.test(it.callee.prop) && isWholeBody(model, it.callee.object)) return it.callee.object;
    return undefined;
  }
  return isWholeBody(model, it) ? it : undefined;
}

/** The loop body sets attributes by the key it walks: `setattr(obj, key, ...)`, `obj[key] = ...`. */
function copiesKeys(model: CodeModel, loop: ir.Loop): boolean {
  const inLoop = (n: ir.Node) => n.start >= loop.start && n.end <= loop.end;
  if (model.calls.some((c) => inLoop(c) && ir.calleeName(c) === 'setattr')) return true;
  return model.nodesOfType('Assign').some((a) => inLoop(a) && a.target.type === 'Index' && ir.unwrap(a.target.index).type === 'Ident');
}

/** The handler validates the body itself, or its route runs a validator first. */
function validates(model: CodeModel, fn: ir.Func): boolean {
  if (VALIDATION.test(withoutComments(model.lang, model.text.slice(fn.start, fn.end)))) return true;
  const r = routeOf(model, fn);
  if (!r) return false;
  if (r.middleware.some((m) => /validat|celebrate|schema|\bbody\s*\(|\bcheck\s*\(|zod|joi/i.test(model.text.slice(m.start, m.end)))) return true;
  return r.node.type === 'Call' && r.node.args.some((a) => a.type === 'ObjectLit' && a.props.some((p) => p.type === 'Prop' && p.key === 'schema'));
}

/** `new User(req.body)`: a model class of the app (a local module, or `mongoose.model(...)`), not a built-in or a library class. */
function isModelClass(model: CodeModel, name: string): boolean {
  if (!/^[A-Z]/.test(name) || /^(URLSearchParams|URL|Error|\w+Error|Map|Set|Date|Buffer|Response|Request|Headers|FormData|Blob|Promise|Array|Object|String|Number|Webhook|Stripe)$/.test(name)) return false;
  const imp = model.moduleOf(name);
  return !imp || /^(\.|@\/|~\/|src\/)|model/i.test(imp.module);
}

function callName(model: CodeModel, c: ir.Call): string {
  const s = model.text.slice(c.callee.start, c.callee.end).replace(/\s+/g, '');
  return (c.isNew ? 'new ' : '') + (s.length > 40 ? s.slice(-40) : s);
}

/** Replaces the whole body with the fields the handler already uses. */
function pickEdit(model: CodeModel, hit: Hit, fields: { name: string; local?: ir.Node }[]): TextEdit {
  const bodyNode = hit.body.type === 'Spread' ? hit.body.arg : hit.body;
  const body = model.text.slice(bodyNode.start, bodyNode.end);
  const inScope = (l?: ir.Node) => l?.type === 'Ident' && l.end <= hit.body.start;
  if (model.lang === 'py') {
    const q = /"/.test(model.text) ? '"' : "'";
    const parts = hit.kind === 'kwargs'
      ? fields.map((f) => `${f.name}=${inScope(f.local) ? (f.local as ir.Ident).name : `${body}[${q}${f.name}${q}]`}`)
      : fields.map((f) => `${q}${f.name}${q}: ${body}[${q}${f.name}${q}]`);
    return { start: hit.body.start, end: hit.body.end, newText: hit.kind === 'kwargs' ? parts.join(', ') : `{${parts.join(', ')}}` };
  }
  const parts = fields.map((f) => {
    const local = inScope(f.local) ? (f.local as ir.Ident).name : undefined;
    return local === f.name ? f.name : local ? `${f.name}: ${local}` : `${f.name}: ${body}.${f.name}`;
  });
  if (hit.shorthand) return { start: hit.shorthand.start, end: hit.shorthand.end, newText: `${hit.shorthand.key}: { ${parts.join(', ')} }` };
  return { start: hit.body.start, end: hit.body.end, newText: hit.kind === 'spread' ? parts.join(', ') : `{ ${parts.join(', ')} }` };
}

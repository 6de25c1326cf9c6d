import * as ir from '../kit/model/ir';
import { defineRule, format, type FixResult, type TextEdit } from '../kit/rule';
import { sqlSink, looksLikeSql, dialectFromPackageJson, dialectFromRequirements, type Dialect, type SqlSink } from '../kit/frameworks/sql';
import { stringParts, type StringPart } from '../kit/model/values';
import { isClosedString } from '../kit/model/closed';
import { isOperatorValue } from '../kit/frameworks/config-values';
import { taintOf } from '../kit/frameworks/taint';
import { excerpt } from '../kit/frameworks/redact';
import { firstStringNode, jsString, pyString, quoteStyleOf, src } from '../kit/model/literals';
import type { CodeModel } from '../kit/model/model';
import * as path from 'path';

const messages = {
  request: 'SQL passed to {sink} is built from request data ({value}): a crafted value rewrites the query',
  dynamic: 'SQL passed to {sink} is built from a non-constant value ({value}): use placeholders and pass the value as a parameter',
};

/** SQL keywords after which a value is an identifier (table, column), which placeholders cannot carry. */
const IDENTIFIER_CONTEXT = /\b(order\s+by|group\s+by|from|join|into|update|table|exists|as|by|select|distinct)\s*$|[."`\[]\s*$/i;
const IN_LIST_CONTEXT = /\bin\s*\(\s*$/i;

export default defineRule({
  id: 'sql-injection',
  category: 'security',
  severity: 'error',
  languages: ['js', 'py'],
  scope: 'file',
  cwe: 89,
  securitySeverity: 8.8,
  triggers: /select|insert|update|delete|with|where|raw|replace|merge|pragma|create|drop|alter|truncate/i,
  docs: {
    summary: 'SQL text built by interpolation or concatenation with a non-constant value reaches a query call',
    why: 'A value spliced into SQL is parsed as SQL. An AI-written login that runs `SELECT * FROM users WHERE email = \'${email}\'` lets anyone type `\' OR 1=1 --` into the email field and read every account. Placeholders send the value separately, so it can never change the query.',
    fix: 'Parameterize query: each interpolated value becomes the driver\'s placeholder (`$1..$n` for pg, `?` for mysql/mysql2/sqlite/Knex/Sequelize replacements, `%s` for Python DB-API, `?` for sqlite3, `:name` for SQLAlchemy `text()`) and the values are passed as the parameters argument; Prisma `$queryRawUnsafe(str)` becomes the tagged `$queryRaw`. Quotes around the value in the SQL are removed because the driver quotes it. Values used as identifiers (`ORDER BY ${col}`) cannot be parameterized: use a constant allowlist instead, which the rule recognises as safe.',
    examples: {
      js: {
        bad: "const { Pool } = require('pg');\nconst pool = new Pool();\napp.get('/users', async (req, res) => {\n  const { rows } = await pool.query(`SELECT * FROM users WHERE email = '${req.query.email}'`);\n  res.json(rows);\n});\n",
        good: "const { Pool } = require('pg');\nconst pool = new Pool();\napp.get('/users', async (req, res) => {\n  const { rows } = await pool.query('SELECT * FROM users WHERE email = $1', [req.query.email]);\n  res.json(rows);\n});\n",
      },
      py: {
        bad: "import sqlite3\n\ndef find_user(conn, email):\n    return conn.execute(f\"SELECT * FROM users WHERE email = '{email}'\").fetchone()\n",
        good: "import sqlite3\n\ndef find_user(conn, email):\n    return conn.execute(\"SELECT * FROM users WHERE email = ?\", (email,)).fetchone()\n",
      },
    },
  },
  messages,
  create({ model, report }) {
    return {
      Call(call) {
        const sink = sqlSink(model, call);
        if (!sink) return;
        const dyn = sink.build.parts.filter((p): p is Extract<StringPart, { kind: 'dyn' }> => p.kind === 'dyn');
        // Text fixed by the source (a `?` list sized by a count) or chosen by the operator
        // (environment, configuration) cannot rewrite the query from outside.
        const risky = dyn.filter((p) => !isClosedString(model, p.node) && !isOperatorValue(model, p.node));
        if (!risky.length) return;
        const level = risky.map((p) => taintOf(model, p.node)).find((t) => t === 'request') ?? 'dynamic';
        // Administrative SQL (creating databases, roles and schemas, grants, session settings) is
        // run by setup and migration code with names it was configured with; it is an injection
        // only when request data reaches it.
        if (level !== 'request' && isAdministrative(sink.build.parts)) return;
        const sinkName = ir.dottedName(call.callee) ?? sink.method;
        const value = excerpt(model, risky[0].node);
        report({
          node: sink.sqlArg,
          message: format(level === 'request' ? messages.request : messages.dynamic, { sink: sinkName, value }),
          data: { call: [call.start, call.end] },
          noFix: whyNoFix(model, sink) ?? false,
        });
      },
    };
  },
  fix: {
    title: 'Parameterize query',
    safety: 'safe',
    produce(finding, ctx) {
      const [start, end] = (finding.data?.call as number[] | undefined) ?? [];
      const call = ctx.model.calls.find((c) => c.start === start && c.end === end);
      const sink = call && sqlSink(ctx.model, call);
      if (!sink) return undefined;
      let dialect = sink.dialect;
      if (dialect === 'unknown' && ctx.workspaceRoot) {
        dialect = (ctx.model.lang === 'js'
          ? dialectFromPackageJson(ctx.readFile(path.join(ctx.workspaceRoot, 'package.json')))
          : dialectFromRequirements(ctx.readFile(path.join(ctx.workspaceRoot, 'requirements.txt')))) ?? 'unknown';
      }
      if (dialect === 'unknown') return undefined;
      return parameterize(ctx.model, sink, dialect);
    },
  },
});

const ADMIN_STATEMENT = /^\s*(?:create|drop|alter|grant|revoke|set|reset|comment\s+on|vacuum|analyze|reindex|cluster|use|refresh\s+materialized)\b/i;

function isAdministrative(parts: StringPart[]): boolean {
  const first = parts[0];
  return first?.kind === 'const' && ADMIN_STATEMENT.test(first.text);
}

/** Whether the fix can rewrite this build: one expression, no identifier-position values. */
/** Why no placeholder fix can be written for this sink, or undefined when one can. */
function whyNoFix(model: CodeModel, sink: SqlSink): string | undefined {
  const b = sink.build;
  if (b.how === 'augmented' || b.how === 'replace') return `the SQL is assembled step by step (${b.how === 'augmented' ? '+=' : '.replace'}): rewrite it as one string with placeholders`;
  if (!b.expr || b.how === 'other') return 'the SQL is not built in one expression the fix can rewrite';
  if (b.via) {
    // The values move from the declaration to the call: only when both sit in the same function.
    if (model.scopeOf(b.via) !== model.scopeOf(b.expr)) return 'the SQL string is built in another function than the query call';
    const binding = model.resolve(b.via);
    if (!binding || binding.assigns.length > 1) return `${b.via.name} is assigned more than once`;
  }
  if (sink.dialect === 'prisma' && b.via) return 'Prisma takes the values in a tagged template written at the call: move the string into $queryRaw`...`';
  // SQLAlchemy parameters are named and belong to text(); a bare string passed to execute() has none.
  if (sink.dialect === 'sqlalchemy' && sink.method !== 'text') return 'wrap the SQL in text() with :name parameters';
  if (sink.method === 'prepare' && !preparedExecutor(sink.call)) return 'the prepared statement is executed elsewhere, where the values would have to go';
  if (sink.paramsArg && !isArrayish(sink.paramsArg)) return 'the call already passes parameters that are not a literal list';
  // Values spliced from other statements, or that are SQL text themselves, cannot become parameters.
  for (const p of b.parts) {
    if (p.kind !== 'dyn') continue;
    if (!ir.isInside(p.node, b.expr)) return 'a value comes from a string built elsewhere';
    if (isSqlFragment(model, p.node)) return `${excerpt(model, p.node, 40)} is SQL text (an identifier, a clause or a list), not a value a placeholder can carry: check it against an allowlist`;
  }
  return placeholderPlan(model, sink.build.parts, sink.dialect) !== undefined ? undefined : 'a value sits where the driver takes no placeholder (an identifier, a keyword or inside a quoted literal): check it against an allowlist';
}

/** A value that is itself SQL (a joined list of conditions, a clause variable) rather than data. */
function isSqlFragment(model: CodeModel, n: ir.Node): boolean {
  const u = ir.unwrap(n);
  if (u.type === 'Call' && /^(join|map|raw|sql|format)$/.test(ir.calleeName(u) ?? '')) return true;
  const name = u.type === 'Ident' ? u.name : u.type === 'Member' ? u.prop : '';
  if (/(where|clause|condition|filter|sql|query|order|sort|fragment|columns?|fields|table)s?$/i.test(name)) return true;
  const sp = stringParts(model, u);
  return !!sp && sp.parts.some((p) => p.kind === 'const' && looksLikeSql(p.text, true));
}

function isArrayish(n: ir.Node): boolean {
  const u = ir.unwrap(n);
  return u.type === 'ArrayLit';
}

/** better-sqlite3: `db.prepare(sql).get()` takes the values in the executing call. */
function preparedExecutor(call: ir.Call): ir.Call | undefined {
  const m = call.parent;
  if (m?.type !== 'Member' || m.object !== call || !/^(get|all|run|iterate|pluck)$/.test(m.prop)) return undefined;
  const exec = m.parent;
  return exec?.type === 'Call' && exec.callee === m && exec.args.length === 0 ? exec : undefined;
}

interface Plan {
  /** SQL text segments and value slots in order. */
  pieces: ({ text: string } | { values: StringPart[] })[];
}

/**
 * Groups the build into SQL text and value slots. A value inside quotes (`'%${q}%'`) takes the
 * quoted text with it (the driver quotes the whole value); values in identifier or IN-list
 * positions make the build unfixable.
 */
function placeholderPlan(model: CodeModel, parts: StringPart[], dialect: Dialect): Plan | undefined {
  // MySQL reads "..." as a string; Postgres and SQLite read it as an identifier.
  const quotes = dialect === 'mysql' || model.lang === 'py' ? /['"]/ : /'/;
  const pieces: Plan['pieces'] = [];
  let sqlText = '';
  let slot: StringPart[] | undefined;
  let quote: string | undefined;
  const flushText = () => { if (sqlText) pieces.push({ text: sqlText }); sqlText = ''; };
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    if (p.kind === 'dyn') {
      if (quote) { slot!.push(p); continue; }
      if (IDENTIFIER_CONTEXT.test(sqlText) || IN_LIST_CONTEXT.test(sqlText)) return undefined;
      const next = parts[i + 1];
      if (next?.kind === 'const' && /^\s*\./.test(next.text)) return undefined;
      flushText();
      pieces.push({ values: [p] });
      continue;
    }
    // Walk constant text, tracking single-quoted SQL string literals that contain values.
    let text = p.text;
    while (text.length) {
      if (quote) {
        const close = text.indexOf(quote);
        if (close === -1) { slot!.push({ kind: 'const', text }); text = ''; break; }
        if (close > 0) slot!.push({ kind: 'const', text: text.slice(0, close) });
        if (slot!.some((s) => s.kind === 'dyn')) pieces.push({ values: slot! });
        else sqlText += quote + slot!.map((s) => (s as { text: string }).text).join('') + quote;
        slot = undefined;
        quote = undefined;
        text = text.slice(close + 1);
        continue;
      }
      const m = quotes.exec(text);
      // A quote opening right before a value (or in a segment that continues into one) starts a slot.
      if (!m) { sqlText += text; break; }
      const q = m[0];
      const closeInSame = text.indexOf(q, m.index + 1);
      if (closeInSame !== -1) {
        // A complete constant string literal ('active') stays SQL text.
        sqlText += text.slice(0, closeInSame + 1);
        text = text.slice(closeInSame + 1);
        continue;
      }
      sqlText += text.slice(0, m.index);
      flushText();
      quote = q;
      slot = [];
      text = text.slice(m.index + 1);
    }
  }
  if (quote) return undefined;
  flushText();
  return { pieces };
}

function parameterize(model: CodeModel, sink: SqlSink, dialect: Dialect): FixResult | undefined {
  const plan = placeholderPlan(model, sink.build.parts, dialect);
  const expr = sink.build.expr;
  if (!plan || !expr) return undefined;
  const js = model.lang === 'js';
  const existing = sink.paramsArg ? (ir.unwrap(sink.paramsArg) as ir.ArrayLit) : undefined;
  const existingSql = plan.pieces.map((p) => ('text' in p ? p.text : '')).join('');
  let n = dialect === 'pg' ? maxDollar(existingSql) : 0;
  const names = new Set<string>();
  let sql = '';
  const values: string[] = [];
  const inserts: { before: number; value: string }[] = [];
  let positionalSoFar = 0;
  for (const piece of plan.pieces) {
    if ('text' in piece) {
      sql += dialect === 'dbapi' ? escapePercent(piece.text) : piece.text;
      positionalSoFar += countPlaceholders(piece.text, dialect);
      continue;
    }
    let valueSrc = valueExpression(model, piece.values);
    // mysql2's execute() (a prepared statement) rejects undefined where the old string said
    // 'undefined': pass NULL instead, which matches nothing, as the old comparison did.
    if (dialect === 'mysql' && sink.method === 'execute' && mayBeUndefined(piece.values)) valueSrc += ' ?? null';
    switch (dialect) {
      case 'pg': sql += `$${++n}`; break;
      case 'dbapi': sql += '%s'; break;
      case 'sqlalchemy': {
        const name = paramName(piece.values, names);
        sql += `:${name}`;
        values.push(`"${name}": ${valueSrc}`);
        continue;
      }
      case 'prisma': break;
      default: sql += '?';
    }
    if (dialect === 'prisma') continue;
    inserts.push({ before: dialect === 'pg' ? Number.MAX_SAFE_INTEGER : positionalSoFar, value: valueSrc });
    values.push(valueSrc);
  }
  const edits: TextEdit[] = [];
  const call = sink.call;
  if (dialect === 'prisma') return prismaTagged(model, sink);

  const like = firstStringNode(expr) ?? expr;
  const literal = js ? jsString(sql, quoteStyleOf(model, like).quote) : pyString(sql, quoteStyleOf(model, like));
  edits.push({ start: expr.start, end: expr.end, newText: literal });

  if (dialect === 'sqlalchemy') {
    const exec = call.parent;
    if (exec?.type !== 'Call' || ir.positional(exec)[0] !== call || exec.args.length !== 1) return undefined;
    edits.push({ start: call.end, end: call.end, newText: `, {${values.join(', ')}}` });
    return { edits };
  }
  if (existing) {
    // Keep the existing values, inserting ours where their placeholders now sit.
    const els = existing.elements.map((e) => src(model, e));
    const merged: string[] = [];
    let taken = 0;
    for (const ins of inserts) {
      while (taken < ins.before && taken < els.length) merged.push(els[taken++]);
      merged.push(ins.value);
    }
    while (taken < els.length) merged.push(els[taken++]);
    const open = js ? '[' : existing.tuple ? '(' : '[';
    const close = js ? ']' : existing.tuple ? (merged.length === 1 ? ',)' : ')') : ']';
    edits.push({ start: existing.start, end: existing.end, newText: open + merged.join(', ') + close });
    return { edits };
  }
  const list = js ? `[${values.join(', ')}]` : `(${values.join(', ')}${values.length === 1 ? ',' : ''})`;
  if (sink.method === 'prepare') {
    const exec = preparedExecutor(call);
    if (!exec) return undefined;
    edits.push({ start: exec.end - 1, end: exec.end - 1, newText: values.join(', ') });
    return { edits };
  }
  const argEnd = sink.sqlArg.end;
  if (dialect === 'sequelize') {
    const opts = call.args[1] && ir.unwrap(call.args[1]);
    if (opts?.type === 'ObjectLit') {
      const first = opts.props[0];
      edits.push(first
        ? { start: first.start, end: first.start, newText: `replacements: ${list}, ` }
        : { start: opts.start, end: opts.end, newText: `{ replacements: ${list} }` });
    } else edits.push({ start: argEnd, end: argEnd, newText: `, { replacements: ${list} }` });
    return { edits };
  }
  if (!js && (ir.keywordArg(call, 'params') === undefined) && /^read_sql/.test(sink.method)) {
    edits.push({ start: call.end - 1, end: call.end - 1, newText: `, params=${list}` });
    return { edits };
  }
  edits.push({ start: argEnd, end: argEnd, newText: `, ${list}` });
  return { edits };
}

/** `$queryRawUnsafe(`...${x}`)` → `$queryRaw`...${x}``: the tagged form sends values as parameters. */
function prismaTagged(model: CodeModel, sink: SqlSink): FixResult | undefined {
  const call = sink.call;
  const callee = call.callee;
  if (callee.type !== 'Member' || sink.build.via || call.args.length !== 1) return undefined;
  const safeName = callee.prop.replace(/Unsafe$/, '');
  const plan = placeholderPlan(model, sink.build.parts, 'prisma');
  if (!plan) return undefined;
  const escape = (t: string) => t.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${');
  // Each value becomes a template hole: the tagged form sends it as a parameter, so quotes go.
  const tpl = '`' + plan.pieces.map((p) => ('text' in p ? escape(p.text) : '${' + valueExpression(model, p.values) + '}')).join('') + '`';
  return { edits: [{ start: callee.propStart, end: call.end, newText: safeName + tpl }] };
}

function valueExpression(model: CodeModel, parts: StringPart[]): string {
  const dyn = parts.filter((p) => p.kind === 'dyn');
  if (parts.length === 1 && dyn.length === 1) return src(model, dyn[0].node);
  if (model.lang === 'js') {
    return '`' + parts.map((p) => (p.kind === 'const' ? p.text.replace(/[`\\]/g, '\\$&').replace(/\$\{/g, '\\${') : '${' + src(model, p.node) + '}')).join('') + '`';
  }
  return 'f"' + parts.map((p) => (p.kind === 'const' ? p.text.replace(/[{}]/g, '$&$&').replace(/["\\]/g, '\\$&') : '{' + src(model, p.node) + '}')).join('') + '"';
}

function mayBeUndefined(parts: StringPart[]): boolean {
  if (parts.length !== 1 || parts[0].kind !== 'dyn') return false;
  const u = ir.unwrap(parts[0].node);
  if (u.type === 'Call') return !/^(String|Number|parseInt|parseFloat|JSON\.stringify)$/.test(ir.dottedName(u.callee) ?? '');
  return u.type === 'Ident' || u.type === 'Member' || u.type === 'Index';
}

function paramName(parts: StringPart[], used: Set<string>): string {
  const dyn = parts.find((p) => p.kind === 'dyn');
  const node = dyn && dyn.kind === 'dyn' ? ir.unwrap(dyn.node) : undefined;
  let base = node?.type === 'Ident' ? node.name : node?.type === 'Member' ? node.prop : 'value';
  base = base.replace(/\W/g, '_') || 'value';
  let name = base;
  for (let i = 2; used.has(name); i++) name = `${base}_${i}`;
  used.add(name);
  return name;
}

function maxDollar(sql: string): number {
  let max = 0;
  for (const m of sql.matchAll(/\$(\d+)/g)) max = Math.max(max, Number(m[1]));
  return max;
}

function countPlaceholders(sql: string, dialect: Dialect): number {
  if (dialect === 'dbapi') return (sql.match(/%s/g) ?? []).length;
  return (sql.match(/\?/g) ?? []).length;
}

/** DB-API drivers treat `%` as a format character when parameters are passed. */
function escapePercent(s: string): string {
  return s.replace(/%(?!s\b)/g, '%%');
}

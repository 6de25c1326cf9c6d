// Delete dependent rows in one transaction: the deletes the schema's foreign keys call for,
// children first, generated in the driver's own terms and run together with the account's delete
// in one transaction: node-postgres BEGIN/COMMIT/ROLLBACK on a pooled client, Prisma
// `$transaction([...])`, Django `transaction.atomic()`.
import * as path from 'path';
import * as ir from '../kit/model/ir';
import type { CodeModel } from '../kit/model/model';
import type { FixResult, RuleFix, TextEdit } from '../kit/rule';
import { rowChangeOf, type RowChange } from '../kit/frameworks/deletions';
import { indentAt, indentUnit, jsString, lineStartOf, src } from '../kit/model/literals';
import { statementOf } from '../kit/fixes/stmt-edits';
import { addPyFromImport } from '../kit/fixes/py-imports';
import { newTable, schemaOf, tableNamed, type Schema, type Table } from '../kit/workspace/schema';
import { deletionOrder, unhandledDependents, type Dependent } from '../kit/workspace/schema/dependents';

type Plan = { reason: string } | { stmt: ir.Node };

/** Whether the finding can be fixed, and the statement the fix wraps. */
export function fixPlan(model: CodeModel, del: RowChange, otherDeletes: RowChange[], inTx: boolean): Plan {
  if (inTx) return { reason: 'the deletion already runs in a transaction: add the missing deletes inside it' };
  if (otherDeletes.length) return { reason: 'the function deletes from other tables in statements of its own: put them and the missing ones in one transaction by hand' };
  const stmt = statementOf(del.call);
  const expr = stmt?.type === 'ExprStmt' ? ir.unwrap(stmt.expr) : undefined;
  if (!stmt || expr !== del.call) return { reason: 'the deletion\'s result is used: wrap it in a transaction by hand' };
  if (del.orm === 'sql' && del.sink?.dialect === 'pg' && ir.receiver(del.call)?.type === 'Ident' && model.lang === 'js') return { stmt };
  if (del.orm === 'prisma' && model.lang === 'js') return { stmt };
  if (del.orm === 'django') return { stmt };
  return { reason: `no generated transaction for ${del.orm === 'sql' ? 'this driver' : del.orm} yet` };
}

export const deletionFix: RuleFix = {
  title: 'Delete dependent rows in one transaction',
  safety: 'unsafe',
  produce(finding, ctx): FixResult | undefined {
    const model = ctx.model;
    const [start, end] = (finding.data?.call as number[] | undefined) ?? [];
    const call = model.nodesOfType('Call').find((c) => c.start === start && c.end === end);
    const schema = model.workspace && schemaOf(model.workspace);
    const del = call && rowChangeOf(model, call);
    if (!call || !schema || !del) return undefined;
    const root = tableNamed(schema, String(finding.data?.table)) ?? (finding.data?.table === 'auth_user' ? newTable('auth_user', { file: '', kind: 'django', start: 0, end: 0 }, 'User') : undefined);
    if (!root) return undefined;
    const plan = fixPlan(model, del, [], false);
    if ('reason' in plan) return undefined;
    const deps = deletionOrder(unhandledDependents(schema, root, new Set()));
    if (del.orm === 'sql') return pg(model, plan.stmt, del, deps, root);
    if (del.orm === 'prisma') return prisma(model, plan.stmt, del, deps);
    return django(model, plan.stmt, del, deps, schema, ctx.workspaceRoot);
  },
};

/** node-postgres: a client from the pool, BEGIN, the dependents' deletes, the user's, COMMIT; ROLLBACK on error. */
function pg(model: CodeModel, stmt: ir.Node, del: RowChange, deps: Dependent[], root: Table): FixResult | undefined {
  const sink = del.sink!;
  const sql = sink.build.parts.every((p) => p.kind === 'const') ? sink.build.parts.map((p) => (p.kind === 'const' ? p.text : '')).join('') : undefined;
  const where = sql && /\bwhere\b([\s\S]*?)(?:\breturning\b[\s\S]*)?;?\s*$/i.exec(sql)?.[1].trim();
  if (!where) return undefined;
  const pool = src(model, ir.receiver(del.call)!);
  const params = del.call.args[1] ? `, ${src(model, del.call.args[1])}` : '';
  const simple = /^"?(\w+)"?\s*=\s*(\$\d+)$/.exec(where);
  // The rows of each table on the path, as a condition on that table.
  const cond = (d: Dependent): string => {
    let c = '';
    d.path.forEach((step, i) => {
      const col = step.fk.columns[0];
      const ref = step.fk.refColumns[0] ?? 'id';
      if (i === 0) c = simple && simple[1] === ref ? `${col} = ${simple[2]}` : `${col} IN (SELECT ${ref} FROM ${root.name} WHERE ${where})`;
      else c = `${col} IN (SELECT ${ref} FROM ${d.path[i - 1].from.name} WHERE ${c})`;
    });
    return c;
  };
  const q = sink.sqlArg.type === 'Str' ? model.text[sink.sqlArg.start] : "'";
  const ind = indentAt(model.text, stmt.start);
  const u = indentUnit(model.text);
  const client = freeName(model, 'client');
  const line = (s: string) => `${ind}${u}await ${client}.query(${s});\n`;
  const body = [
    line(jsString('BEGIN', q)),
    ...deps.map((d) => line(`${jsString(`DELETE FROM ${d.table.name} WHERE ${cond(d)}`, q)}${params}`)),
    `${ind}${u}await ${client}.query(${src(model, sink.sqlArg)}${params});\n`,
    line(jsString('COMMIT', q)),
  ].join('');
  const text = `const ${client} = await ${pool}.connect();\n${ind}try {\n${body}${ind}} catch (err) {\n${ind}${u}await ${client}.query(${jsString('ROLLBACK', q)});\n${ind}${u}throw err;\n${ind}} finally {\n${ind}${u}${client}.release();\n${ind}}`;
  const stmtEnd = model.text[stmt.end - 1] === ';' ? stmt.end : stmt.end + (model.text[stmt.end] === ';' ? 1 : 0);
  return { edits: [{ start: stmt.start, end: stmtEnd, newText: text }] };
}

/** Prisma: `$transaction([...deleteMany of each child, the user's delete])`. */
function prisma(model: CodeModel, stmt: ir.Node, del: RowChange, deps: Dependent[]): FixResult | undefined {
  if (deps.some((d) => d.path.length > 1)) return undefined;
  const arg = ir.unwrap(del.call.args[0]);
  const whereProp = arg.type === 'ObjectLit' ? ir.propOf(arg, 'where') : undefined;
  const where = whereProp && ir.unwrap(whereProp.value);
  if (where?.type !== 'ObjectLit' || where.props.length !== 1 || where.props[0].type !== 'Prop') return undefined;
  const idProp = where.props[0];
  const value = src(model, idProp.value);
  const client = src(model, (ir.receiver(del.call) as ir.Member).object);
  const ind = indentAt(model.text, stmt.start);
  const u = indentUnit(model.text);
  const items: string[] = [];
  for (const d of deps) {
    const fk = d.path[0].fk;
    if (fk.refColumns[0] && fk.refColumns[0] !== idProp.key) return undefined;
    const field = d.table.columns.find((c) => c.name === fk.columns[0])?.field ?? fk.columns[0];
    const accessor = (d.table.model ?? d.table.name).replace(/^./, (c) => c.toLowerCase());
    items.push(`${client}.${accessor}.deleteMany({ where: { ${field}: ${value} } })`);
  }
  items.push(src(model, del.call));
  const text = `await ${client}.$transaction([\n${items.map((i) => `${ind}${u}${i},\n`).join('')}${ind}]);`;
  const stmtEnd = model.text[stmt.end] === ';' ? stmt.end + 1 : stmt.end;
  return { edits: [{ start: stmt.start, end: model.text[stmt.end - 1] === ';' ? stmt.end : stmtEnd, newText: text }] };
}

/** Django: `with transaction.atomic():` the dependents' querysets deleted, children first, then the user. */
function django(model: CodeModel, stmt: ir.Node, del: RowChange, deps: Dependent[], schema: Schema, root: string | undefined): FixResult | undefined {
  const edits: TextEdit[] = [];
  const target = del.instance ? src(model, ir.receiver(del.call)!) : undefined;
  const queryset = del.instance ? undefined : src(model, ir.receiver(del.call)!);
  const tx = addPyFromImport(model, edits, 'django.db', 'transaction');
  const lines: string[] = [];
  const imports = new Map<string, Set<string>>();
  for (const d of deps) {
    if (!d.table.model || d.table.origin.kind !== 'django') return undefined;
    const lookup = [...d.path].reverse().map((s) => s.from.columns.find((c) => c.name === s.fk.columns[0])?.field ?? s.fk.columns[0]).join('__');
    if (d.table.origin.file !== model.file) {
      const mod = moduleOf(model, d.table, root);
      imports.set(mod, (imports.get(mod) ?? new Set()).add(d.table.model));
    }
    lines.push(queryset ? `${d.table.model}.objects.filter(${lookup}__in=${queryset}).delete()` : `${d.table.model}.objects.filter(${lookup}=${target}).delete()`);
  }
  void schema;
  for (const [mod, names] of imports) {
    const fresh = [...names].filter((n) => !model.imports.some((i) => i.module === mod && i.names.some((x) => x.imported === n)));
    // One `from module import A, B` for the models the file does not import yet.
    if (fresh.length) addPyFromImport(model, edits, mod, fresh.sort().join(', '));
  }
  const ind = indentAt(model.text, stmt.start);
  const u = indentUnit(model.text);
  const lineStart = lineStartOf(model.text, stmt.start);
  const body = [...lines, src(model, stmt)].map((l) => `${ind}${u}${l}\n`).join('');
  let stmtEnd = model.text.indexOf('\n', stmt.end);
  stmtEnd = stmtEnd === -1 ? model.text.length : stmtEnd + 1;
  edits.push({ start: lineStart, end: stmtEnd, newText: `${ind}with ${tx}.atomic():\n${body}` });
  return { edits };
}

function moduleOf(model: CodeModel, t: Table, root: string | undefined): string {
  const rel = path.relative(root ?? path.dirname(model.file), t.origin.file).replace(/\\/g, '/').replace(/\.py$/, '').replace(/\/__init__$/, '');
  return rel.split('/').join('.');
}

function freeName(model: CodeModel, base: string): string {
  let name = base;
  for (let i = 2; model.identsNamed(name).length; i++) name = `${base}${i}`;
  return name;
}


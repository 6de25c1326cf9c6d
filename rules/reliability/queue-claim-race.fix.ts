// The fix of queue-claim-race, for raw SQL: the SELECT of waiting rows and the UPDATE that marks
// them taken become one statement, `UPDATE t SET ... WHERE id IN (SELECT id ... FOR UPDATE SKIP
// LOCKED) RETURNING <columns>`, and the separate UPDATE goes. Two workers can then never take the
// same row, with or without a transaction around the code. When the UPDATE cannot be folded in
// (it sets per-row values, or is not a statement of its own) but the claim runs in a transaction,
// `FOR UPDATE SKIP LOCKED` is appended to the SELECT instead.
import * as ir from '../kit/model/ir';
import type { TextEdit } from '../kit/rule';
import type { CodeModel } from '../kit/model/model';
import { jsString, pyString, quoteStyleOf } from '../kit/model/literals';
import { deleteStatements, statementOf } from '../kit/fixes/stmt-edits';
import { sqlText, type Claim } from './queue-claim-race.context';

export type Plan = { edits: TextEdit[] } | { reason: string };

export function planClaimFix(model: CodeModel, claim: Claim, inTransaction: boolean): Plan {
  if (!claim.sink) return { reason: 'the claim goes through the ORM: select the rows with its skip-locked lock (Prisma $queryRaw with FOR UPDATE SKIP LOCKED, Knex forUpdate().skipLocked(), SQLAlchemy with_for_update(skip_locked=True), Django select_for_update(skip_locked=True)) inside a transaction' };
  if (claim.sink.dialect === 'mysql') return inTransaction ? appendLock(model, claim) : { reason: 'MySQL has no UPDATE ... RETURNING: select with FOR UPDATE SKIP LOCKED inside a transaction and update before committing' };
  const literal = literalOf(claim.sink.sqlArg, model);
  const select = literal && /^\s*select\s+([\s\S]+?)\s+from\s+([\w."]+)\s+(where\s[\s\S]*?)\s*;?\s*$/i.exec(literal.value);
  const w = claim.writeSink;
  const wLit = w && literalOf(w.sqlArg, model);
  const update = wLit && /^\s*update\s+([\w."]+)\s+set\s+([\s\S]+?)\s+where\s+(\w+)\s*=\s*(\$1|\?|%s|:\w+)\s*;?\s*$/i.exec(wLit.value);
  const stmt = w && statementOf(w.call);
  const foldable = select && update && !/\$\d|\?|%s|:\w/.test(update[2]) && !/\bjoin\b|\bgroup\s+by\b/i.test(select[3]) && stmt && wrapsOnly(stmt, w!.call);
  if (foldable) {
    const del = deleteStatements(model, [stmt!]);
    if (del) {
      const [, cols, table, where] = select!;
      const id = update![3];
      const sql = `UPDATE ${table} SET ${update![2].trim()} WHERE ${id} IN (SELECT ${id} FROM ${table} ${where.trim().replace(/\s*\n\s*/g, ' ')} FOR UPDATE SKIP LOCKED) RETURNING ${cols.trim()}`;
      return { edits: [{ start: literal!.node.start, end: literal!.node.end, newText: writeLiteral(model, literal!.node, sql) }, ...del] };
    }
  }
  if (inTransaction) return appendLock(model, claim);
  return { reason: 'the UPDATE that marks the rows taken cannot be folded into the SELECT (it sets per-row values or is not a statement of its own): select with FOR UPDATE SKIP LOCKED inside a transaction' };
}

function appendLock(model: CodeModel, claim: Claim): Plan {
  const literal = claim.sink && literalOf(claim.sink.sqlArg, model);
  if (!literal) return { reason: 'the SELECT is not one string literal the fix can extend' };
  const sql = literal.value.replace(/\s*;?\s*$/, '') + ' FOR UPDATE SKIP LOCKED';
  return { edits: [{ start: literal.node.start, end: literal.node.end, newText: writeLiteral(model, literal.node, sql) }] };
}

/** A constant string literal (or a variable bound once to one). */
function literalOf(n: ir.Node, model: CodeModel): { node: ir.Node; value: string } | undefined {
  let u = ir.unwrap(n);
  if (u.type === 'Ident') {
    const b = model.resolve(u);
    if (!b || b.assigns.length !== 1 || !b.value) return undefined;
    u = ir.unwrap(b.value);
  }
  if (u.type === 'Str') return { node: u, value: u.value };
  if (u.type === 'Template' && !u.tag && !u.exprs.length) return { node: u, value: u.quasis[0] };
  return undefined;
}

function writeLiteral(model: CodeModel, node: ir.Node, value: string): string {
  if (model.lang === 'py') return pyString(value, quoteStyleOf(model, node));
  const q = quoteStyleOf(model, node).quote;
  return jsString(value, value.includes(q) && q !== '`' ? '`' : q);
}

/** The statement is the UPDATE call alone (`await db.query(...)`), so deleting it drops nothing else. */
function wrapsOnly(stmt: ir.Node, call: ir.Call): boolean {
  let n: ir.Node = stmt.type === 'ExprStmt' ? stmt.expr : stmt;
  while (n.type === 'Await' || (n.type === 'Other' && n.kind === 'paren')) n = n.type === 'Await' ? n.arg : n.children[0];
  return n === call;
}

import * as ir from '../kit/model/ir';
import { defineRule, format, type TextEdit } from '../kit/rule';
import type { CodeModel } from '../kit/model/model';
import { src } from '../kit/model/literals';
import { lostUpdatesIn, type LostUpdate } from './lost-update.context';
import { factsOf } from '../kit/frameworks/function-facts';

const messages = {
  rmw: '{where} reads {column} from the database, computes the new value in code ({arith}) and writes it back: two requests at once both start from the same {column} and one change is lost; make the update atomic ({atomic})',
};

type Plan = { edits: TextEdit[] } | { reason: string };

export default defineRule({
  id: 'lost-update',
  category: 'reliability',
  severity: 'warning',
  languages: ['js', 'py'],
  scope: 'workspace',
  cwe: 362,
  triggers: /balance|stock|quantity|qty|inventory|credit|points|seats|remaining|available|count|views|likes|votes|usage|coins|uses|downloads|spots|capacity/i,
  docs: {
    summary: 'Read-modify-write of a counter, balance or stock: a value read from the database, changed in code and written back, with no row lock and no version check',
    why: 'Two requests that read a balance of 100 at the same moment both compute 100 - 30 and both write 70: one withdrawal is lost, or, for stock, one more item is sold than exists. In the field reports this is how "two conflicting records of the same order" happen: it never shows in a demo with one user and always shows under load or when a client retries. The database can do the arithmetic itself in one statement (`SET balance = balance - $1 WHERE id = $2 AND balance >= $1`, Prisma `{ decrement: n }`, Sequelize `decrement`, Django `F("balance") - n`), or the read can lock the row inside a transaction (`FOR UPDATE`, `select_for_update()`, `with_for_update()`), or the write can check a version. Reads with a row lock, atomic updates and writes whose WHERE checks a version or the old value are not reported.',
    fix: 'Make the update atomic: a SQL `SET col = $n` whose parameter was computed from the row becomes `SET col = col - $n` (or `+`) with the amount as the parameter, and for a decrement the WHERE gains `AND col >= $n` so the value never goes below zero (check the affected row count where the code must know the update was refused); a Prisma `data: { col: row.col - n }` becomes `{ col: { decrement: n } }`. Writes through an ORM instance (`row.balance -= n; row.save()`) get the advice (Django `F()`, SQLAlchemy `update().values(col=Model.col - n)`, Sequelize `decrement`) without an automatic fix.',
    examples: {
      js: {
        bad: "export async function withdraw(pool, accountId, amount) {\n  const { rows } = await pool.query('SELECT balance FROM accounts WHERE id = $1', [accountId]);\n  const next = rows[0].balance - amount;\n  if (next < 0) throw new Error('insufficient funds');\n  await pool.query('UPDATE accounts SET balance = $1 WHERE id = $2', [next, accountId]);\n}\n",
        good: "export async function withdraw(pool, accountId, amount) {\n  const res = await pool.query('UPDATE accounts SET balance = balance - $1 WHERE id = $2 AND balance >= $1', [amount, accountId]);\n  if (res.rowCount === 0) throw new Error('insufficient funds');\n}\n",
      },
      py: {
        bad: "def withdraw(conn, account_id, amount):\n    with conn.cursor() as cur:\n        cur.execute(\"SELECT balance FROM accounts WHERE id = %s\", (account_id,))\n        balance = cur.fetchone()[0]\n        cur.execute(\"UPDATE accounts SET balance = %s WHERE id = %s\", (balance - amount, account_id))\n    conn.commit()\n",
        good: "def withdraw(conn, account_id, amount):\n    with conn.cursor() as cur:\n        cur.execute(\"UPDATE accounts SET balance = balance - %s WHERE id = %s AND balance >= %s\", (amount, account_id, amount))\n    conn.commit()\n",
      },
    },
  },
  messages,
  create({ model, report }) {
    return {
      Func(fn) {
        for (const f of lostUpdatesIn(model, fn)) {
          const plan = planAtomic(model, f);
          report({
            node: f.write,
            message: format(messages.rmw, { where: fn.name ?? factsOf(model, fn).perRequest?.label ?? 'this function', column: f.column, arith: src(model, f.arith).replace(/\s+/g, ' ').slice(0, 60), atomic: atomicAdvice(model, f) }),
            data: { write: [f.write.start, f.write.end], fn: [fn.start, fn.end] },
            noFix: 'reason' in plan ? plan.reason : false,
          });
        }
      },
    };
  },
  fix: {
    title: 'Make the update atomic',
    safety: 'unsafe',
    produce(finding, ctx) {
      const [fs, fe] = (finding.data?.fn as number[] | undefined) ?? [];
      const [ws] = (finding.data?.write as number[] | undefined) ?? [];
      const fn = ctx.model.functions.find((x) => x.start === fs && x.end === fe);
      const f = fn && lostUpdatesIn(ctx.model, fn).find((x) => x.write.start === ws);
      if (!f) return undefined;
      const plan = planAtomic(ctx.model, f);
      return 'edits' in plan ? { edits: plan.edits } : undefined;
    },
  },
});

function atomicAdvice(model: CodeModel, f: LostUpdate): string {
  const op = f.arith.op;
  if (f.sink) return `SET ${f.column} = ${f.column} ${op} <amount>`;
  if (f.prop && f.prismaData) return `{ ${f.column}: { ${op === '-' ? 'decrement' : 'increment'}: <amount> } }`;
  if (f.prop) return `the ORM's ${op === '-' ? 'decrement' : 'increment'} (Knex .decrement(), Mongoose $inc, Sequelize decrement)`;
  return model.lang === 'py' ? `F("${f.column}") ${op} amount in one update(), or select_for_update()/with_for_update() inside a transaction` : `the ORM's ${op === '-' ? 'decrement' : 'increment'} or a row lock inside a transaction`;
}

/** The amount the arithmetic applies: the operand that is not the stored value. */
function amountOf(f: LostUpdate, model: CodeModel): ir.Node | undefined {
  const { left, right } = f.arith;
  const fromRow = (n: ir.Node) => src(model, n).includes(f.column) || /\brows?\b|\[0\]|fetchone/.test(src(model, n));
  if (f.arith.op === '-') return fromRow(left) && !fromRow(right) ? right : undefined;
  if (fromRow(left) && !fromRow(right)) return right;
  if (fromRow(right) && !fromRow(left)) return left;
  return undefined;
}

function planAtomic(model: CodeModel, f: LostUpdate): Plan {
  const amount = amountOf(f, model);
  if (!amount) return { reason: 'the new value is not the stored value plus or minus an amount' };
  const amountText = src(model, amount);
  const needsParens = ir.unwrap(amount).type === 'Binary' || ir.unwrap(amount).type === 'Cond';
  const amt = needsParens ? `(${amountText})` : amountText;
  if (f.prop && !f.prismaData) return { reason: "the update goes through an ORM whose atomic form the fix does not write: use its increment/decrement (Sequelize decrement, Knex .decrement(), Mongoose $inc, TypeORM repository.decrement) or lock the row when reading it" };
  if (f.prop) {
    const verb = f.arith.op === '-' ? 'decrement' : 'increment';
    return { edits: [{ start: f.prop.value.start, end: f.prop.value.end, newText: `{ ${verb}: ${amountText} }` }] };
  }
  if (!f.sink || !f.param || !f.placeholder) return { reason: 'the write goes through an ORM instance: use F()/decrement()/an UPDATE with the arithmetic in SQL, or lock the row when reading it' };
  const sqlNode = ir.unwrap(f.sink.sqlArg);
  if (sqlNode.type !== 'Str' && !(sqlNode.type === 'Template' && !sqlNode.exprs.length)) return { reason: 'the UPDATE is not one string literal the fix can rewrite' };
  const raw = src(model, sqlNode);
  const pg = /\$\d/.test(raw);
  const ph = pg ? `$${f.placeholder}` : model.lang === 'py' ? '%s' : '?';
  // Rewrite the n-th `col = <placeholder>` of the SET clause.
  const setRe = new RegExp(`(\\b${f.column}\\s*=\\s*)(${pg ? `\\$${f.placeholder}(?!\\d)` : ph === '?' ? '\\?' : '%s'})`);
  const m = setRe.exec(raw);
  if (!m) return { reason: 'the SET clause is not the plain form the fix rewrites' };
  let sql = raw.slice(0, m.index) + `${m[1]}${f.column} ${f.arith.op} ${ph}` + raw.slice(m.index + m[0].length);
  const edits: TextEdit[] = [];
  if (f.arith.op === '-') {
    // The guard keeps the value from going below zero when two decrements race.
    const q = sql[sql.length - 1];
    if (!/\bwhere\b/i.test(sql) || /\b(returning|order\s+by|limit)\b/i.test(sql.slice(sql.search(/\bwhere\b/i)))) return { reason: 'the UPDATE has clauses after its WHERE: add the arithmetic and the guard by hand' };
    sql = sql.slice(0, -1).replace(/\s*;?\s*$/, '') + ` AND ${f.column} >= ${pg ? ph : ph}` + q;
    if (!pg) {
      const list = ir.unwrap(f.sink.paramsArg!);
      if (list.type !== 'ArrayLit' || !list.elements.length) return { reason: 'the parameters are not a literal list the fix can extend' };
      const last = list.elements[list.elements.length - 1];
      edits.push({ start: last.end, end: last.end, newText: `, ${amountText}` });
    }
  }
  edits.push({ start: sqlNode.start, end: sqlNode.end, newText: sql });
  edits.push({ start: f.param.start, end: f.param.end, newText: amt === amountText ? amountText : amt });
  return { edits };
}

import * as ir from '../kit/model/ir';
import type { CodeModel } from '../kit/model/model';
import { defineRule, format } from '../kit/rule';
import { factsOf } from '../kit/frameworks/function-facts';
import { effectsOf, isInMemory, mayActOutside, type Effect } from '../kit/frameworks/effects';
import { perRequestContext } from '../kit/frameworks/per-request';
import { excerpt } from '../kit/frameworks/redact';
import { within } from '../kit/model/ranges';

const messages = {
  afterWrite: '{effect} runs after {write} in {where} with nothing tying the two together: if the process dies or the call fails between them, the database says it happened and the {what} never goes out (or the reverse on a retry); write an outbox row in the same transaction and deliver it from a worker',
  inTransaction: '{effect} runs inside the database transaction of {tx} in {where}: the {what} goes out even when the transaction rolls back, and the transaction holds its locks while waiting on the network; write an outbox row in the transaction and deliver it after commit',
};

/** Callbacks run once the transaction committed: the side effect already waits for the write. */
const AFTER_COMMIT = /^(on_commit|onCommit|afterCommit|after_commit|runAfterCommit)$/;
const TRANSACTION = /^(\$transaction|transaction|transact|atomic|begin|begin_nested|runInTransaction|withTransaction|startTransaction)$/;
/** Celery and RQ publishes, which the effects model does not name. */
const TASK_PUBLISH = /^(delay|apply_async|send_task|enqueue|enqueue_call)$/;

export default defineRule({
  id: 'dual-write',
  category: 'reliability',
  severity: 'warning',
  languages: ['js', 'py'],
  scope: 'workspace',
  cwe: 362,
  docs: {
    summary: 'A handler writes to the database and then publishes, e-mails, charges or calls another service, with no outbox; or makes that call inside an open transaction',
    why: '"Saves to the database and then sends a notification" loses one of the two: an AI-written checkout inserted the order, then published `order.created` to the queue. A deploy restarted the process between the two lines, and 300 paid orders were never shipped because the warehouse never heard of them; on the retry path the reverse happened and customers were e-mailed about orders that had rolled back. Two systems cannot be written atomically without a protocol: the transactional outbox writes the message as a row in the same transaction and a worker delivers it. E-mails and chat messages to the person who triggered them are left out after a write (they see a failure and ask again; no two systems disagree), and so are deletes before a side effect, writes on another branch, read-only GETs before the write, logging, outbox rows, outbox helpers and side effects deferred with `transaction.on_commit` are not reported.',
    fix: 'No automatic fix: insert an outbox row (event type, payload) in the same transaction as the business write, and let a worker (or a Debezium/pg-logical stream) publish it and mark it sent, retrying until the broker acknowledges. In Django, `transaction.on_commit(...)` at least keeps a rolled-back write from being announced.',
    examples: {
      js: {
        bad: "app.post('/orders', async (req, res) => {\n  const order = await prisma.order.create({ data: { total: req.body.total } });\n  await channel.publish('orders', 'order.created', Buffer.from(JSON.stringify(order)));\n  res.json(order);\n});\n",
        good: "app.post('/orders', async (req, res) => {\n  const order = await prisma.$transaction(async (tx) => {\n    const o = await tx.order.create({ data: { total: req.body.total } });\n    await tx.outbox.create({ data: { type: 'order.created', payload: o } });\n    return o;\n  });\n  res.json(order);\n});\n",
      },
      py: {
        bad: "from .tasks import send_welcome\n\n\ndef signup(request):\n    user = User.objects.create(email=request.POST[\"email\"])\n    send_welcome.delay(user.id)\n    return JsonResponse({\"id\": user.id})\n",
        good: "from django.db import transaction\n\n\ndef signup(request):\n    user = User.objects.create(email=request.POST[\"email\"])\n    transaction.on_commit(lambda: send_welcome.delay(user.id))\n    return JsonResponse({\"id\": user.id})\n",
      },
    },
  },
  messages,
  create({ model, report }) {
    const reported = new Set<ir.Node>();
    return {
      Func(fn) {
        const ctx = perRequestContext(model, fn.body);
        if (!ctx) return;
        const where = ctx.info.calledFrom ? `${ctx.fn.name ?? 'a helper'} (called from ${ctx.info.calledFrom})` : ctx.info.label;
        const tx = transactionCall(fn);
        const judged = !!factsOf(model, fn).perRequest || ctx.fn === fn;
        // Outside a transaction callback, a function that is not judged itself can only report an
        // effect inside a `with transaction` block: without one, its effects need not be computed.
        if (!tx && !judged && !within(model.nodesOfType('With'), fn.body).length) return;
        // Every report is about a message, payment or call to another service the function makes:
        // without a call that can be one, its effects (the costly part) need not be worked out.
        if (!mayActOutside(model, fn, TASK_PUBLISH)) return;
        const own = directEffects(model, fn);
        if (tx) {
          for (const e of own) {
            if (!external(e) || reported.has(e.node)) continue;
            reported.add(e.node);
            report({ node: e.node, message: format(messages.inTransaction, { effect: e.label, tx: excerpt(model, tx.callee), where, what: what(e) }) });
          }
          return;
        }
        for (const e of own) {
          const withTx = external(e) ? transactionBlock(e.node, fn) : undefined;
          if (!withTx || reported.has(e.node)) continue;
          reported.add(e.node);
          report({ node: e.node, message: format(messages.inTransaction, { effect: e.label, tx: excerpt(model, withTx.callee), where, what: what(e) }) });
        }
        if (!judged) return;
        if (own.some((e) => /outbox/i.test(e.label))) return;
        // Deletes are left out: a cleanup before a side effect leaves no record that something was sent.
        const writes = own.filter((e) => e.kind === 'db' && !/outbox|^DELETE\b|\.(delete\w*|destroy|remove)$/i.test(e.label) && !inMemoryReceiver(model, e.node));
        let write: Effect | undefined;
        const effect = own.find((e) => delivered(model, e) && !transactionBlock(e.node, fn) && (write = writes.find((w) => w.node.end < e.node.start && samePath(w.node, e.node, fn))));
        if (!write || !effect) return;
        if (!effect || reported.has(effect.node)) return;
        reported.add(effect.node);
        report({ node: effect.node, message: format(messages.afterWrite, { effect: effect.label, write: write.label, where, what: what(effect) }) });
      },
    };
  },
});

/** Effects made by the function itself, in source order (not by callbacks it defines, nor after commit). */
function directEffects(model: CodeModel, fn: ir.Func): Effect[] {
  const out = effectsOf(model, fn).filter((e) => ir.enclosingFunction(e.node) === fn && !afterCommit(e.node, fn));
  for (const n of within(model.calls, fn.body)) {
    if (n.callee.type === 'Member' && TASK_PUBLISH.test(n.callee.prop) && ir.enclosingFunction(n) === fn && !afterCommit(n, fn) && !out.some((e) => e.node === n)) {
      out.push({ node: n, kind: 'message', label: ir.dottedName(n.callee) ?? n.callee.prop, idempotent: false });
    }
  }
  return out.sort((a, b) => a.node.start - b.node.start);
}

function external(e: Effect): boolean {
  return (e.kind === 'message' || e.kind === 'payment' || e.kind === 'http') && !/outbox/i.test(e.label);
}

/**
 * Side effects another system must durably learn about: a queue publish or task, a payment, a
 * write to another service. E-mails and chat messages to people are left out after a write: the
 * person who triggered them sees the failure and asks again, and no two systems disagree.
 */
function delivered(model: CodeModel, e: Effect): boolean {
  if (!external(e) || /mail|sms|slack|dm\b|message_user|notification/i.test(e.label)) return false;
  // A call to a mail API over HTTP is an e-mail too.
  if (e.kind === 'http') return !/mail|sms|slack/i.test(model.text.slice(e.node.start, e.node.end));
  // Creating a PaymentIntent, Checkout Session or customer moves no money: an orphan is harmless.
  if (e.kind === 'payment') return /(charges|refunds|transfers|payouts)\.create|\.(confirm|capture|pay)$|(Charge|Refund|Transfer|Payout)\.create/.test(e.label);
  return /publish|enqueue|queue|emit|produce|xadd|delay|apply_async|send_task|sendMessage|notify|dispatch|trigger|webhook|\.add$/i.test(e.label);
}

/**
 * The write happens on the way to the effect: not in another branch of the same `if`/`switch`,
 * and not in a branch that returns or throws before the effect.
 */
function samePath(write: ir.Node, effect: ir.Node, fn: ir.Func): boolean {
  for (let child: ir.Node = write, p = write.parent; p && p !== fn; child = p, p = p.parent) {
    if (ir.isInside(effect, p)) {
      if (p.type === 'If' && child !== p.test) return false;
      if (p.type === 'Other' && /switch|match/.test(p.kind) && !ir.isInside(effect, child)) return false;
      return true;
    }
    const branch = p.type === 'If' && child !== p.test || p.type === 'Other' && /case|clause|elif|else/.test(p.kind);
    if (branch && endsWithExit(child)) return false;
  }
  return true;
}

function endsWithExit(n: ir.Node): boolean {
  const body = n.type === 'Block' ? n.body : n.type === 'Other' ? n.children : [n];
  const last = body[body.length - 1];
  if (!last) return false;
  if (last.type === 'Return' || last.type === 'Throw') return true;
  return last.type === 'Block' || last.type === 'Other' && last.kind === 'block' ? endsWithExit(last) : false;
}

/** `out.update({...})` on a dict or `cache.set(...)` on a Map is no database write. */
function inMemoryReceiver(model: CodeModel, n: ir.Node): boolean {
  const recv = n.type === 'Call' ? ir.receiver(n) : undefined;
  if (!recv || ir.unwrap(recv).type !== 'Ident') return false;
  if (isInMemory(model, recv)) return true;
  const b = model.resolve(ir.unwrap(recv) as ir.Ident);
  return !!b && b.kind === 'var' && b.assigns.some((a) => a.value && /^(ObjectLit|ArrayLit)$/.test(ir.unwrap(a.value).type));
}

function what(e: Effect): string {
  return e.kind === 'payment' ? 'payment' : e.kind === 'http' ? 'call to the other service' : 'message';
}

/** The `prisma.$transaction(async (tx) => ...)` / `sequelize.transaction(...)` call this function is the callback of. */
function transactionCall(fn: ir.Func): ir.Call | undefined {
  const p = fn.parent;
  if (p?.type !== 'Call' || !p.args.includes(fn) || p.callee.type !== 'Member') return undefined;
  return TRANSACTION.test(p.callee.prop) ? p : undefined;
}

/** The `with transaction.atomic():` / `with session.begin():` block around a node, in the same function. */
function transactionBlock(n: ir.Node, fn: ir.Func): ir.Call | undefined {
  for (let p = n.parent; p && p !== fn; p = p.parent) {
    if (p.type !== 'With' || !ir.isInside(n, p.body)) continue;
    for (const i of p.items) {
      let c: ir.Node | undefined;
      ir.walk(i, (x) => { if (!c && x.type === 'Call' && TRANSACTION.test(ir.calleeName(x) ?? '')) c = x; return !c; });
      if (c) return c as ir.Call;
    }
  }
  return undefined;
}

function afterCommit(n: ir.Node, fn: ir.Func): boolean {
  for (let p = n.parent; p && p !== fn; p = p.parent) {
    if (p.type === 'Call' && AFTER_COMMIT.test(ir.calleeName(p) ?? '')) return true;
  }
  return false;
}

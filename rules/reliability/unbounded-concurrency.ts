import * as ir from '../kit/model/ir';
import type { CodeModel } from '../kit/model/model';
import { defineRule, format } from '../kit/rule';
import { flowOf } from '../kit/model/flow';
import { boundedCollection } from '../kit/model/collections';
import { localFunction } from '../kit/model/calls';
import { qualifiedCallee } from '../kit/frameworks/db-clients';
import { unboundedSource } from '../kit/frameworks/collection-source';
import { excerpt } from '../kit/frameworks/redact';
import { batchFix, fanOutFixable, DEFAULT_BATCH } from './unbounded-concurrency.fix';

const messages = {
  fanOut: '{fanout} starts {work} for every element of {items} ({source}) at once: 10,000 elements open 10,000 requests or queries together and exhausts the connection pool, the rate limit or memory; process them in batches of a bounded size',
};

/**
 * One fan-out over a collection: `Promise.all(items.map(cb))`, `Promise.all(promises)` with the
 * promises built by such a map or pushed in a loop, `asyncio.gather(*[f(x) for x in items])`.
 */
export interface FanOut {
  call: ir.Call;
  items: ir.Node;
  /** The per-element work: the map callback (JS) or the comprehension's element (Python). */
  work: ir.Node;
  /** The node the fix replaces inside the fan-out's argument list, when the shape is the direct one. */
  direct: boolean;
  /** Python: the comprehension or list handed to gather (without its `*`). */
  spread?: ir.Node;
}

/** Callees that cap concurrency themselves: p-limit, p-queue, bottleneck, semaphores. */
const LIMITER = /(^|\.)(limit\w*|limiter|\w*Limit(er)?|throttle\w*|sem|semaphore|\w*Semaphore|mutex|queue\.add|\w*[qQ]ueue\.add|schedule|runExclusive)$/;

export default defineRule({
  id: 'unbounded-concurrency',
  category: 'reliability',
  severity: 'warning',
  languages: ['js', 'py'],
  scope: 'file',
  cwe: 770,
  triggers: /Promise\.(all|allSettled)|gather/,
  docs: {
    summary: 'Promise.all / asyncio.gather starts I/O for every element of a collection of unknown size at once',
    why: '"Promise.all with 10,000 items": an AI-written import job mapped every row of an uploaded CSV to `fetch` inside `Promise.all`, opened 10,000 sockets at once, hit the partner API\'s rate limit and the pool\'s connection cap, and failed the whole batch (the same happens with a query per element against a pool of 10). `Promise.all`, `Promise.allSettled` and `asyncio.gather` start every task before waiting for any, so concurrency equals the length of the list, which nobody bounded. Literal lists of a few items, chunks of a batched loop, and callbacks that go through p-limit, p-queue, bottleneck or a semaphore are not reported.',
    fix: `Process in batches: \`Promise.all(items.map(fn))\` becomes \`mapInBatches(items, ${DEFAULT_BATCH}, fn)\` (\`Promise.allSettled\` becomes \`settleInBatches\`), and \`asyncio.gather(*[...])\` becomes \`gather_in_batches([...], ${DEFAULT_BATCH})\`, with the helper added to the file once: at most N tasks run at a time and results keep their order. N is the \`batchSize\` option of the rule (default ${DEFAULT_BATCH}). Unsafe: when a task fails, the tasks of later batches are not started (Promise.all would have started them all), and the whole takes longer. No fix is offered when the promises were started elsewhere (an array built before the call, \`asyncio.create_task\`): bound them where they start.`,
    examples: {
      js: {
        bad: "app.post('/avatars/refresh', async (req, res) => {\n  const results = await Promise.all(req.body.userIds.map(async (id) => {\n    const r = await fetch(`https://avatars.example.com/${id}`);\n    return r.status;\n  }));\n  res.json(results);\n});\n",
        good: "app.post('/avatars/refresh', async (req, res) => {\n  const ids = req.body.userIds;\n  const results = [];\n  for (let i = 0; i < ids.length; i += 10) {\n    const batch = ids.slice(i, i + 10);\n    results.push(...(await Promise.all(batch.map(async (id) => (await fetch(`https://avatars.example.com/${id}`)).status))));\n  }\n  res.json(results);\n});\n",
      },
      py: {
        bad: "import asyncio\n\n\nasync def refresh_avatars(db, client):\n    users = await db.fetch(\"SELECT id FROM users\")\n    return await asyncio.gather(*[client.get(f\"/avatars/{u['id']}\") for u in users])\n",
        good: "import asyncio\n\n\nasync def refresh_home(client):\n    return await asyncio.gather(*[client.get(path) for path in (\"/me\", \"/feed\", \"/notifications\")])\n",
      },
    },
  },
  messages,
  create({ model, report }) {
    return {
      Call(call) {
        const f = fanOutOf(model, call);
        if (!f || boundedCollection(model, f.items) || limited(model, f.work)) return;
        // The collection's size must be set by a table or a client, not by the code: the rows of a
        // query without LIMIT, or a list the request sent.
        const source = unboundedSource(model, f.items);
        if (!source) return;
        const fixable = fanOutFixable(model, f);
        report({
          node: call,
          message: format(messages.fanOut, {
            fanout: model.lang === 'py' ? 'asyncio.gather' : ir.dottedName(call.callee) ?? 'Promise.all',
            work: workText(model, f.work),
            items: excerpt(model, f.items),
            source: source.kind === 'rows' ? `the rows of ${excerpt(model, source.node)}` : 'request data',
          }),
          data: { call: [call.start, call.end] },
          noFix: fixable === true ? false : fixable,
        });
      },
    };
  },
  fix: {
    title: 'Process in batches',
    safety: 'unsafe',
    produce(finding, ctx) {
      const [start, end] = (finding.data?.call as number[] | undefined) ?? [];
      const call = ctx.model.calls.find((c) => c.start === start && c.end === end);
      const f = call && fanOutOf(ctx.model, call);
      if (!f || fanOutFixable(ctx.model, f) !== true) return undefined;
      const size = Number(ctx.options.batchSize) > 0 ? Math.floor(Number(ctx.options.batchSize)) : DEFAULT_BATCH;
      return batchFix(ctx.model, f, size);
    },
  },
});

/** The fan-out a call is, when it starts one task per element of a collection. */
export function fanOutOf(model: CodeModel, call: ir.Call): FanOut | undefined {
  if (!call.args.length) return undefined;
  if (model.lang === 'js') {
    if (!/^Promise\.(all|allSettled)$/.test(ir.dottedName(call.callee) ?? '')) return undefined;
    const arg = ir.unwrap(call.args[0]);
    const direct = mapFanOut(model, call, arg, true);
    if (direct) return direct;
    if (arg.type !== 'Ident') return undefined;
    const v = model.valueOf(arg);
    if (v && !isEmptyList(v)) return mapFanOut(model, call, ir.unwrap(v), false);
    return pushedInLoop(model, call, arg);
  }
  const name = qualifiedCallee(model, call) ?? ir.dottedName(call.callee) ?? '';
  if (!/^(asyncio\.gather|trio\.gather|anyio\.gather)$/.test(name)) return undefined;
  const first = call.args[0];
  if (first.type !== 'Spread' || first.double) return undefined;
  let arg = ir.unwrap(first.arg);
  const direct = arg.type !== 'Ident';
  if (arg.type === 'Ident') {
    const v = model.valueOf(arg);
    if (!v || isEmptyList(v)) return pushedInLoop(model, call, arg);
    arg = ir.unwrap(v);
  }
  const comp = arg.type === 'Loop' ? arg : arg.type === 'Other' && arg.children[0]?.type === 'Loop' ? arg.children[0] as ir.Loop : undefined;
  if (comp?.kind === 'comprehension' && comp.iter) return { call, items: comp.iter, work: comp.body, direct, spread: ir.unwrap(first.arg) };
  // `gather(*map(fetch, urls))`.
  if (arg.type === 'Call' && ir.dottedName(arg.callee) === 'map' && arg.args.length === 2) return { call, items: arg.args[1], work: arg.args[0], direct, spread: ir.unwrap(first.arg) };
  return undefined;
}

function mapFanOut(model: CodeModel, call: ir.Call, arg: ir.Node, direct: boolean): FanOut | undefined {
  if (arg.type !== 'Call' || arg.callee.type !== 'Member' || !/^(map|flatMap)$/.test(arg.callee.prop)) return undefined;
  // lodash's `_.map(obj, fn)` walks the fields of one object.
  if (/^(_|lodash)$/.test(ir.dottedName(arg.callee.object) ?? '')) return undefined;
  const cb = ir.unwrap(arg.args[0] ?? arg);
  if (cb.type === 'Func') return doesIo(model, cb) ? { call, items: arg.callee.object, work: cb, direct } : undefined;
  // `Promise.all(urls.map(fetchJson))`: a named function, judged by its body when it is local.
  if (cb.type === 'Ident' || cb.type === 'Member') {
    const local = cb.type === 'Ident' ? model.valueOf(cb) : undefined;
    if (local && local.type === 'Func' && !doesIo(model, local)) return undefined;
    return { call, items: arg.callee.object, work: cb, direct };
  }
  return undefined;
}

/** `const tasks = []; for (const x of xs) tasks.push(work(x)); await Promise.all(tasks)`. */
function pushedInLoop(model: CodeModel, call: ir.Call, id: ir.Ident): FanOut | undefined {
  const b = model.resolve(id);
  if (!b || b.kind !== 'var' || b.value?.type !== 'ArrayLit' || b.value.elements.length) return undefined;
  for (const use of model.identsNamedIn(id.name, b.scope as ir.Node)) {
    const m = use.parent;
    if (m?.type !== 'Member' || m.object !== use || !/^(push|append)$/.test(m.prop) || m.parent?.type !== 'Call' || !m.parent.args[0]) continue;
    const loop = enclosingLoopOf(m.parent, call);
    const pushed = ir.unwrap(m.parent.args[0]);
    if (loop?.iter && pushed.type === 'Call') return { call, items: loop.iter, work: pushed, direct: false };
  }
  return undefined;
}

function isEmptyList(n: ir.Node): boolean {
  const u = ir.unwrap(n);
  return u.type === 'ArrayLit' && !u.elements.length;
}

function enclosingLoopOf(n: ir.Node, stop: ir.Node): ir.Loop | undefined {
  for (let p = n.parent; p && p.type !== 'Func'; p = p.parent) {
    if (p.type === 'Loop' && !ir.isInside(stop, p)) return p;
  }
  return undefined;
}

/** The callback awaits something or returns a call's promise: each element starts I/O. */
function doesIo(model: CodeModel, cb: ir.Func): boolean {
  const body = ir.unwrap(cb.body);
  if (body.type === 'Call') return !/^(Promise\.resolve|String|Number|Boolean|JSON\.\w+|Object\.\w+|Math\.\w+|parseInt|parseFloat)$/.test(ir.dottedName(body.callee) ?? '');
  return flowOf(model, cb).awaited.length > 0;
}

/** The per-element work already goes through a concurrency limiter. */
function limited(model: CodeModel, work: ir.Node): boolean {
  const fn = work.type === 'Func' ? work : undefined;
  const calls = fn ? [...flowOf(model, fn).awaited, ...(ir.unwrap(fn.body).type === 'Call' ? [ir.unwrap(fn.body) as ir.Call] : [])] : work.type === 'Call' ? [work] : [];
  for (const c of calls) {
    const name = ir.dottedName(c.callee) ?? '';
    if (LIMITER.test(name)) return true;
    // A local coroutine that takes a semaphore (`async with sem:`) before its I/O.
    const local = localFunction(model, c);
    if (local && /\b(async\s+with|await)\s+[\w.]*(sem|semaphore|limiter|limit)\w*\b/i.test(model.text.slice(local.start, local.end))) return true;
  }
  if (fn && /\b(async\s+with|await)\s+[\w.]*(sem|semaphore|limiter)\w*\b/i.test(model.text.slice(fn.start, fn.end))) return true;
  return false;
}

function workText(model: CodeModel, work: ir.Node): string {
  if (work.type === 'Func') {
    const first = flowOf(model, work).awaited[0] ?? (ir.unwrap(work.body).type === 'Call' ? ir.unwrap(work.body) as ir.Call : undefined);
    return first ? excerpt(model, first.callee) : 'an async callback';
  }
  return excerpt(model, work.type === 'Call' ? work.callee : work);
}

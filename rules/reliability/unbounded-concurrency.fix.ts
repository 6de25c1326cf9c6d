// "Process in batches": the fan-out goes through a helper that runs at most N tasks at a time
// and keeps the order of the results, added to the file once (JS: a hoisted function at the end
// of the module; Python: a coroutine after the imports, so module-level code can call it).
import * as ir from '../kit/model/ir';
import type { CodeModel } from '../kit/model/model';
import type { FixResult, TextEdit } from '../kit/rule';
import { src } from '../kit/model/literals';
import { usesSemicolons } from '../kit/fixes/style';
import { addPyImport } from '../kit/fixes/py-imports';
import type { FanOut } from './unbounded-concurrency';

export const DEFAULT_BATCH = 10;

/** True when the fix can rewrite the fan-out, else why not. */
export function fanOutFixable(model: CodeModel, f: FanOut): true | string {
  if (!f.direct) return model.lang === 'py'
    ? 'the tasks are built before the gather call: pass them to a batched gather where they are built'
    : 'the promises are started where the array is built, before Promise.all: bound them there (map over chunks of the items)';
  if (model.lang === 'js') {
    const arg = ir.unwrap(f.call.args[0]) as ir.Call;
    if (f.call.args.length !== 1 || (arg.callee as ir.Member).prop !== 'map' || arg.args.length !== 1) return 'only Promise.all(items.map(fn)) is rewritten';
    if (f.work.type === 'Func' && f.work.params.length > 2) return 'the callback reads the array argument of map';
    if (f.work.type !== 'Func' && f.work.type !== 'Ident') return 'the callback is a method reference whose `this` the rewrite could change';
    return true;
  }
  if (f.call.args.filter((a) => a.type !== 'Keyword').length !== 1 || f.call.args.some((a) => a.type === 'Keyword' && a.name !== 'return_exceptions')) return 'gather is called with more than one list of tasks';
  const work = ir.unwrap(f.work);
  if (work.type === 'Call' && /(^|\.)(create_task|ensure_future|start_soon)$/.test(ir.dottedName(work.callee) ?? '')) return 'the tasks are already running once created: bound them where they are created (an asyncio.Semaphore around their work)';
  return true;
}

export function batchFix(model: CodeModel, f: FanOut, size: number): FixResult {
  return model.lang === 'py' ? pyFix(model, f, size) : jsFix(model, f, size);
}

function jsFix(model: CodeModel, f: FanOut, size: number): FixResult {
  const settled = /allSettled$/.test(ir.dottedName(f.call.callee) ?? '');
  const helper = settled ? 'settleInBatches' : 'mapInBatches';
  const map = ir.unwrap(f.call.args[0]) as ir.Call;
  const items = (map.callee as ir.Member).object;
  const edits: TextEdit[] = [{ start: f.call.start, end: f.call.end, newText: `${helper}(${src(model, items)}, ${size}, ${src(model, map.args[0])})` }];
  if (!model.functions.some((fn) => fn.name === helper && fn.parent?.type === 'Program')) {
    const end = model.text.length;
    const nl = model.text.endsWith('\n') ? '' : '\n';
    edits.push({ start: end, end, newText: `${nl}\n${jsHelper(model, settled)}` });
  }
  return { edits };
}

function jsHelper(model: CodeModel, settled: boolean): string {
  const ts = /\.(ts|tsx|mts|cts)$/.test(model.file);
  const semi = usesSemicolons(model) ? ';' : '';
  const name = settled ? 'settleInBatches' : 'mapInBatches';
  const all = settled ? 'Promise.allSettled' : 'Promise.all';
  const sig = ts
    ? settled
      ? `async function ${name}<T, R>(items: readonly T[], size: number, fn: (item: T, index: number) => R | Promise<R>): Promise<PromiseSettledResult<Awaited<R>>[]>`
      : `async function ${name}<T, R>(items: readonly T[], size: number, fn: (item: T, index: number) => R | Promise<R>): Promise<Awaited<R>[]>`
    : `async function ${name}(items, size, fn)`;
  const results = ts ? (settled ? 'const results: PromiseSettledResult<Awaited<R>>[] = []' : 'const results: Awaited<R>[] = []') : 'const results = []';
  return [
    `/** ${all} over items, at most \`size\` at a time; results keep the order of items. */`,
    `${sig} {`,
    `  ${results}${semi}`,
    `  for (let start = 0; start < items.length; start += size) {`,
    `    const batch = items.slice(start, start + size)${semi}`,
    `    results.push(...(await ${all}(batch.map((item, i) => fn(item, start + i)))))${semi}`,
    `  }`,
    `  return results${semi}`,
    `}`,
    '',
  ].join('\n');
}

function pyFix(model: CodeModel, f: FanOut, size: number): FixResult {
  const edits: TextEdit[] = [];
  const asyncio = addPyImport(model, edits, 'import asyncio', 'asyncio');
  const spread = f.spread!;
  const keyword = f.call.args.find((a): a is ir.Keyword => a.type === 'Keyword' && a.name === 'return_exceptions');
  const extra = keyword ? `, return_exceptions=${src(model, keyword.value)}` : '';
  edits.push({ start: f.call.start, end: f.call.end, newText: `gather_in_batches(${src(model, spread)}, ${size}${extra})` });
  if (!model.functions.some((fn) => fn.name === 'gather_in_batches' && fn.parent?.type === 'Program')) {
    const imports = model.imports.filter((i) => i.parent?.type === 'Program');
    const last = imports[imports.length - 1];
    const at = last ? lineEnd(model.text, last.end) : 0;
    edits.push({ start: at, end: at, newText: pyHelper(asyncio, !last) });
  }
  return { edits };
}

function lineEnd(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  return nl === -1 ? text.length : nl + 1;
}

function pyHelper(asyncio: string, atTop: boolean): string {
  const body = [
    'async def gather_in_batches(aws, size, return_exceptions=False):',
    '    """asyncio.gather over the awaitables, at most `size` at a time; results keep their order."""',
    '    aws = list(aws)',
    '    results = []',
    '    for start in range(0, len(aws), size):',
    '        try:',
    `            results.extend(await ${asyncio}.gather(*aws[start:start + size], return_exceptions=return_exceptions))`,
    '        except BaseException:',
    '            # The later coroutines never run: close them so none is reported as never awaited.',
    '            for aw in aws[start + size:]:',
    `                if ${asyncio}.iscoroutine(aw):`,
    '                    aw.close()',
    '            raise',
    '    return results',
  ].join('\n');
  return atTop ? `${body}\n\n\n` : `\n\n${body}\n`;
}

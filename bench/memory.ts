// Server memory with many open documents: opens thousands of generated files of sample-app size
// over LSP, pulls diagnostics for each (the server keeps each document's analysis until it
// changes), and reads the server's RSS from /proc at each step, so the report shows what the
// documents themselves cost and what the cached analyses cost.
import { LspClient, languageIdOf } from '../test/harness/lsp';
import type { GeneratedFile } from './generate';
import { procMemory, round, sleep } from './stats';

export interface ServerMemoryResult {
  files: number;
  lines: number;
  megabytesOfText: number;
  /** RSS after initialize, before any document is open. */
  idleRssMb: number;
  /** RSS with every document open but none analysed. */
  openRssMb: number;
  /** RSS with every document open and analysed, after a short settle. */
  analysedRssMb: number;
  /** VmHWM: the largest RSS the server reached during the whole run. */
  peakRssMb: number;
  findings: number;
  openAndPullMs: number;
}

const PULL_CONCURRENCY = 32;

export async function measureServerMemory(workspace: string, files: readonly GeneratedFile[]): Promise<ServerMemoryResult> {
  const client = new LspClient(workspace);
  try {
    await client.initialize();
    const pid = client.proc.pid!;
    // The engine loads the Python grammar in the background; one pull waits for it.
    const warm = await client.open('warmup.py', 'x = 1\n');
    await client.pull(warm);
    await sleep(500);
    const idle = procMemory(pid)!;

    const t0 = performance.now();
    const uris: string[] = [];
    for (const f of files) uris.push(await client.open(f.rel, f.text, languageIdOf(f.rel)));
    // A request is answered only after every notification before it has been handled.
    await client.pull(warm);
    await sleep(500);
    const open = procMemory(pid)!;

    let findings = 0;
    for (let i = 0; i < uris.length; i += PULL_CONCURRENCY) {
      const batch = await Promise.all(uris.slice(i, i + PULL_CONCURRENCY).map((u) => client.pull(u)));
      for (const items of batch) findings += items.filter((d) => !String(d.code ?? '').startsWith('notice:')).length;
    }
    const openAndPullMs = performance.now() - t0;
    await sleep(1500);
    const analysed = procMemory(pid)!;
    return {
      files: files.length,
      lines: files.reduce((a, f) => a + f.lines, 0),
      megabytesOfText: round(files.reduce((a, f) => a + f.text.length, 0) / 1024 / 1024, 1),
      idleRssMb: idle.rssMb,
      openRssMb: open.rssMb,
      analysedRssMb: analysed.rssMb,
      peakRssMb: analysed.hwmMb,
      findings,
      openAndPullMs: round(openAndPullMs, 0),
    };
  } finally {
    await client.close();
  }
}

// Preloaded into a measured CLI run (`node --require rssProbe.js ...`): on exit, writes the
// process's peak resident set size (getrusage ru_maxrss, all threads) to the file named by
// VIBEGUARD_BENCH_RSS_FILE, so the benchmark gets the true peak rather than a sampled one.
import * as fs from 'fs';
import { isMainThread } from 'worker_threads';

const target = process.env.VIBEGUARD_BENCH_RSS_FILE;
if (target && isMainThread) {
  process.on('exit', () => {
    fs.writeFileSync(target, String(process.resourceUsage().maxRSS));
  });
}

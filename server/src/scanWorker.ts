// A scan worker thread of the CLI: its own Engine; scans the batches of files the pool sends
// (answering each batch with plain-data results in the same order) and, for --fix, fixes files
// one at a time in the order received. Started through the code-cache loader (codeCache.ts).
import { parentPort, workerData } from 'worker_threads';
import { Engine } from './engine';
import { scanFile } from './cli/scanFile';
import { fixFile } from './cli/fixFile';
import type { FromWorker, ScanOptions, ToWorker } from './cli/types';

const port = parentPort;
if (!port) throw new Error('scanWorker.js runs as a worker thread of the vibeguard CLI');
const opts = (workerData as { options: ScanOptions }).options;
const send = (msg: FromWorker) => port.postMessage(msg);

Engine.create().then(
  (engine) => {
    port.on('message', (msg: ToWorker) => {
      if (msg.type === 'scan') send({ type: 'results', batch: msg.batch, results: msg.files.map((f) => scanFile(engine, f, opts)) });
      else if (msg.type === 'fix') send({ type: 'fixed', outcome: fixFile(engine, msg.file, opts, msg.unsafe) });
    });
    send({ type: 'ready' });
  },
  (e: Error) => send({ type: 'fatal', message: e.message }),
);

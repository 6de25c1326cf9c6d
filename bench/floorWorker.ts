// The floor's thread (floor.ts, measureFloorInAnalysisThread): an engine of its own, every size
// measured, the result posted back.
import { parentPort, workerData } from 'worker_threads';
import { Engine } from '../server/src/engine';
import { measureFloor } from './floor';

const { sizes, seed, budgetMs } = workerData as { sizes: number[]; seed: number; budgetMs: Record<number, number> };

Engine.create()
  .then((engine) => measureFloor(engine, sizes, seed, (lines) => budgetMs[lines]))
  .then(
    (result) => parentPort!.postMessage({ result }),
    (e: Error) => parentPort!.postMessage({ error: e.stack ?? e.message }),
  );

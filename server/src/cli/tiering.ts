// How eagerly V8 optimises the scan workers' code when they leave no core free.
//
// V8 optimises a hot function with TurboFan on a background thread. Warming up the engine over a
// scan compiles several hundred functions, about 1.6 s of TurboFan CPU on the bench's 100k-line
// tree, and each worker thread compiles the same functions again for its own isolate. With one
// worker on two cores that work runs on the idle core for free; with a worker per core it takes
// the cores the analyses need, and two workers finished no sooner than one (2.33 s against
// 2.2–2.5 s, spawn to exit). Raising V8's interrupt budget (how much bytecode a function runs
// before it is considered for optimisation) to about six times its default leaves only the
// hottest functions to TurboFan: two workers then took 1.83–1.87 s, and the figure was flat from
// 400,000 to 900,000. With a core to spare the default is better (one worker: 2.2 s against
// 2.5 s), so the budget is raised only when the workers take every core.
//
// V8 flags are per process, so this is settled once, before the first worker starts. A code
// cache made under other flags is rejected by V8; the returned key tells the caches apart.
import * as os from 'os';
import * as v8 from 'v8';

/** The event bin/load-cached.js listens for (the same string there). */
export const V8_FLAGS_CHANGING = 'vibeguard:v8-flags-changing';

/** V8's interrupt budget for workers on every core (Node 20's default is 67,584). */
export const BUSY_CORES_INTERRUPT_BUDGET = 400_000;

let applied: string | undefined;

/** The key of the V8 flags this module set ('' for V8's defaults), for the code cache's folder. */
export function tieringKey(): string {
  return applied ?? '';
}

export function availableCores(): number {
  return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length || 1;
}

/**
 * Sets the tier-up for `workers` analysis threads on `cores` cores, once per process: the CLI's
 * entry points call it before they start a pool. Returns tieringKey().
 */
export function settleTiering(workers: number, cores = availableCores()): string {
  if (applied !== undefined) return applied;
  if (process.env.VIBEGUARD_V8_DEFAULT_TIERING === '1' || workers < cores) return (applied = '');
  // bin/load-cached.js takes the main bundle's code cache now, while it still matches V8's flags.
  (process as NodeJS.EventEmitter).emit(V8_FLAGS_CHANGING);
  v8.setFlagsFromString(`--interrupt-budget=${BUSY_CORES_INTERRUPT_BUDGET}`);
  return (applied = `ib${BUSY_CORES_INTERRUPT_BUDGET}`);
}

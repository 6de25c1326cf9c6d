// What rules ask about a function, computed once per function and shared: the route it serves,
// whether it runs per request or per job, its side effects, and its loops, awaits and fan-outs.
// Rules read these instead of walking the tree again.
import type * as ir from '../model/ir';
import type { CodeModel } from '../model/model';
import { flowOf, type FunctionFlow } from '../model/flow';
import { effectsOf, type Effect } from './effects';
import { perRequestFunctions, type PerRequest } from './per-request';
import { isHandler, routeOf, type Route } from './routes';

export interface FunctionFacts {
  fn: ir.Func;
  /** The route this function is registered as the handler of. */
  route?: Route;
  /** Registered as a handler, or shaped like one (`(req, res) => ...`). */
  handler: boolean;
  /** It runs once per request or job (a handler, an entry point, or what they call). */
  perRequest?: PerRequest;
  effects: Effect[];
  flow: FunctionFlow;
}

export function factsOf(model: CodeModel, fn: ir.Func): FunctionFacts {
  const cache = model.table<ir.Func, FunctionFacts>('functionFacts');
  let f = cache.get(fn);
  if (!f) cache.set(fn, (f = new LazyFacts(model, fn)));
  return f;
}

/**
 * Each fact is computed when first read: most rules ask one question of a function (does it run
 * per request?), and computing its effects and flow for them too was a large share of analysis.
 */
class LazyFacts implements FunctionFacts {
  private memo: { route?: Route | null; handler?: boolean; perRequest?: PerRequest | null; effects?: Effect[]; flow?: FunctionFlow } = {};
  constructor(private readonly model: CodeModel, readonly fn: ir.Func) {}

  get route(): Route | undefined {
    if (this.memo.route === undefined) this.memo.route = routeOf(this.model, this.fn) ?? null;
    return this.memo.route ?? undefined;
  }
  get handler(): boolean { return (this.memo.handler ??= isHandler(this.model, this.fn)); }
  get perRequest(): PerRequest | undefined {
    if (this.memo.perRequest === undefined) this.memo.perRequest = perRequestFunctions(this.model).get(this.fn) ?? null;
    return this.memo.perRequest ?? undefined;
  }
  get effects(): Effect[] { return (this.memo.effects ??= effectsOf(this.model, this.fn)); }
  get flow(): FunctionFlow { return (this.memo.flow ??= flowOf(this.model, this.fn)); }
}

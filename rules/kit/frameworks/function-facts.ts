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
  const cache = model.cached('functionFacts', () => new Map<ir.Func, FunctionFacts>());
  let f = cache.get(fn);
  if (!f) {
    f = {
      fn,
      route: routeOf(model, fn),
      handler: isHandler(model, fn),
      perRequest: perRequestFunctions(model).get(fn),
      effects: effectsOf(model, fn),
      flow: flowOf(model, fn),
    };
    cache.set(fn, f);
  }
  return f;
}

// A handle on V8's collector without starting Node with --expose-gc. Timed operations start with
// an empty young generation, so each side pays for the scavenges its own garbage causes rather
// than for what the operation before it left behind. Only the young generation is collected: a
// full gc() shrinks the heap's spaces, and whatever runs next then pays to grow them again
// (measured: a 2,000-line createSourceFile 3 to 5 times slower right after one).
import * as v8 from 'v8';
import * as vm from 'vm';

let collect: ((opts: { type: 'minor' | 'major' }) => void) | undefined;

export function youngGc(): void {
  if (!collect) {
    v8.setFlagsFromString('--expose-gc');
    collect = vm.runInNewContext('gc') as (opts: { type: 'minor' | 'major' }) => void;
  }
  collect({ type: 'minor' });
}

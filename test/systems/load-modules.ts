// Loading a fixed or unfixed CommonJS source in this process, for checks that call its functions
// directly (no server): the dependencies it needs (a pool, a URL) are passed as arguments.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { systemsTmpRoot } from './http';

let n = 0;

/** Writes the source to a fresh file and requires it: each side gets its own module instance. */
export function loadModule<T>(source: string, name: string): T {
  fs.mkdirSync(systemsTmpRoot(), { recursive: true });
  const dir = fs.mkdtempSync(path.join(systemsTmpRoot(), 'module-'));
  const file = path.join(dir, `${name.replace(/\W/g, '_')}-${n++}.cjs`);
  fs.writeFileSync(file, source);
  return require(file) as T;
}

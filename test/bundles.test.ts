// The built bundles (dist/). V8 keeps each loaded script's source for as long as the thread lives,
// in one byte a character only when every character fits Latin-1: a single bullet in a regex
// literal once made every analysis thread and scan worker hold its 5 MB bundle as 10 MB.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { ROOT } from './harness/fixtures';

const DIST = path.join(ROOT, 'dist');

describe('bundles', () => {
  it('are ASCII only, so V8 holds their source in one byte a character', function () {
    const bundles = fs.existsSync(DIST) ? fs.readdirSync(DIST).filter((f) => f.endsWith('.js')) : [];
    if (!bundles.length) return this.skip();
    for (const name of bundles) {
      const bytes = fs.readFileSync(path.join(DIST, name));
      const at = bytes.findIndex((b) => b > 0x7f);
      assert.strictEqual(at, -1, `${name} has a non-ASCII byte at ${at}: ${JSON.stringify(bytes.subarray(Math.max(0, at - 60), at + 20).toString('utf8'))}`);
    }
  });
});

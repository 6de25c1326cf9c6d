// Random but repeatable input for the bad-input tests.

/** `size` bytes from 1 to 255 (mulberry32 from a fixed seed). */
export function randomBytes(size: number, seed = 0x9e3779b9): Buffer {
  const b = Buffer.alloc(size);
  let a = seed >>> 0;
  for (let i = 0; i < size; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    b[i] = 1 + ((((t ^ (t >>> 14)) >>> 0) % 255));
  }
  return b;
}

/** The same bytes decoded as UTF-8, as an editor shows them (replacement characters included). */
export function randomText(size: number, seed?: number): string {
  return randomBytes(size, seed).toString('utf8');
}

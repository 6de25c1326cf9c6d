// Source bytes to text. UTF-8 (with or without a byte order mark) and UTF-16 with a byte order
// mark, as editors save them on Windows, are decoded; a file with NUL bytes and no UTF-16 mark is
// binary. Columns are counted on the decoded text, as the editor shows it.
export type SourceEncoding = 'utf8' | 'utf8-bom' | 'utf16le' | 'utf16be';

export function decodeSource(buf: Buffer, probeBytes = 8192): { text: string; encoding: SourceEncoding } | undefined {
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) return { text: buf.toString('utf16le', 2), encoding: 'utf16le' };
  if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff) return { text: swapBytes(buf.subarray(2)).toString('utf16le'), encoding: 'utf16be' };
  if (buf.subarray(0, probeBytes).includes(0)) return undefined;
  const bom = buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf;
  return { text: buf.toString('utf8', bom ? 3 : 0), encoding: bom ? 'utf8-bom' : 'utf8' };
}

function swapBytes(b: Buffer): Buffer {
  const out = Buffer.from(b.subarray(0, b.length - (b.length % 2)));
  return out.swap16();
}

// Reading a source file once, safely: only regular files (a FIFO named `x.js` would block the
// read forever), the size checked on the open descriptor before reading, a UTF-8 byte order mark
// dropped (editors hide it too, so columns agree with theirs) and remembered, and the bytes kept
// so that a fix can write back exactly what it did not change. Text that is not valid UTF-8 is
// decoded with replacement characters for analysis, and marked so that it is never rewritten.
import * as fs from 'fs';
import type { FileNotice } from './types';

export interface SourceText {
  text: string;
  bom: boolean;
  /** The file's bytes as read. */
  bytes: Buffer;
  /** Byte offset of the first sequence that is not UTF-8, when there is one. */
  invalidUtf8At?: number;
  /** A UTF-16 file (marked by its byte order mark): analysed, never rewritten (fixes write UTF-8). */
  encoding?: 'utf16le' | 'utf16be';
}

export type ReadResult = SourceText | { notice: FileNotice };

const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function readSource(file: string, maxFileSizeKb: number): ReadResult {
  let fd: number;
  // Non-blocking: opening a FIFO for reading would otherwise wait for a writer.
  try { fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0)); } catch (e) { return { notice: unreadable(e) }; }
  let buf: Buffer;
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) return { notice: { kind: 'special', message: `not a regular file (${specialKind(stat)}); skipped` } };
    const size = stat.size;
    if (size > maxFileSizeKb * 1024) {
      return { notice: { kind: 'too-large', message: `${formatSize(size)}, above the ${maxFileSizeKb} KB analysis limit (maxFileSizeKb in .vibeguard.json); not analysed` } };
    }
    buf = Buffer.allocUnsafe(size);
    let off = 0;
    while (off < size) {
      const n = fs.readSync(fd, buf, off, size - off, off);
      if (n === 0) break;
      off += n;
    }
    if (off < size) buf = buf.subarray(0, off);
  } catch (e) {
    return { notice: unreadable(e) };
  } finally {
    fs.closeSync(fd);
  }
  return decode(buf);
}

/** Decodes bytes as UTF-16 when they start with its byte order mark, else as UTF-8: strictly when they are valid, with replacement characters (and the offset of the first bad byte) when not. */
export function decode(buf: Buffer): SourceText {
  // UTF-16 as Windows editors save it: the byte order mark says which way round.
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) return { text: buf.toString('utf16le', 2), bom: false, bytes: buf, encoding: 'utf16le' };
  if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff) {
    const le = Buffer.from(buf.subarray(2, buf.length - (buf.length % 2))).swap16();
    return { text: le.toString('utf16le'), bom: false, bytes: buf, encoding: 'utf16be' };
  }
  const bom = buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf;
  const body = buf.subarray(bom ? 3 : 0);
  try {
    return { text: strict.decode(body), bom, bytes: buf };
  } catch {
    return { text: body.toString('utf8'), bom, bytes: buf, invalidUtf8At: (bom ? 3 : 0) + firstInvalid(body) };
  }
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence (for the notice). */
function firstInvalid(b: Buffer): number {
  for (let i = 0; i < b.length;) {
    const c = b[i];
    const n = c < 0x80 ? 1 : c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
    if (!n || i + n > b.length) return i;
    // The second byte's range excludes overlong forms, surrogates and code points above U+10FFFF.
    const lo = c === 0xe0 ? 0xa0 : c === 0xf0 ? 0x90 : 0x80;
    const hi = c === 0xed ? 0x9f : c === 0xf4 ? 0x8f : 0xbf;
    if (n > 1 && (b[i + 1] < lo || b[i + 1] > hi)) return i;
    for (let k = 2; k < n; k++) if ((b[i + k] & 0xc0) !== 0x80) return i;
    i += n;
  }
  return b.length;
}

function specialKind(s: fs.Stats): string {
  if (s.isFIFO()) return 'a FIFO';
  if (s.isSocket()) return 'a socket';
  if (s.isCharacterDevice() || s.isBlockDevice()) return 'a device';
  if (s.isDirectory()) return 'a folder';
  return 'not a regular file';
}

function unreadable(e: unknown): FileNotice {
  const code = (e as NodeJS.ErrnoException).code;
  return { kind: 'unreadable', message: `cannot read file (${code ?? (e as Error).message}); skipped` };
}

function formatSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

// --shard K/N: one of N parts of the files, for a CI matrix that scans a large repository in
// parallel. A file's part comes from a hash of its path alone, so every runner agrees without
// talking to the others, and adding or removing files never moves the other files between parts
// (their baselines and SARIF categories stay put).
import { createHash } from 'crypto';

export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

export const MAX_SHARDS = 256;

/** `K/N` with 1 ≤ K ≤ N ≤ 256; the message of a thrown Error says what is wrong. */
export function parseShard(spec: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(spec);
  if (!m) throw new Error(`--shard must be K/N, e.g. 2/4 (got "${spec}")`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (!(count >= 1 && count <= MAX_SHARDS)) throw new Error(`--shard: N must be from 1 to ${MAX_SHARDS} (got "${spec}")`);
  if (!(index >= 1 && index <= count)) throw new Error(`--shard: K must be from 1 to N (got "${spec}")`);
  return { index, count };
}

/** Whether a file (its path relative to the workspace root, forward slashes) belongs to the shard. */
export function inShard(relPath: string, shard: Shard): boolean {
  return shardOf(relPath, shard.count) === shard.index;
}

/** The 1-based part of `count` a path falls in. */
export function shardOf(relPath: string, count: number): number {
  return (createHash('sha256').update(relPath).digest().readUInt32BE(0) % count) + 1;
}

/** `shard-2-of-4`: names the part in SARIF categories. */
export function shardName(shard: Shard): string {
  return `shard-${shard.index}-of-${shard.count}`;
}

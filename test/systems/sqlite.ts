/**
 * better-sqlite3 databases for fix verification: in memory by default, or in a temp file when
 * the code under test opens the database itself by path (then pass `file` to it).
 */
import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface SqliteOptions {
  /** Put the database in a fresh temp file instead of memory. */
  file?: boolean;
  /** SQL run once after opening, e.g. a schema and seed rows. */
  setup?: string;
}

export interface SqliteHandle {
  db: Database.Database;
  /** The database file, or ':memory:'. */
  file: string;
  /** Closes the database and removes its temp dir (with -wal/-shm files); safe to call twice. */
  close(): void;
}

export function openSqlite(opts: SqliteOptions = {}): SqliteHandle {
  const dir = opts.file ? fs.mkdtempSync(path.join(os.tmpdir(), 'vibeguard-sqlite-')) : undefined;
  const file = dir ? path.join(dir, 'test.db') : ':memory:';
  let db: Database.Database;
  try {
    db = new Database(file);
    if (opts.setup) db.exec(opts.setup);
  } catch (err) {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  let closed = false;
  return {
    db,
    file,
    close() {
      if (closed) return;
      closed = true;
      if (db.open) db.close();
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

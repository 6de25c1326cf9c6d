// --fix for one file: the engine's fixAll computes the new source and every other file the fixes
// touch (.env, .gitignore, helper modules); all of them are checked (inside the workspace root,
// no symbolic links, no folders) and written as one transaction (writes/transaction.ts), the
// source last, so that a failure leaves every file as it was and the notice says exactly why.
// Only bytes inside the edited range of the source change; a file that is not valid UTF-8 is
// never rewritten; a created `.env` is readable by its owner only.
import * as path from 'path';
import type { Engine } from '../engine';
import { LineIndex } from '../../../rules/kit/model/model';
import { minimalEdit } from '../../../rules/kit/fixes/edits';
import { readSource, type SourceText } from './readSource';
import { fileFindingsOf } from './scanFile';
import { rootFor } from './roots';
import { refuseTarget } from '../writes/targets';
import { commitWrites, realIo, type PlannedWrite, type WriteIo } from '../writes/transaction';
import type { FixOutcome, ScanOptions } from './types';

export function fixFile(engine: Engine, file: string, opts: ScanOptions, unsafe: boolean, io: WriteIo = realIo): FixOutcome {
  const outcome: FixOutcome = { file, applied: 0, notices: [] };
  const refuse = (message: string, kind: 'fix' | 'internal' = 'fix') => { outcome.notices.push({ kind, message }); return outcome; };
  const read = readSource(file, opts.config.maxFileSizeKb);
  if ('notice' in read) return outcome;
  if (read.encoding) return refuse('fixes not applied: a UTF-16 file (fixes write UTF-8; save it as UTF-8 to fix it automatically)');
  if (read.invalidUtf8At !== undefined) return refuse(`fixes not applied: the file is not valid UTF-8 (byte ${read.invalidUtf8At}), and rewriting it would replace its other bytes`);
  const root = rootFor(file, opts);
  let out: ReturnType<Engine['fixAll']>;
  try {
    out = engine.fixAll(file, read.text, { config: opts.config, unsafe, env: { workspaceRoot: root } });
  } catch (e) {
    return refuse(`fixes not applied, no file changed: internal error (${(e as Error).message})`, 'internal');
  }
  if (!out.applied) return outcome;
  // Other files first, the source last: if the run is killed half-way, the secret is never in no file.
  const writes: PlannedWrite[] = [];
  for (const change of out.files) {
    if (change.kind !== 'create') continue;
    writes.push({ path: path.resolve(change.path), content: Buffer.from(change.content, 'utf8'), createMode: path.basename(change.path) === '.env' ? 0o600 : undefined });
  }
  if (out.text !== read.text) writes.push({ path: file, content: sourceBytes(read, out.text) });
  for (const w of writes) {
    const why = refuseTarget(root, w.path);
    if (why) return refuse(`fixes not applied, no file changed: ${why}`);
  }
  const r = commitWrites(writes, io);
  if (!r.ok) {
    if (r.unchanged) return refuse(`fixes not applied, no file changed: ${r.error}`);
    return refuse(`fixes not applied: ${r.error}, and these files could not be put back: ${r.damaged.join(', ')}`, 'internal');
  }
  outcome.applied = out.applied;
  // fixAll hands back the remaining findings without their code model, which fingerprints need;
  // the fixed text's parse is still cached, so this costs the rules only.
  const after = engine.analyze(file, out.text, { config: opts.config });
  outcome.findings = fileFindingsOf(after);
  engine.forget(file);
  return outcome;
}

/** The file's bytes with only the changed middle replaced (and its byte order mark kept). */
function sourceBytes(read: SourceText, after: string): Buffer {
  const m = minimalEdit(read.text, after);
  const offset = read.bom ? 3 : 0;
  const start = offset + Buffer.byteLength(read.text.slice(0, m.start), 'utf8');
  const end = offset + Buffer.byteLength(read.text.slice(0, m.end), 'utf8');
  return Buffer.concat([read.bytes.subarray(0, start), Buffer.from(m.newText, 'utf8'), read.bytes.subarray(end)]);
}

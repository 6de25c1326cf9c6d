// The files an agent edited in one conversation, remembered between hook runs: Cursor reads no
// output from afterFileEdit, so the findings go back to the agent when its loop stops. One small
// text file per conversation in a folder only this user may open (VIBEGUARD_HOOK_STATE chooses
// another folder).
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export class EditedFiles {
  private readonly file: string | undefined;

  constructor(conversation: string, env: NodeJS.ProcessEnv = process.env) {
    const dir = env.VIBEGUARD_HOOK_STATE || path.join(os.tmpdir(), `vibeguard-hooks-${os.userInfo().username}`);
    const name = crypto.createHash('sha256').update(conversation).digest('hex').slice(0, 32);
    this.file = privateDir(dir) ? path.join(dir, `${name}.txt`) : undefined;
  }

  list(): string[] {
    if (!this.file) return [];
    let text: string;
    try { text = fs.readFileSync(this.file, 'utf8'); } catch { return []; }
    return [...new Set(text.split('\n').filter(Boolean))];
  }

  /** One line per file, appended: hooks running at once never lose each other's files. */
  add(files: readonly string[]): void {
    if (this.file) fs.appendFileSync(this.file, files.map((f) => `${f}\n`).join(''), { mode: 0o600 });
  }

  clear(): void {
    if (this.file) fs.rmSync(this.file, { force: true });
  }
}

/** Creates the folder if needed; false when it is not a folder of this user's alone. */
function privateDir(dir: string): boolean {
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const st = fs.lstatSync(dir);
    if (!st.isDirectory()) return false;
    return typeof process.getuid !== 'function' || (st.uid === process.getuid() && (st.mode & 0o077) === 0);
  } catch {
    return false;
  }
}

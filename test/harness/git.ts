// A real git repository in a temporary folder, for the tests of the CLI's git-aware options and
// of the pre-commit hook.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { project, writeFiles } from './cli';

export class GitRepo {
  readonly dir: string;

  constructor(files: Record<string, string> = {}) {
    this.dir = project(files);
    this.git('init', '-q', '-b', 'main');
    // Identity and hooks local to this repository: the machine's own settings stay out of it.
    this.git('config', 'user.email', 'test@vibeguard.invalid');
    this.git('config', 'user.name', 'Vibe Guard test');
    this.git('config', 'commit.gpgsign', 'false');
  }

  git(...args: string[]): string {
    const r = spawnSync('git', args, { cwd: this.dir, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1' } });
    if (r.error) throw r.error;
    if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
    return r.stdout;
  }

  write(files: Record<string, string>): void { writeFiles(this.dir, files); }

  read(file: string): string { return fs.readFileSync(path.join(this.dir, file), 'utf8'); }

  /** Stages everything and commits it. */
  commit(message: string): void {
    this.git('add', '-A');
    this.git('commit', '-q', '-m', message);
  }
}

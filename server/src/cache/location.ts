// Where result caches live. The CLI's default is the project's node_modules/.cache/vibeguard
// (the convention of Babel, ESLint loaders and Prettier: already ignored by git, cleared with
// node_modules) when the project has a node_modules folder, else the user's cache folder, so that a
// Python project or a read-only checkout gets no new folder in its tree. One file per workspace
// root in a folder, named by a hash of the root, so one folder can serve several projects.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { sha256 } from './keys';

/** The user's cache folder for Vibe Guard: $XDG_CACHE_HOME, ~/Library/Caches or %LOCALAPPDATA%. */
export function userCacheDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME)) return path.join(env.XDG_CACHE_HOME, 'vibeguard');
  if (platform === 'win32' && env.LOCALAPPDATA) return path.join(env.LOCALAPPDATA, 'vibeguard', 'Cache');
  if (platform === 'darwin') return path.join(os.homedir(), 'Library', 'Caches', 'vibeguard');
  return path.join(os.homedir(), '.cache', 'vibeguard');
}

/** The CLI's default cache folder for a workspace root. */
export function defaultCacheDir(root: string): string {
  const modules = path.join(root, 'node_modules');
  return fs.statSync(modules, { throwIfNoEntry: false })?.isDirectory() ? path.join(modules, '.cache', 'vibeguard') : userCacheDir();
}

/** The cache file of a workspace root inside a cache folder; `kind` keeps the CLI's and the editor's results apart. */
export function cacheFileFor(dir: string, root: string, kind: 'scan' | 'editor'): string {
  return path.join(dir, `${kind}-${sha256(path.resolve(root)).slice(0, 16)}.json`);
}

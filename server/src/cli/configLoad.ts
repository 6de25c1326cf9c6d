// The CLI's configuration: the file named with --config, else the nearest .vibeguard.json above
// the scanned paths. Every problem with it (missing, unreadable, a folder, a link loop, invalid
// JSON, an unknown key) stops the run before anything is scanned, with exit code 2 and a message
// naming the file: a CI gate must not pass with a configuration it did not read.
import * as path from 'path';
import { DEFAULT_CONFIG, findConfigFile, formatProblem, loadConfigFile, type Config } from '../config';
import { isInside, projectRoot } from '../writes/root';

export class ConfigError extends Error {}

export interface LoadedConfig {
  config: Config;
  /** The folder the scan's relative paths and ignore globs start from. */
  workspaceRoot: string;
  /** The folder of the configuration file, when one was read. */
  configRoot?: string;
}

export function loadConfiguration(explicit: string | undefined, paths: readonly string[], cwd: string, knownRules: ReadonlySet<string>): LoadedConfig {
  const scanned = commonFolder(paths.map((p) => path.resolve(cwd, p)));
  const file = explicit !== undefined ? path.resolve(cwd, explicit) : findConfigFile(scanned);
  if (!file) return { config: { ...DEFAULT_CONFIG, rules: {}, ignore: [] }, workspaceRoot: unconfiguredRoot(scanned, cwd) };
  const shown = explicit ?? (path.relative(cwd, file) || file);
  const { config, problems, found } = loadConfigFile(file, knownRules);
  if (!found) throw new ConfigError(`vibeguard: configuration file not found: ${shown}\n`);
  if (problems.length) {
    throw new ConfigError(problems.map((p) => `vibeguard: ${formatProblem({ ...p, file: shown })}\n`).join('') + 'vibeguard: nothing was scanned: fix the configuration first\n');
  }
  return { config, workspaceRoot: path.dirname(file), configRoot: path.dirname(file) };
}

/**
 * Without a configuration file: the folder the scan runs from when the scanned paths lie in it (as
 * before: baselines and ignore globs are relative to it); else the project the scanned paths belong
 * to (the nearest folder above them with a project marker), else their common folder. A scan of
 * ~/code/app started from another folder must not take that folder, whatever it holds, for the
 * workspace whose files the cross-file rules read.
 */
function unconfiguredRoot(scanned: string, cwd: string): string {
  if (isInside(path.resolve(cwd), scanned)) return cwd;
  return projectRoot(scanned) ?? scanned;
}

export function commonFolder(paths: string[]): string {
  let common = paths[0];
  for (const p of paths.slice(1)) {
    while (common !== path.dirname(common) && p !== common && !p.startsWith(common.endsWith(path.sep) ? common : common + path.sep)) common = path.dirname(common);
  }
  return common;
}

// Which files of a workspace are test code: the built-in conventions of the test runners
// (rules/kit/frameworks/test-code.ts), unless turned off, and the workspace's own patterns.
import * as path from 'path';
import { isTestPath } from '../../rules/kit/frameworks/test-code';
import type { Config } from './config';
import { matchGlob } from './glob';

export function isTestCode(file: string, config: Config, workspaceRoot?: string): boolean {
  const inRoot = workspaceRoot ? path.relative(workspaceRoot, file) : undefined;
  const rel = inRoot !== undefined && !inRoot.startsWith('..') && !path.isAbsolute(inRoot) ? inRoot : undefined;
  const { builtin, patterns } = config.testFiles;
  if (builtin && isTestPath(rel ?? file, rel !== undefined)) return true;
  const target = (rel ?? file).split(path.sep).join('/').replace(/^\/+/, '');
  return patterns.some((g) => matchGlob(g, target));
}

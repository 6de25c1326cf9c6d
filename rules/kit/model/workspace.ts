// Facts from the other files of the workspace: a router mounted behind `requireAuth` in server.js,
// an auth middleware or rate limiter defined in another module. The engine supplies the index; it
// lists the workspace's source files once, reads each once per version, and keeps every fact
// computed from them until a source file changes, so a rule asking for a workspace fact on every
// analysis pays for it once per change of the workspace, not once per file.
import type { Lang } from './ir';

export interface WorkspaceIndex {
  /** The workspace root (absolute). */
  readonly root: string;
  /** Source files of one language under the root (absolute paths), without dependencies and build output; bounded. */
  files(lang: Lang): readonly string[];
  /**
   * Files that are not source code but hold facts about it: schemas and SQL migrations, lockfiles
   * and dependency pins, deployment and scheduler config (absolute paths; bounded). Which names
   * count is decided in one place, `isWorkspaceFactFile`.
   */
  factFiles(): readonly string[];
  /** A file's text; undefined when it is not there or too large. */
  read(file: string): string | undefined;
  /**
   * A value computed from one file's text alone (its parse), kept while that file is unchanged even
   * when others change: workspace facts rebuilt after an edit then parse only the files that changed.
   * Undefined when the file cannot be read.
   */
  perFile<T>(file: string, key: string, compute: (text: string) => T): T | undefined;
  /** A fact of the whole workspace, computed once and again only after a source file changed. */
  fact<T>(key: string, compute: () => T): T;
}

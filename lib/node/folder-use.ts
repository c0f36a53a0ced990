/**
 * Which member folders this process is writing in, so that a save that kept nothing removes its folder only
 * when no other save, sweep or record of this process is using it. Without it, two downloads of one member that
 * fail together race: one removes the folder between the other's `mkdir` and `open` (an ENOENT the other
 * reported as a `FileSystemError`), or under a statements-job record being written.
 *
 * Processes sharing a folder are not counted here: `save$` tries its `mkdir` + `open` again when the folder
 * vanished in between.
 *
 * @module
 */
import { rmdir } from 'node:fs/promises';

const users = new Map<string, number>();

/**
 * Marks `dir` (absolute) as in use by this process until the returned release is called (once; later calls do
 * nothing).
 *
 * @example
 * ```ts
 * import { useFolder } from './folder-use.js';
 * const release = useFolder('/srv/statements/MBR-1');
 * try { // write in it
 * } finally { release(); }
 * ```
 */
export const useFolder = (dir: string): (() => void) => {
  users.set(dir, (users.get(dir) ?? 0) + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const left = (users.get(dir) ?? 1) - 1;
    if (left > 0) users.set(dir, left);
    else users.delete(dir);
  };
};

/** How many holders `dir` has in this process (0 when none). */
export const folderUsers = (dir: string): number => users.get(dir) ?? 0;

/**
 * Removes `dir` if it is empty (`rmdir` refuses otherwise) and nothing else in this process uses it (`holders`
 * are the caller's own uses); never throws.
 *
 * @example
 * ```ts
 * import { removeIfUnused } from './folder-use.js';
 * await removeIfUnused('/srv/statements/MBR-1'); // gone if empty and unused, else left
 * ```
 */
export const removeIfUnused = async (dir: string, holders = 0): Promise<void> => {
  if (folderUsers(dir) > holders) return;
  await rmdir(dir).catch(() => undefined);
};

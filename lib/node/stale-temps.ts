/**
 * Housekeeping for temp files a crashed run left behind (`.<statement>.pdf.<random>.part`): a download in
 * progress removes its own on failure or cancellation, but a killed process cannot.
 *
 * @module
 */
import { readdir, rm, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { isTempName } from './layout.js';

/**
 * Deletes the sink's temp files in `memberDir` last written more than `olderThanMs` ago, and resolves with how
 * many it deleted. A live download writes its temp file at least once per chunk timeout once bytes flow, and
 * waits only minutes (timeouts, retries) before the first, so a file untouched for much longer belongs to no
 * running process, whichever machine shares the folder. Never throws: a file that vanished or cannot be
 * removed is left to the next sweep.
 *
 * @example
 * ```ts
 * import { sweepStaleTemps } from './stale-temps.js';
 * await sweepStaleTemps('./statements/MBR-1', 60 * 60_000, Date.now()); // 0 when nothing was left behind
 * ```
 */
export const sweepStaleTemps = async (memberDir: string, olderThanMs: number, now: number): Promise<number> => {
  let names: string[];
  try {
    names = await readdir(memberDir);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of names.filter(isTempName)) {
    const file = path.join(memberDir, name);
    try {
      const st = await stat(file);
      if (!st.isFile() || now - st.mtimeMs <= olderThanMs) continue;
      await rm(file, { force: true });
      removed += 1;
    } catch {
      // gone already, or not ours to remove: the next sweep will see
    }
  }
  return removed;
};

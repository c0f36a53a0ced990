/**
 * Housekeeping for temp files a killed run left behind (`.<statement>.pdf.<writer>.part`): a download in progress
 * removes its own on failure or cancellation, but a killed process cannot.
 *
 * @module
 */
import { readdir, rm, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { removeIfUnused } from './folder-use.js';
import { isTempName, tempWriterOf } from './layout.js';
import { STALE_LOCK_MS, isStaleLockAside } from './manifest-lock.js';
import { writerGone } from './writer-identity.js';

/**
 * Deletes the sink's temp files in `memberDir` whose writer is gone — at once, whatever their age: the name
 * records the writing process (host, pid, start time), and a process that no longer runs (or whose pid now
 * belongs to a process started at another time) writes nothing more. A file whose writer cannot be checked (written
 * on another host sharing the folder, or by an earlier version that recorded no writer) is deleted once last
 * written more than `olderThanMs` ago by the wall clock. A live writer's file is never touched. Resolves with how
 * many it deleted; never throws (a file that vanished or cannot be removed is left to the next sweep). When the
 * sweep leaves the folder empty and nothing else in this process uses it, the folder goes too (a save recreates it).
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
  // a lock a killed process was taking over, moved aside (see manifest-lock.ts): gone once older than a stale lock
  for (const name of names.filter(isStaleLockAside)) {
    const file = path.join(memberDir, name);
    try {
      if (now - (await stat(file)).mtimeMs > STALE_LOCK_MS) {
        await rm(file, { force: true });
        removed += 1;
      }
    } catch {
      // gone already
    }
  }
  for (const name of names.filter(isTempName)) {
    const file = path.join(memberDir, name);
    try {
      const writer = tempWriterOf(name);
      const gone = writer === undefined ? undefined : await writerGone(writer);
      if (gone === false) continue;
      if (gone === undefined) {
        const st = await stat(file);
        if (!st.isFile() || !(now - st.mtimeMs > olderThanMs)) continue;
      }
      await rm(file, { force: true });
      removed += 1;
    } catch {
      // gone already, or not ours to remove: the next sweep will see
    }
  }
  if (removed > 0 && removed === names.length) await removeIfUnused(memberDir);
  return removed;
};

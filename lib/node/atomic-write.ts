/**
 * Small-file atomic replace (temp file + fsync + rename) and folder fsync.
 *
 * @module
 */
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import * as path from 'node:path';
import { tempPathFor } from './layout.js';

/**
 * Makes a rename in `dir` durable. Best effort: some platforms (Windows) cannot open or sync a folder, and the
 * rename itself is already atomic there.
 */
export const fsyncDir = async (dir: string): Promise<void> => {
  let fh: FileHandle | undefined;
  try {
    fh = await open(dir, 'r');
    await fh.sync();
  } catch {
    // not supported here: the rename stays atomic, only its durability across a power cut is weaker
  } finally {
    await fh?.close().catch(() => undefined);
  }
};

/** Replaces `file` with `text` so a reader sees the old or the new content, never a part of it. */
export const writeFileAtomic = async (file: string, text: string, fsync: boolean): Promise<void> => {
  const temp = tempPathFor(file);
  let fh: FileHandle | undefined;
  try {
    fh = await open(temp, 'wx');
    await fh.writeFile(text, 'utf8');
    if (fsync) await fh.sync();
    const closing = fh;
    fh = undefined;
    await closing.close();
    await rename(temp, file);
  } catch (err) {
    await fh?.close().catch(() => undefined);
    await rm(temp, { force: true }).catch(() => undefined);
    throw err;
  }
  if (fsync) await fsyncDir(path.dirname(file));
};

/**
 * Checking `--out` before any request: the folder exists or can be created, is a folder, and takes a file (a
 * probe file is created and deleted). Missing folders are created one level at a time, never with Node's
 * recursive `mkdir` (which spins forever under /proc and reports EROFS as ENOENT), so the error names the real
 * cause and the level that failed.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, statSync, unlinkSync, type Dirent } from 'node:fs';
import { mkdir, open, rmdir, stat, unlink } from 'node:fs/promises';
import * as path from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import type { FileSystemError } from '../node/fs-error.js';
import { isTempName, tempWriterOf } from '../node/layout.js';
import { displayPath } from './render/format.js';

const REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or folder',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'name too long',
  EIO: 'input/output error',
  EMFILE: 'too many open files',
};

const codeOf = (e: unknown): string | undefined => {
  const code = typeof e === 'object' && e !== null ? (e as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
};

/** The checked output folder. */
export interface OutDir {
  /** Its absolute path. */
  readonly path: string;
  /** Folders the check created (outermost first), so a run that saved nothing can remove them again. */
  readonly created: ReadonlyArray<string>;
}

/** The file system calls the check makes (injectable, to reproduce EROFS and friends in specs). */
export interface OutDirFs {
  readonly stat: (p: string) => Promise<{ isDirectory(): boolean }>;
  readonly mkdir: (p: string) => Promise<unknown>;
  readonly open: (p: string, flags: string, mode: number) => Promise<{ write(data: string): Promise<unknown>; close(): Promise<void> }>;
  readonly unlink: (p: string) => Promise<void>;
  readonly rmdir: (p: string) => Promise<void>;
}

/** Node's own file system calls (never the recursive mkdir). */
export const NODE_OUT_DIR_FS: OutDirFs = { stat, mkdir: (p) => mkdir(p), open, unlink, rmdir };

/**
 * Checks (and creates, if missing) the output folder `dir`, resolved against `cwd`. A problem is a
 * `FileSystemError` (exit 8) whose message names `flag`, the folder and the real cause.
 *
 * @example
 * ```ts
 * import { checkOutDir } from './out-dir.js';
 *
 * const checked = await checkOutDir('./statements', process.cwd());
 * if (checked._tag === 'Left') console.error(checked.left.message); // --out ./statements: cannot create …: read-only file system (EROFS)
 * ```
 */
export const checkOutDir = async (
  dir: string,
  cwd: string,
  flag = '--out',
  fs: OutDirFs = NODE_OUT_DIR_FS,
): Promise<E.Either<FileSystemError, OutDir>> => {
  const abs = path.resolve(cwd, dir);
  /** `--out DIR: <what>[ <where>]: <reason> (<CODE>)`, or without the reason when `what` says it all. */
  const fail = (what: string, at: string, e: unknown, withReason = true): E.Either<FileSystemError, OutDir> => {
    const code = codeOf(e);
    const reason = code ? `${REASONS[code] ?? 'failed'} (${code})` : e instanceof Error ? e.message : String(e);
    const where = at === abs ? '' : ` ${displayPath(at, cwd)}`;
    return E.left({
      _tag: 'FileSystemError',
      method: 'WRITE',
      path: displayPath(abs, cwd),
      message: `${flag} ${dir}: ${what}${where}${withReason ? `: ${reason}` : ''}`,
      ...(code ? { code } : {}),
    });
  };
  // Walk up to the first level that exists.
  const missing: string[] = [];
  let at = abs;
  for (;;) {
    try {
      const s = await fs.stat(at);
      if (!s.isDirectory()) {
        return at === abs ? fail('is a file, not a folder', at, { code: 'ENOTDIR' }, false) : fail('cannot be created, a file is in the way:', at, { code: 'ENOTDIR' }, false);
      }
      break;
    } catch (e) {
      if (codeOf(e) === 'ENOTDIR') return fail('cannot be created', abs, e);
      if (codeOf(e) !== 'ENOENT') return fail('cannot check', at, e);
      const parent = path.dirname(at);
      if (parent === at) return fail('cannot check', at, e);
      missing.unshift(at);
      at = parent;
    }
  }
  const created: string[] = [];
  for (const level of missing) {
    try {
      await fs.mkdir(level);
      created.push(level);
    } catch (e) {
      if (codeOf(e) === 'EEXIST' && (await fs.stat(level).then((s) => s.isDirectory(), () => false))) continue;
      await removeIfEmpty(created, fs);
      return fail('cannot create', level, e);
    }
  }
  const probe = path.join(abs, `.mx-statements-probe-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    const handle = await fs.open(probe, 'wx', 0o600);
    try {
      await handle.write('probe');
    } finally {
      await handle.close();
    }
    await fs.unlink(probe);
  } catch (e) {
    await fs.unlink(probe).catch(() => undefined);
    await removeIfEmpty(created, fs);
    return fail('cannot write a file in it', abs, e);
  }
  return E.right({ path: abs, created });
};

/**
 * Removes folders the check created, innermost first, as long as they are empty (a run that saved nothing
 * leaves no empty output folder behind).
 *
 * @example
 * ```ts
 * import { checkOutDir, removeIfEmpty } from './out-dir.js';
 *
 * const checked = await checkOutDir('./statements', process.cwd());
 * if (checked._tag === 'Right') await removeIfEmpty(checked.right.created);
 * ```
 */
export const removeIfEmpty = async (created: ReadonlyArray<string>, fs: Pick<OutDirFs, 'rmdir'> = NODE_OUT_DIR_FS): Promise<void> => {
  for (const dir of [...created].reverse()) {
    try {
      await fs.rmdir(dir);
    } catch {
      return; // not empty (or gone): keep it and every folder above it
    }
  }
};

/**
 * Deletes, synchronously, the temporary download files (`.*.part`) this process left in the member folders of
 * `out`: those whose name records this process as their writer (and, for names of earlier versions that record
 * none, those changed since `since`, epoch ms). For a forced exit, when the sink had no time to clean up;
 * another process's temp file and a finished PDF are never touched. Returns how many were deleted.
 *
 * @example
 * ```ts
 * import { sweepTempFilesSync } from './out-dir.js';
 *
 * const started = Date.now();
 * // … the run is killed by the exit guard …
 * sweepTempFilesSync('/srv/statements', started);
 * ```
 */
export const sweepTempFilesSync = (out: string, since: number, limit = 10_000): number => {
  let deleted = 0;
  let seen = 0;
  const visit = (dir: string, depth: number) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (++seen > limit) return;
      const p = path.join(dir, e.name);
      if (e.isDirectory() && depth < 2) visit(p, depth + 1);
      else if (e.isFile() && isTempName(e.name)) {
        const writer = tempWriterOf(e.name);
        if (writer !== undefined && writer.pid !== process.pid) continue;
        try {
          if (writer !== undefined || statSync(p).mtimeMs >= since - 1000) {
            unlinkSync(p);
            deleted += 1;
          }
        } catch {
          // already gone
        }
      }
    }
  };
  visit(out, 0);
  return deleted;
};

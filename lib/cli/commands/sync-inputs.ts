/**
 * What a sync works on and how it ends: the members (`--members` or every member of every user), how they are
 * paced (for the first line), and the exit code of a finished batch or fleet.
 *
 * @module
 */
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import type { MemberRef } from '../../api/refs.js';
import type { FileSystemError } from '../../node/fs-error.js';
import { DEFAULT_CONCURRENCY_WITHOUT_RATE_LIMIT, type BatchSummary } from '../../workflow/index.js';
import { EXIT, exitCodeFor, type ExitCode } from '../exit-codes.js';
import { raceAbort } from '../run.js';
import { parseMembersFile, type SyncOptions } from '../sync-options.js';

/**
 * Reads and parses the `--members` file. A read failure is a `FileSystemError` value (exit 8) naming the flag.
 *
 * @example
 * ```ts
 * import { readMembersFile } from './sync-inputs.js';
 *
 * const read = await readMembersFile('members.csv');
 * if (read._tag === 'Left') console.error(read.left.message); // --members members.csv: cannot be read: no such file or folder (ENOENT)
 * ```
 */
export const readMembersFile = async (file: string): Promise<E.Either<FileSystemError, MemberRef[]>> => {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const reason = err.code === 'ENOENT' ? 'no such file' : err.code === 'EISDIR' ? 'is a folder' : err.code === 'EACCES' ? 'permission denied' : 'failed';
    return E.left({
      _tag: 'FileSystemError',
      method: 'READ',
      path: path.resolve(file),
      message: `--members ${file}: cannot be read: ${reason}${err.code ? ` (${err.code})` : ''}`,
      ...(err.code ? { code: err.code } : {}),
    });
  }
  return E.right(parseMembersFile(text));
};

/**
 * The exit code of a finished sync: 0 when every member synced; the listing error's code when listing failed
 * and nothing else did; otherwise {@link EXIT.partial} (a member failed or needs its user, or the listing skipped
 * a user whose members could not be listed: those members were not synced).
 *
 * @example
 * ```ts
 * import { syncExitCode } from './sync-inputs.js';
 * import type { BatchSummary } from 'mx-statements-rx';
 * declare const summary: BatchSummary;
 *
 * syncExitCode({ ...summary, failed: 1 }); // 9
 * ```
 */
export const syncExitCode = (s: Pick<BatchSummary<FileSystemError>, 'failed' | 'needsUserAction' | 'listingError' | 'skippedUsers'>): ExitCode => {
  if (s.failed > 0 || s.needsUserAction > 0 || (s.skippedUsers?.length ?? 0) > 0) return EXIT.partial;
  if (s.listingError) return exitCodeFor(s.listingError);
  return EXIT.ok;
};

/**
 * How the members are paced, for the first line: `at most 8 at a time`, `paced by --rate-limit 50/s`, `4 at a time`.
 *
 * @example
 * ```ts
 * import { paceText } from './sync-inputs.js';
 *
 * paceText({ rateLimit: 50 }); // 'paced by --rate-limit 50/s'
 * ```
 */
export const paceText = (o: { readonly concurrency?: number; readonly rateLimit?: number }): string => {
  const cap = o.concurrency !== undefined ? `at most ${o.concurrency} at a time` : undefined;
  if (o.rateLimit !== undefined) return `paced by --rate-limit ${o.rateLimit}/s${cap ? `, ${cap}` : ''}`;
  return cap ?? `${DEFAULT_CONCURRENCY_WITHOUT_RATE_LIMIT} at a time (--rate-limit paces by the rate instead)`;
};

/** The members to sync: 'all-members', or those of `--members`. */
export const readInputs = async (options: SyncOptions, signal: AbortSignal): Promise<MemberRef[] | 'all-members'> => {
  if (options.membersFile === undefined) return 'all-members';
  const read = await raceAbort(readMembersFile(options.membersFile), signal);
  if (E.isLeft(read)) throw read.left;
  return read.right;
};

/** `every member of every user`, or `3 member(s) from members.csv`. */
export const inputsText = (inputs: MemberRef[] | 'all-members', file: string | undefined): string =>
  inputs === 'all-members' ? 'every member of every user' : `${inputs.length} member(s) from ${file ?? ''}`;

/**
 * When a member's last successful statements job ended, kept beside its statements as
 * `<dir>/<member>/statements-job.json`, so a later run can skip a fresh member's job (`maxAge`) without asking MX.
 *
 * @module
 */
import { mkdir, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import type { Observable } from 'rxjs';
import type { MemberRef } from '../api/refs.js';
import type { MxError } from '../core/errors.js';
import type { ObservableEither } from '../core/observable-either.js';
import type { FileSystemError } from './fs-error.js';
import { writeFileAtomic } from './atomic-write.js';
import type { SinkContext } from './context.js';
import { errorCode, fileSystemError } from './fs-error.js';
import { useFolder } from './folder-use.js';
import { sinkJob$ } from './job.js';
import { assertInside } from './layout.js';
import { sanitizeFileName } from './sanitize.js';
import { serially } from './serial-queue.js';

/**
 * The record's file name in a member folder.
 *
 * @example
 * ```ts
 * import * as path from 'node:path';
 * import { STATEMENTS_JOB_FILE } from './statements-job-record.js';
 * path.join('./statements', 'MBR-1', STATEMENTS_JOB_FILE); // statements/MBR-1/statements-job.json
 * ```
 */
export const STATEMENTS_JOB_FILE = 'statements-job.json';

const paths = (root: string, member: MemberRef) => {
  const memberDir = path.resolve(root, sanitizeFileName(member.memberGuid));
  const file = path.resolve(memberDir, STATEMENTS_JOB_FILE);
  assertInside(root, file);
  return { memberDir, file, rel: path.relative(root, file).split(path.sep).join('/') };
};

/** The recorded time (ms since the epoch), or `undefined` when there is none or it is unreadable. */
const readAt = async (file: string, memberGuid: string): Promise<number | undefined> => {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = errorCode(err);
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') return undefined;
    throw err;
  }
  try {
    const json = JSON.parse(text) as { member_guid?: unknown; statements_job_at?: unknown };
    const at = typeof json.statements_job_at === 'string' ? Date.parse(json.statements_job_at) : NaN;
    // A record of another member (a folder copied by hand) or a bad time counts as none: the job runs.
    return json.member_guid === memberGuid && Number.isFinite(at) ? at : undefined;
  } catch {
    return undefined;
  }
};

/**
 * `lastStatementsJob$` of the disk sink: the time in the member's `statements-job.json`, `Right(undefined)` when
 * missing or unreadable; a `FileSystemError` only when the folder cannot be read at all.
 */
export const lastStatementsJob$ = (ctx: SinkContext, member: MemberRef): ObservableEither<MxError | FileSystemError, number | undefined> =>
  sinkJob$(ctx, async () => {
    let p: ReturnType<typeof paths>;
    try {
      p = paths(ctx.root, member);
    } catch (err) {
      return E.left(fileSystemError('READ', '', 'place the statements job record in', err));
    }
    try {
      return E.right(await readAt(p.file, member.memberGuid));
    } catch (err) {
      return E.left(fileSystemError('READ', p.rel, 'read', err));
    }
  });

/**
 * `recordStatementsJob$` of the disk sink: writes `{ version, member_guid, user_guid, statements_job_at }`
 * atomically (a later time never replaced by an earlier one), one write at a time per file. Once begun it
 * finishes even on unsubscribe.
 */
export const recordStatementsJob$ = (ctx: SinkContext, member: MemberRef, at: number): ObservableEither<MxError | FileSystemError, void> =>
  sinkJob$(ctx, async () => {
    let p: ReturnType<typeof paths>;
    try {
      p = paths(ctx.root, member);
    } catch (err) {
      return E.left(fileSystemError('WRITE', '', 'place the statements job record in', err));
    }
    const release = useFolder(p.memberDir);
    try {
      await serially(p.file, async () => {
        const before = await readAt(p.file, member.memberGuid).catch(() => undefined);
        if (before !== undefined && before >= at) return;
        const record = { version: 1, member_guid: member.memberGuid, user_guid: member.userGuid, statements_job_at: new Date(at).toISOString() };
        // A sweep (or another process) that removed the folder just as this began: create it once more.
        for (let attempt = 1; ; attempt++) {
          try {
            await mkdir(p.memberDir, { recursive: true });
            await writeFileAtomic(p.file, `${JSON.stringify(record, null, 2)}\n`, ctx.fsync);
            return;
          } catch (err) {
            if (errorCode(err) !== 'ENOENT' || attempt >= 3) throw err;
          }
        }
      });
      return E.right(undefined);
    } catch (err) {
      return E.left(fileSystemError('WRITE', p.rel, 'write', err));
    } finally {
      release(); // a failed save of this member does not remove the folder under the record being written
    }
  });

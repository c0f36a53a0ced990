/**
 * `save$`: one download into `<dir>/<member>/<statement>.pdf` through a temp file, kept only once verified.
 *
 * @module
 */
import { mkdir, rm, stat } from 'node:fs/promises';
import * as E from 'fp-ts/lib/Either.js';
import type { Observable } from 'rxjs';
import { integrityError, type IntegrityError, type MxError } from '../core/errors.js';
import type { MxObservable } from '../core/observable-either.js';
import type { FileSystemError } from './fs-error.js';
import { apiPath } from '../http/path.js';
import type { DownloadEvent, DownloadTarget, SavedStatement } from '../workflow/sink.js';
import { ChunkFileWriter } from './chunk-writer.js';
import { consume, type Consumption } from './consume.js';
import { sinkJob$ } from './job.js';
import type { SinkContext } from './context.js';
import { errorCode, fileSystemError } from './fs-error.js';
import { usableContentHash } from '../workflow/download-limits.js';
import { statementPaths, tempPathFor, type StatementPaths } from './layout.js';
import { exclusively, writeEntry, type ManifestEntry } from './manifest.js';
import { removeIfUnused, useFolder } from './folder-use.js';

type Result = E.Either<MxError | FileSystemError, SavedStatement>;

const integrity = (
  target: DownloadTarget,
  reason: IntegrityError['reason'],
  message: string,
  expected?: string | number,
  actual?: string | number,
): IntegrityError =>
  integrityError(
    { method: 'GET', path: apiPath`/users/${target.member.userGuid}/members/${target.member.memberGuid}/statements/${target.statement.guid}.pdf` },
    reason,
    `statement ${target.statement.guid}: ${message}`,
    { statementGuid: target.statement.guid, expected, actual },
  );

/** Checks what the writer got against the `verified` event and the statement's `content_hash`. */
const checkWritten = (
  target: DownloadTarget,
  verified: { readonly bytes: number; readonly sha256: string },
  bytes: number,
  sha256: string,
): IntegrityError | undefined => {
  if (bytes !== verified.bytes) return integrity(target, 'length-mismatch', 'the bytes written differ from the verified length', verified.bytes, bytes);
  if (sha256 !== verified.sha256.toLowerCase()) return integrity(target, 'hash-mismatch', 'the bytes written differ from the verified SHA-256', verified.sha256, sha256);
  const contentHash = usableContentHash(target.statement);
  if (contentHash !== undefined && sha256 !== contentHash) return integrity(target, 'hash-mismatch', 'SHA-256 differs from content_hash', contentHash, sha256);
  return undefined;
};

const manifestEntry = (target: DownloadTarget, paths: StatementPaths, bytes: number, sha256: string, verified: boolean, now: Date): ManifestEntry => ({
  member_guid: target.member.memberGuid,
  user_guid: target.member.userGuid,
  statement_guid: target.statement.guid,
  account_guid: target.statement.account_guid ?? null,
  file: paths.relFile,
  bytes,
  sha256,
  content_hash: target.statement.content_hash ?? null,
  created_at: target.statement.created_at ?? null,
  saved_at: now.toISOString(),
  verified,
});

/** Attempts at `mkdir` + `open` when another process removes the member folder in between. */
const OPEN_ATTEMPTS = 5;

/**
 * Creates the member folder and a temp file in it. Saves of this process never remove a folder another uses (see
 * folder-use.ts), but a failed save in another process sharing the output folder may remove it when it leaves it
 * empty, between our `mkdir` and `open` (or during a recursive `mkdir`): then both are tried again.
 */
const openTemp = async (ctx: SinkContext, paths: StatementPaths): Promise<E.Either<FileSystemError, ChunkFileWriter>> => {
  const vanished = (err: unknown): boolean => errorCode(err) === 'ENOENT';
  for (let attempt = 1; ; attempt++) {
    try {
      await mkdir(paths.memberDir, { recursive: true });
    } catch (err) {
      if (vanished(err) && attempt < OPEN_ATTEMPTS) continue;
      return E.left(fileSystemError('WRITE', paths.relMemberDir, 'create the folder', err));
    }
    try {
      return E.right(await ChunkFileWriter.open(tempPathFor(paths.file), ctx.highWaterMark));
    } catch (err) {
      if (!vanished(err) || attempt >= OPEN_ATTEMPTS) return E.left(fileSystemError('WRITE', paths.relFile, 'create a temp file for', err));
    }
  }
};

/** The steps of one save; `isCancelled` turns true on unsubscribe. Resolves to the one result, or nothing if cancelled. */
const runSave = async (
  ctx: SinkContext,
  target: DownloadTarget,
  download$: MxObservable<DownloadEvent>,
  isCancelled: () => boolean,
  onConsumption: (c: Consumption) => void,
): Promise<Result | undefined> => {
  let paths: StatementPaths;
  try {
    paths = statementPaths(ctx.root, target);
  } catch (err) {
    return E.left(fileSystemError('WRITE', '', 'place the statement in', err));
  }
  const release = useFolder(paths.memberDir);
  let result: Result | undefined;
  try {
    await ctx.sweepOnce(paths.memberDir);
    if (isCancelled()) return undefined;
    const opened = await openTemp(ctx, paths);
    result = E.isLeft(opened) ? opened : await writeAndKeep(ctx, target, download$, isCancelled, onConsumption, paths, opened.right);
    return result;
  } finally {
    // a save that kept nothing leaves no empty member folder behind (unless another save of ours is using it)
    if (result === undefined || E.isLeft(result)) await removeIfUnused(paths.memberDir, 1);
    release();
  }
};

/** Fills `writer` from the download, checks it, and moves it into place with its manifest entry; else discards it. */
const writeAndKeep = async (
  ctx: SinkContext,
  target: DownloadTarget,
  download$: MxObservable<DownloadEvent>,
  isCancelled: () => boolean,
  onConsumption: (c: Consumption) => void,
  paths: StatementPaths,
  writer: ChunkFileWriter,
): Promise<Result | undefined> => {
  let kept = false;
  try {
    if (isCancelled()) return undefined;
    const consumption = consume(download$, writer);
    onConsumption(consumption);
    const end = await consumption.end;
    switch (end.kind) {
      case 'cancelled':
        return undefined;
      case 'left':
        return E.left(end.error);
      case 'incomplete':
        return E.left(integrity(target, 'truncated', 'the download ended before it was verified'));
      case 'stream-error':
        throw end.error;
      case 'write-failed':
      case 'verified':
        break;
    }
    let sha256: string;
    try {
      sha256 = await writer.digest();
    } catch (err) {
      return E.left(fileSystemError('WRITE', paths.relFile, 'write', err));
    }
    if (end.kind === 'write-failed') return E.left(fileSystemError('WRITE', paths.relFile, 'write', new Error('write failed')));
    const bad = checkWritten(target, end, writer.bytes, sha256);
    if (bad) return E.left(bad);
    try {
      await writer.seal(ctx.fsync);
    } catch (err) {
      return E.left(fileSystemError('WRITE', paths.relFile, 'write', err));
    }
    const bytes = writer.bytes;
    // Kept as verified only when the SHA-256 was checked against a usable content_hash (checkWritten did).
    const verified = end.unverified !== true && usableContentHash(target.statement) !== undefined;
    // The rename and its manifest entry happen as the manifest's only updater (its queue in this process, its
    // lock file across processes), so the manifest always describes the file in place, even when the same
    // statement is saved twice at once, and no entry of another save is lost.
    let manifestTouched = false;
    try {
      return await exclusively(paths.manifest, async (): Promise<Result | undefined> => {
        manifestTouched = true;
        if (isCancelled()) return undefined;
        const replacing = await stat(paths.file).then(() => true, () => false);
        try {
          await writer.moveTo(paths.file, ctx.fsync);
        } catch (err) {
          return E.left(fileSystemError('WRITE', paths.relFile, 'save', err));
        }
        kept = true;
        const now = ctx.now();
        try {
          await writeEntry(paths.manifest, manifestEntry(target, paths, bytes, sha256, verified, now), ctx.fsync, now);
        } catch (err) {
          // Unrecorded, a new file would be left behind unaccounted for: take it back. (One that replaced an
          // older copy stays: its old entry no longer matches it, so the next lookup downloads it again.)
          if (!replacing) await rm(paths.file, { force: true }).catch(() => undefined);
          return E.left(fileSystemError('WRITE', paths.relManifest, 'update the manifest', err));
        }
        return E.right({ location: paths.file, bytes, sha256, ...(verified ? {} : { unverified: true as const }) });
      });
    } catch (err) {
      // the lock could not be taken (ELOCKED, or an fs error creating it)
      if (manifestTouched) throw err;
      return E.left(fileSystemError('WRITE', paths.relManifest, 'lock the manifest', err));
    }
  } finally {
    if (!kept) await writer.discard();
  }
};

/**
 * Streams `download$` into the statement's file. Emits one `Either` and completes; on unsubscribe it stops the
 * download and removes the temp file (see {@link SinkContext.idle} to wait for that).
 */
export const saveStatement$ = (
  ctx: SinkContext,
  target: DownloadTarget,
  download$: MxObservable<DownloadEvent>,
): Observable<Result> =>
  sinkJob$(ctx, (isCancelled, onCancel) =>
    runSave(ctx, target, download$, isCancelled, (consumption) => onCancel(() => consumption.cancel())));

/**
 * `has$`: whether a statement is already saved and intact, checked against the manifest and the file itself.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import type { Observable } from 'rxjs';
import type { MxError } from '../core/errors.js';
import type { DownloadTarget, SavedStatement } from '../workflow/sink.js';
import type { SinkContext } from './context.js';
import { errorCode, fileSystemError } from './fs-error.js';
import { expectedContentHash, hashFile } from './hash.js';
import { statementPaths, type StatementPaths } from './layout.js';
import { sinkJob$ } from './job.js';
import { findEntry, readManifest } from './manifest.js';

type Result = E.Either<MxError, SavedStatement | undefined>;

const GONE = new Set(['ENOENT', 'ENOTDIR', 'EISDIR']);

const runHas = async (ctx: SinkContext, target: DownloadTarget, isCancelled: () => boolean): Promise<Result> => {
  let paths: StatementPaths;
  try {
    paths = statementPaths(ctx.root, target);
  } catch (err) {
    return E.left(fileSystemError('READ', '', 'place the statement in', err));
  }
  let read: Awaited<ReturnType<typeof readManifest>>;
  try {
    read = await readManifest(paths.manifest);
  } catch (err) {
    return E.left(fileSystemError('READ', paths.relManifest, 'read the manifest', err));
  }
  if (read.kind !== 'ok') return E.right(undefined);
  const entry = findEntry(read.manifest, target.member.memberGuid, target.statement.guid);
  if (!entry || entry.file !== paths.relFile) return E.right(undefined);
  let digest: Awaited<ReturnType<typeof hashFile>>;
  try {
    digest = await hashFile(paths.file, entry.bytes, isCancelled);
  } catch (err) {
    const code = errorCode(err);
    if (code !== undefined && GONE.has(code)) return E.right(undefined);
    return E.left(fileSystemError('READ', paths.relFile, 'read', err));
  }
  if (!digest || digest.sha256 !== entry.sha256.toLowerCase()) return E.right(undefined);
  const contentHash = expectedContentHash(target.statement);
  if (contentHash !== undefined && digest.sha256 !== contentHash) return E.right(undefined);
  return E.right({ location: paths.file, bytes: digest.bytes, sha256: digest.sha256 });
};

/**
 * `Right(saved)` when the manifest records the statement and its file has the recorded size and SHA-256 (the
 * file is re-hashed, streaming) and matches the statement's `content_hash` when it has one; `Right(undefined)`
 * otherwise, so the statement is downloaded again. `Left` only for an fs error other than a missing file.
 */
export const hasStatement$ = (ctx: SinkContext, target: DownloadTarget): Observable<Result> =>
  sinkJob$(ctx, (isCancelled) => runHas(ctx, target, isCancelled));

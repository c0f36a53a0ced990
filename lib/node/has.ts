/**
 * `has$`: whether a statement is already saved and intact, checked against the manifest and the file itself.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import type { Observable } from 'rxjs';
import type { MxError } from '../core/errors.js';
import type { FileSystemError } from './fs-error.js';
import type { DownloadTarget, SavedStatement } from '../workflow/sink.js';
import type { SinkContext } from './context.js';
import { errorCode, fileSystemError } from './fs-error.js';
import { usableContentHash } from '../workflow/download-limits.js';
import { hashFile } from './hash.js';
import { statementPaths, type StatementPaths } from './layout.js';
import { sinkJob$ } from './job.js';
import { entryVerified, exclusively, findEntry, readManifest, writeEntry, type ManifestEntry } from './manifest.js';

type Result = E.Either<MxError | FileSystemError, SavedStatement | undefined>;

const GONE = new Set(['ENOENT', 'ENOTDIR', 'EISDIR']);

const runHas = async (ctx: SinkContext, target: DownloadTarget, isCancelled: () => boolean): Promise<Result> => {
  let paths: StatementPaths;
  try {
    paths = statementPaths(ctx.root, target);
  } catch (err) {
    return E.left(fileSystemError('READ', '', 'place the statement in', err));
  }
  await ctx.sweepOnce(paths.memberDir);
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
  const saved = { location: paths.file, bytes: digest.bytes, sha256: digest.sha256 };
  const contentHash = usableContentHash(target.statement);
  if (contentHash === undefined) return E.right(entryVerified(entry) ? saved : { ...saved, unverified: true });
  if (digest.sha256 !== contentHash) return E.right(undefined);
  if (!entryVerified(entry)) {
    // Kept unverified by an earlier run; MX now sends a hash and the file matches it: record it as verified.
    try {
      await markVerified(ctx, paths, entry, contentHash);
    } catch (err) {
      return E.left(fileSystemError('WRITE', paths.relManifest, 'update the manifest', err));
    }
  }
  return E.right(saved);
};

/** Rewrites a statement's entry as verified against `contentHash`, unless another save replaced it meanwhile. */
const markVerified = (ctx: SinkContext, paths: StatementPaths, entry: ManifestEntry, contentHash: string): Promise<void> =>
  exclusively(paths.manifest, async () => {
    const now = ctx.now();
    const current = await readManifest(paths.manifest);
    const still = current.kind === 'ok' ? findEntry(current.manifest, entry.member_guid, entry.statement_guid) : undefined;
    if (still === undefined || still.sha256 !== entry.sha256) return;
    await writeEntry(paths.manifest, { ...still, content_hash: contentHash, verified: true }, ctx.fsync, now);
  });

/**
 * `Right(saved)` when the manifest records the statement and its file has the recorded size and SHA-256 (the
 * file is re-hashed, streaming), and matches the statement's usable `content_hash` when it has one; `Right(undefined)`
 * otherwise, so the statement is downloaded again. A copy kept unverified (no hash then) is reported with
 * `unverified: true` while MX still sends no hash, and is re-verified once it does: recorded as verified when the
 * file matches the hash, downloaded again when it does not. `Left` only for an fs error other than a missing file.
 * The first lookup in a member folder also deletes the temp files killed runs left there.
 */
export const hasStatement$ = (ctx: SinkContext, target: DownloadTarget): Observable<Result> =>
  sinkJob$(ctx, (isCancelled) => runHas(ctx, target, isCancelled));

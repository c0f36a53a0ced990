/**
 * Maps a Node fs failure to a {@link FileSystemError}: a path relative to the output folder and a short reason,
 * never an absolute path (Node's own messages carry one) and never file contents.
 *
 * @module
 */
import { PathEscapeError } from './layout.js';

/**
 * A file could not be written or read by the Node sink (`writeStatements`). Never carries file contents, and its
 * `path` is relative to the output folder. It is the Node sink's own error, beside `MxError`: a run with
 * this sink yields `Either<MxError | FileSystemError, …>` (see `StatementSink`).
 *
 * @example
 * ```ts
 * import type { MxError } from 'mx-statements-rx';
 * import type { FileSystemError } from 'mx-statements-rx/node';
 *
 * const explain = (e: MxError | FileSystemError): string =>
 *   e._tag === 'FileSystemError' ? `disk: ${e.code ?? '?'} at ${e.path}` : e.message;
 * ```
 */
export interface FileSystemError {
  readonly _tag: 'FileSystemError';
  readonly method: 'WRITE' | 'READ';
  readonly path: string;
  readonly message: string;
  /** The Node error code (`ENOSPC`, `EACCES`, …), when there was one. */
  readonly code?: string;
}

const REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or folder',
  ENOTDIR: 'a part of the path is not a folder',
  EISDIR: 'is a folder',
  EEXIST: 'already exists',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'read-only file system',
  EMFILE: 'too many open files',
  EIO: 'input/output error',
};

/** The `code` of a Node system error (`ENOENT`, …), if it has one. */
export const errorCode = (err: unknown): string | undefined => {
  const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
};

/** Builds the error for `action` (e.g. `'write'`) on `relPath` that failed with `err`. */
export const fileSystemError = (
  method: FileSystemError['method'],
  relPath: string,
  action: string,
  err: unknown,
): FileSystemError => {
  const code = errorCode(err);
  const reason = code !== undefined
    ? `${REASONS[code] ?? 'failed'} (${code})`
    : err instanceof PathEscapeError ? err.message : 'failed';
  return {
    _tag: 'FileSystemError',
    method,
    path: relPath,
    message: `could not ${action} ${relPath === '' ? 'the output folder' : relPath}: ${reason}`,
    ...(code !== undefined ? { code } : {}),
  };
};

/**
 * Narrows an unknown value to a {@link FileSystemError} (the Node sink's own error, which `isMxError` does not
 * count as an `MxError`).
 *
 * @example
 * ```ts
 * import { isFileSystemError } from 'mx-statements-rx/node';
 * isFileSystemError({ _tag: 'FileSystemError', method: 'WRITE', path: 'MBR-1/STA-1.pdf', message: 'no space left on device (ENOSPC)' }); // true
 * ```
 */
export const isFileSystemError = (u: unknown): u is FileSystemError =>
  typeof u === 'object' && u !== null && (u as { _tag?: unknown })._tag === 'FileSystemError' &&
  typeof (u as { message?: unknown }).message === 'string';

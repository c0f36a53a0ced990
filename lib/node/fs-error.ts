/**
 * Maps a Node fs failure to a {@link FileSystemError}: a path relative to the output folder and a short reason,
 * never an absolute path (Node's own messages carry one) and never file contents.
 *
 * @module
 */
import type { FileSystemError } from '../core/errors.js';
import { PathEscapeError } from './layout.js';

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

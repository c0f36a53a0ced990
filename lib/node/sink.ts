/**
 * `writeStatements(dir)`: the disk `StatementSink`.
 *
 * @module
 */
import * as path from 'node:path';
import type { StatementSink } from '../workflow/sink.js';
import type { FileSystemError } from './fs-error.js';
import { sinkContext, type WriteStatementsOptions } from './context.js';
import { hasStatement$ } from './has.js';
import { saveStatement$ } from './save.js';
import { lastStatementsJob$, recordStatementsJob$ } from './statements-job-record.js';

/**
 * The disk sink: a `StatementSink` plus its folder and a way to wait for clean-up. Besides `MxError`s it fails with
 * its own {@link FileSystemError} (a folder it cannot write, a full disk), so a run with it yields
 * `Either<MxError | FileSystemError, …>`.
 *
 * @example
 * ```ts
 * import { writeStatements, type FileStatementSink } from 'mx-statements-rx/node';
 * const sink: FileStatementSink = writeStatements('./statements');
 * process.once('SIGINT', () => void sink.idle().then(() => process.exit(130)));
 * ```
 */
export interface FileStatementSink extends StatementSink<FileSystemError> {
  /** The output folder, absolute. */
  readonly dir: string;
  /**
   * Resolves once every `save$`/`has$` this sink started has finished, including the clean-up that runs
   * after an unsubscribe (closing and deleting temp files). Await it before exiting the process.
   */
  idle(): Promise<void>;
}

/**
 * A sink that saves each verified PDF as `dir/<member guid>/<statement guid>.pdf` (names sanitised with
 * `sanitizeFileName`), atomically (temp file + fsync + rename), and records it in the per-member manifest
 * `dir/<member guid>/manifest.json`. `has$` reports a statement only when its file is intact (re-hashed).
 * Folders are created as needed.
 *
 * @example
 * ```ts
 * import * as E from 'fp-ts/lib/Either.js';
 * import { writeStatements } from 'mx-statements-rx/node';
 * const sink = writeStatements('./statements');
 * const target = { member: { userGuid: 'USR-1', memberGuid: 'MBR-1' }, statement: { guid: 'STA-1' } };
 * sink.has$(target).subscribe((r) => {
 *   if (E.isRight(r) && r.right) console.log('already saved at', r.right.location);
 * });
 * // the workflow then streams the download: sink.save$(target, download$) → Right({ location, bytes, sha256 })
 * ```
 */
export const writeStatements = (dir: string, options: WriteStatementsOptions = {}): FileStatementSink => {
  const ctx = sinkContext(path.resolve(dir), options);
  return {
    dir: ctx.root,
    idle: ctx.idle,
    has$: (target) => hasStatement$(ctx, target),
    save$: (target, download$) => saveStatement$(ctx, target, download$),
    lastStatementsJob$: (member) => lastStatementsJob$(ctx, member),
    recordStatementsJob$: (member, at) => recordStatementsJob$(ctx, member, at),
  };
};

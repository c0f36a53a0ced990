/**
 * `writeStatements(dir)`: the disk {@link StatementSink}.
 *
 * @module
 */
import * as path from 'node:path';
import type { StatementSink } from '../workflow/sink.js';
import { sinkContext, type WriteStatementsOptions } from './context.js';
import { hasStatement$ } from './has.js';
import { saveStatement$ } from './save.js';

/** The disk sink: a {@link StatementSink} plus its folder and a way to wait for clean-up. */
export interface FileStatementSink extends StatementSink {
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
 * {@link sanitizeFileName}), atomically (temp file + fsync + rename), and records it in the per-member manifest
 * `dir/<member guid>/manifest.json`. `has$` reports a statement only when its file is intact (re-hashed).
 * Folders are created as needed.
 *
 * @example
 * ```ts
 * import { fetchStatements$ } from 'mx-statements-rx';
 * import { writeStatements } from 'mx-statements-rx/node';
 * const sink = writeStatements('./statements');
 * fetchStatements$(client, { ...input, sink }).subscribe({ complete: () => void sink.idle() });
 * ```
 */
export const writeStatements = (dir: string, options: WriteStatementsOptions = {}): FileStatementSink => {
  const ctx = sinkContext(path.resolve(dir), options);
  return {
    dir: ctx.root,
    idle: ctx.idle,
    has$: (target) => hasStatement$(ctx, target),
    save$: (target, download$) => saveStatement$(ctx, target, download$),
  };
};

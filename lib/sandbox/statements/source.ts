/**
 * Builds a {@link StatementSource} from statement data and a replayable chunk sequence.
 *
 * @module
 */
import { Readable } from 'node:stream';
import type { StatementData } from './data.js';
import type { StatementSource } from './types.js';

/**
 * Wraps a chunk factory as a `StatementSource`; `open()` starts a new iteration each time.
 *
 * @example
 * ```ts
 * import type { ServerResponse } from 'node:http';
 * import { bufferChunks } from './chunks.js';
 * import { statementData } from './data.js';
 * import { digestChunks } from './digest.js';
 * import { renderStatementPdf } from './render.js';
 * import { statementSource } from './source.js';
 * declare const response: ServerResponse;
 *
 * const [data] = statementData({ seed: 1, memberGuid: 'MBR-1', institutionName: 'MX Bank', count: 1 });
 * const pdf = await renderStatementPdf(data!, 'MX Bank');
 * const { sha256 } = await digestChunks([pdf]);
 * const source = statementSource(data!, () => bufferChunks(pdf), { byteLength: pdf.length, sha256 });
 * source.open().pipe(response);
 * ```
 */
export function statementSource(
  data: StatementData,
  chunks: () => Iterable<Buffer>,
  digest: { readonly byteLength: number; readonly sha256: string },
): StatementSource {
  return Object.freeze({
    guid: data.guid,
    accountGuid: data.account.guid,
    accountName: data.account.name,
    periodStart: data.period.start,
    periodEnd: data.period.end,
    createdAt: data.createdAt,
    byteLength: digest.byteLength,
    contentHash: digest.sha256,
    open: (): NodeJS.ReadableStream => Readable.from(chunks(), { objectMode: false, highWaterMark: 64 * 1024 }),
  });
}

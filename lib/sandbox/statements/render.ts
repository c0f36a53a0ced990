/**
 * Renders one statement to PDF bytes with our own PDF writer (`../pdf`), every normally varying field pinned:
 * the creation and modification dates come from the statement (the day after its period), and the trailer
 * `/ID` from the statement guid, so the same data always gives the same bytes. Only the standard Helvetica
 * fonts are used: nothing is read from disk or the network.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { buildPdf } from '../pdf/index.js';
import type { StatementData } from './data.js';
import { layoutStatement } from './layout.js';

/**
 * The 16-byte PDF file identifier (trailer `/ID`) used for a statement guid.
 *
 * @example
 * ```ts
 * import { pdfFileId } from './render.js';
 *
 * pdfFileId('STA-0123…').length; // 16
 * ```
 */
export function pdfFileId(guid: string): Buffer {
  return createHash('sha256').update(`mx-statements-rx/pdf-id\u0000${guid}`).digest().subarray(0, 16);
}

/**
 * The PDF `Producer` written into every statement.
 *
 * @example
 * ```ts
 * import { STATEMENT_PDF_PRODUCER } from './render.js';
 *
 * STATEMENT_PDF_PRODUCER; // 'mx-statements-rx PDF writer'
 * ```
 */
export const STATEMENT_PDF_PRODUCER = 'mx-statements-rx PDF writer';

/**
 * Renders statement `s` as a complete PDF in memory; deterministic for the same data and institution.
 * Rejects (a `RangeError`) only on data no statement could have, such as an invalid date.
 *
 * @example
 * ```ts
 * import { statementData } from './data.js';
 * import { renderStatementPdf } from './render.js';
 *
 * const [data] = statementData({ seed: 1, memberGuid: 'MBR-1', institutionName: 'MX Bank', count: 1 });
 * const pdf = await renderStatementPdf(data!, 'MX Bank'); // Buffer starting with '%PDF-'
 * ```
 */
export function renderStatementPdf(s: StatementData, institutionName: string): Promise<Buffer> {
  try {
    const created = new Date(s.createdAt);
    return Promise.resolve(
      buildPdf({
        pages: layoutStatement(s, institutionName),
        fileId: pdfFileId(s.guid),
        info: {
          title: `${s.account.name} statement ${s.period.start} to ${s.period.end}`,
          author: institutionName,
          subject: `Statement ${s.guid}`,
          creator: 'mx-statements-rx sandbox',
          producer: STATEMENT_PDF_PRODUCER,
          creationDate: created,
          modDate: created,
        },
      }),
    );
  } catch (e) {
    return Promise.reject(e instanceof Error ? e : new Error(String(e)));
  }
}

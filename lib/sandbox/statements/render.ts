/**
 * Renders one statement to PDF bytes with pdfkit, with every normally varying field pinned.
 *
 * pdfkit stamps `CreationDate` with the clock and derives the trailer `/ID` from it; here the dates come from
 * the statement period and the `/ID` from the statement guid, so the same data always gives the same bytes.
 * Only the built-in standard fonts (Helvetica) are used: nothing is read from disk or the network.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import PDFDocument from 'pdfkit';
import type { StatementData } from './data.js';
import { drawStatement } from './layout.js';

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

const pinFileId = (doc: PDFKit.PDFDocument, id: Buffer): void => {
  const internals = doc as unknown as { _id?: unknown };
  if (!(internals._id instanceof Uint8Array)) {
    throw new Error('pdfkit no longer exposes the document _id: cannot pin the PDF /ID');
  }
  internals._id = id;
};

/**
 * Renders statement `s` as a complete PDF in memory; deterministic for the same data and institution.
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
  return new Promise<Buffer>((resolve, reject) => {
    const created = new Date(s.createdAt);
    const doc = new PDFDocument({
      size: 'LETTER',
      margin: 50,
      bufferPages: true,
      compress: true,
      info: {
        Title: `${s.account.name} statement ${s.period.start} to ${s.period.end}`,
        Author: institutionName,
        Subject: `Statement ${s.guid}`,
        Creator: 'mx-statements-rx sandbox',
        Producer: 'PDFKit',
        CreationDate: created,
        ModDate: created,
      },
    });
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    try {
      pinFileId(doc, pdfFileId(s.guid));
      drawStatement(doc, s, institutionName);
      doc.end();
    } catch (e) {
      reject(e instanceof Error ? e : new Error(String(e)));
    }
  });
}

/**
 * The document information dictionary (PDF 32000-1 §14.3.3): title, author, dates and the like.
 *
 * @module
 */
import { PdfString, pdfTextString, type PdfDict } from './objects.js';

/**
 * Metadata for a document's `/Info` dictionary. Dates are given, never read from the clock.
 *
 * @example
 * ```ts
 * import type { PdfInfo } from './info.js';
 *
 * const info: PdfInfo = { title: 'Statement', author: 'MX Bank', creationDate: new Date('2026-11-01T06:00:00Z') };
 * ```
 */
export interface PdfInfo {
  readonly title?: string;
  readonly author?: string;
  readonly subject?: string;
  readonly keywords?: string;
  readonly creator?: string;
  readonly producer?: string;
  readonly creationDate?: Date;
  readonly modDate?: Date;
}

const two = (n: number): string => String(n).padStart(2, '0');

/**
 * A PDF date string in UTC (§7.9.4): `D:YYYYMMDDHHmmSSZ`.
 *
 * @example
 * ```ts
 * import { pdfDate } from './info.js';
 *
 * pdfDate(new Date('2026-11-01T06:00:00+00:00')); // 'D:20261101060000Z'
 * ```
 */
export function pdfDate(date: Date): string {
  const t = date.getTime();
  if (!Number.isFinite(t)) throw new RangeError('pdfDate: invalid date');
  const year = date.getUTCFullYear();
  if (year < 0 || year > 9999) throw new RangeError(`pdfDate: year ${year} cannot be written in a PDF date`);
  return `D:${String(year).padStart(4, '0')}${two(date.getUTCMonth() + 1)}${two(date.getUTCDate())}` +
    `${two(date.getUTCHours())}${two(date.getUTCMinutes())}${two(date.getUTCSeconds())}Z`;
}

/**
 * The `/Info` dictionary for `info`: text entries as PDF text strings, dates as PDF dates, absent ones left out.
 *
 * @example
 * ```ts
 * import { infoDictionary } from './info.js';
 * import { serializePdfValue } from './objects.js';
 *
 * serializePdfValue(infoDictionary({ title: 'Statement' })); // '<< /Title (Statement) >>'
 * ```
 */
export function infoDictionary(info: PdfInfo): PdfDict {
  const text = (s: string | undefined): PdfString | undefined => (s === undefined ? undefined : pdfTextString(s));
  const date = (d: Date | undefined): PdfString | undefined =>
    d === undefined ? undefined : new PdfString(Buffer.from(pdfDate(d), 'latin1'));
  return {
    Title: text(info.title),
    Author: text(info.author),
    Subject: text(info.subject),
    Keywords: text(info.keywords),
    Creator: text(info.creator),
    Producer: text(info.producer),
    CreationDate: date(info.creationDate),
    ModDate: date(info.modDate),
  };
}

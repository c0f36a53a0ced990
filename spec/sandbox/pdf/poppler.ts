/**
 * Reading what poppler (pdftotext -bbox) sees in a PDF: each word with its box. Poppler measures text with its
 * own built-in metrics of the standard fonts and maps WinAnsi codes to Unicode with its own tables, so it is an
 * independent judge of our widths and encoding.
 *
 * @module
 */
import { pdfToText } from './tools.js';

/** One word as poppler found it (points, origin top left). */
export interface PopplerWord {
  readonly text: string;
  readonly xMin: number;
  readonly xMax: number;
  readonly yMin: number;
  readonly yMax: number;
}

const ENTITIES: Record<string, string> = { '&quot;': '"', '&amp;': '&', '&lt;': '<', '&gt;': '>', '&apos;': "'" };

/** Every word of every page, in poppler's reading order (requires pdftotext: call `requireTool` first). */
export function popplerWords(pdf: Uint8Array): PopplerWord[] {
  const { status, stdout, stderr } = pdfToText(pdf, ['-bbox']);
  if (status !== 0) throw new Error(`pdftotext -bbox failed: ${stderr}`);
  const words: PopplerWord[] = [];
  const re = /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g;
  for (const m of stdout.matchAll(re)) {
    words.push({
      text: m[5]!.replace(/&(quot|amp|lt|gt|apos);/g, (e) => ENTITIES[e]!),
      xMin: Number(m[1]),
      yMin: Number(m[2]),
      xMax: Number(m[3]),
      yMax: Number(m[4]),
    });
  }
  return words;
}

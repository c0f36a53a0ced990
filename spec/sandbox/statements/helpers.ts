/**
 * Spec helpers for the sandbox statements: reading streams, and the structural PDF check (from ../pdf).
 *
 * @module
 */

/**
 * Reads a stream to the end, returning its chunks.
 *
 * @example
 * ```ts
 * const chunks = await readChunks(source.open());
 * ```
 */
export async function readChunks(stream: NodeJS.ReadableStream): Promise<Buffer[]> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return chunks;
}

export { checkPdfStructure, type PdfStructure } from '../pdf/pdf-reader.js';

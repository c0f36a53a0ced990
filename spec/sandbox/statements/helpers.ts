/**
 * Spec helpers for the sandbox statements: reading streams, optional PDF tools, a structural PDF check.
 *
 * @module
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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

/**
 * Whether an executable answers `--version` (qpdf) or `-v` (pdftotext).
 *
 * @example
 * ```ts
 * if (hasTool('qpdf', '--version')) { ... }
 * ```
 */
export function hasTool(name: string, versionFlag: string): boolean {
  return spawnSync(name, [versionFlag], { stdio: 'ignore' }).status === 0;
}

/**
 * Runs a PDF tool on bytes written to a temporary file; returns exit status and output.
 *
 * @example
 * ```ts
 * const { status } = runOnPdf(pdf, 'qpdf', (f) => ['--check', f]);
 * ```
 */
export function runOnPdf(
  pdf: Uint8Array,
  tool: string,
  args: (file: string) => string[],
): { status: number | null; stdout: string; stderr: string } {
  const dir = mkdtempSync(join(tmpdir(), 'mx-statements-'));
  try {
    const file = join(dir, 'statement.pdf');
    writeFileSync(file, pdf);
    const r = spawnSync(tool, args(file), { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What {@link checkPdfStructure} found. */
export interface PdfStructure {
  /** Number of xref sections, following `/Prev` from the last one. */
  readonly sections: number;
  /** Every in-use object number listed in any section. */
  readonly objects: ReadonlySet<number>;
  /** `/Size` of the last trailer. */
  readonly size: number;
}

/**
 * Checks a classic-xref PDF without external tools: header, final `%%EOF`, every `startxref`/`/Prev` pointing
 * at an `xref` keyword, every in-use entry pointing at its `N G obj` header. Throws on the first problem.
 *
 * @example
 * ```ts
 * checkPdfStructure(pdf).sections; // 2 for a PDF with one incremental update
 * ```
 */
export function checkPdfStructure(pdf: Buffer): PdfStructure {
  const text = (from: number, to: number): string => pdf.subarray(from, to).toString('latin1');
  if (text(0, 5) !== '%PDF-') throw new Error('no %PDF- header');
  const tail = text(Math.max(0, pdf.length - 1024), pdf.length);
  const last = /startxref\s+(\d+)\s+%%EOF\r?\n?$/.exec(tail);
  if (!last?.[1]) throw new Error('no startxref … %%EOF at the end');
  let at: number | undefined = Number(last[1]);
  let sections = 0;
  let size = -1;
  const objects = new Set<number>();
  while (at !== undefined) {
    const section = text(at, Math.min(pdf.length, at + 64 * 1024));
    if (!section.startsWith('xref')) throw new Error(`xref offset ${at} does not point at 'xref'`);
    const trailerAt = section.indexOf('trailer');
    const lines = section.slice(4, trailerAt).split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
    let objectNumber = 0;
    for (const line of lines) {
      const sub = /^(\d+) (\d+)$/.exec(line);
      if (sub) {
        objectNumber = Number(sub[1]);
        continue;
      }
      const entry = /^(\d{10}) (\d{5}) ([nf])$/.exec(line);
      if (!entry) throw new Error(`bad xref line: ${line}`);
      if (entry[3] === 'n') {
        const header = text(Number(entry[1]), Number(entry[1]) + 32);
        if (!new RegExp(`^${objectNumber} ${Number(entry[2])} obj\\b`).test(header)) {
          throw new Error(`object ${objectNumber} not at offset ${entry[1]}: ${JSON.stringify(header)}`);
        }
        objects.add(objectNumber);
      }
      objectNumber += 1;
    }
    const trailer = section.slice(trailerAt, section.indexOf('startxref', trailerAt));
    if (sections === 0) size = Number(/\/Size (\d+)/.exec(trailer)?.[1] ?? -1);
    const prev = /\/Prev (\d+)/.exec(trailer)?.[1];
    at = prev === undefined ? undefined : Number(prev);
    sections += 1;
  }
  return { sections, objects, size };
}

/**
 * System tools some specs use as an extra check (qpdf, pdftotext, chromium), through the specs' one installer
 * (`spec/helpers/debian-tool.ts`), and running them on bytes.
 *
 * @module
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDebianTool } from '../../helpers/debian-tool.js';

export { INSTALL_TIMEOUT_MS } from '../../helpers/debian-tool.js';

/** A command and the Debian package that provides it. */
export interface DebianTool {
  readonly command: string;
  readonly debPackage: string;
}

export const QPDF: DebianTool = { command: 'qpdf', debPackage: 'qpdf' };
export const PDFTOTEXT: DebianTool = { command: 'pdftotext', debPackage: 'poppler-utils' };

/**
 * Makes sure `tool` is there ({@link ensureDebianTool}: installed from Debian as root, else a clear error). Call it
 * from a `before` hook or test with a timeout of at least `2 * INSTALL_TIMEOUT_MS`.
 */
export function requireTool(tool: DebianTool): void {
  ensureDebianTool(tool.command, tool.debPackage);
}

/** What a tool printed and how it exited. */
export interface ToolResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `tool` on bytes written to a temporary file (removed afterwards), with a bounded run time.
 *
 * @example
 * ```ts
 * const { status } = runOnFile(pdf, 'statement.pdf', 'qpdf', (f) => ['--check', f]);
 * ```
 */
export function runOnFile(bytes: Uint8Array, fileName: string, command: string, args: (file: string) => string[]): ToolResult {
  const dir = mkdtempSync(join(tmpdir(), 'mx-statements-tool-'));
  try {
    const file = join(dir, fileName);
    writeFileSync(file, bytes);
    const r = spawnSync(command, args(file), { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 60_000 });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `qpdf --check` on a PDF: its result, for asserting a clean check. */
export function qpdfCheck(pdf: Uint8Array): ToolResult {
  return runOnFile(pdf, 'check.pdf', QPDF.command, (f) => ['--check', f]);
}

/** `pdftotext` on a PDF (`-layout` by default), its text on stdout. */
export function pdfToText(pdf: Uint8Array, args: readonly string[] = ['-layout']): ToolResult {
  return runOnFile(pdf, 'text.pdf', PDFTOTEXT.command, (f) => [...args, f, '-']);
}

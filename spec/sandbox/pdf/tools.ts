/**
 * System tools some specs use as an extra check (qpdf, pdftotext, chromium): found on PATH, or installed from
 * Debian the way a newcomer's machine gets them (CI runs as root). A spec that needs one never skips: without
 * the tool and without root it fails, naming the package to install.
 *
 * @module
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A command and the Debian package that provides it. */
export interface DebianTool {
  readonly command: string;
  /** Arguments that make the command print its version and exit 0. */
  readonly versionArgs: readonly string[];
  readonly debPackage: string;
}

export const QPDF: DebianTool = { command: 'qpdf', versionArgs: ['--version'], debPackage: 'qpdf' };
export const PDFTOTEXT: DebianTool = { command: 'pdftotext', versionArgs: ['-v'], debPackage: 'poppler-utils' };

/** How long an apt-get step may take before the spec gives up (bounded, like every wait in a spec). */
export const INSTALL_TIMEOUT_MS = 300_000;

const present = (tool: DebianTool): boolean =>
  spawnSync(tool.command, [...tool.versionArgs], { stdio: 'ignore', timeout: 30_000 }).status === 0;

const apt = (args: string[]): boolean =>
  spawnSync('apt-get', ['-o', 'DPkg::Lock::Timeout=120', ...args], {
    stdio: 'ignore',
    timeout: INSTALL_TIMEOUT_MS,
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  }).status === 0;

const checked = new Map<string, true>();

/**
 * Makes sure `tool` runs: returns at once when it is on PATH; installs its Debian package when running as root
 * (running `apt-get update` first if the install fails); throws a clear error otherwise. Call it from a
 * `before` hook with a timeout of at least `2 * INSTALL_TIMEOUT_MS`.
 */
export function requireTool(tool: DebianTool): void {
  if (checked.has(tool.command) || present(tool)) {
    checked.set(tool.command, true);
    return;
  }
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!root) {
    throw new Error(`${tool.command} is missing: install the Debian package ${tool.debPackage} (sudo apt-get install -y ${tool.debPackage})`);
  }
  const install = ['install', '-y', '--no-install-recommends', tool.debPackage];
  if (!apt(install) && !(apt(['update']) && apt(install))) {
    throw new Error(`${tool.command} is missing and apt-get could not install ${tool.debPackage}`);
  }
  if (!present(tool)) throw new Error(`${tool.debPackage} was installed but ${tool.command} does not run`);
  checked.set(tool.command, true);
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

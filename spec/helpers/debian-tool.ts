/**
 * System tools the specs and the bench use (chromium, redis-server, tmux, qpdf, pdftotext): found on the PATH, or
 * installed from Debian the way a newcomer's machine gets them (`npm test` on a fresh machine; CI runs as root).
 * Without the tool and without root, the error names the package to install: a spec that needs a tool never
 * skips.
 *
 * @module
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';

/** How long one apt-get step may take (bounded, like every wait of a spec). */
export const INSTALL_TIMEOUT_MS = 300_000;

/** The directories searched besides the PATH (root's sbin holds redis-server on some images). */
const EXTRA_DIRS = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

/** The absolute path of `command` on the PATH (or the usual system folders), if it is there. */
export const findCommand = (command: string): string | undefined => {
  const dirs = (process.env.PATH ?? '').split(path.delimiter).filter((d) => d !== '').concat(EXTRA_DIRS);
  for (const dir of dirs) {
    const p = path.join(dir, command);
    if (existsSync(p)) return p;
  }
  return undefined;
};

const isRoot = (): boolean => typeof process.getuid === 'function' && process.getuid() === 0;

/** One `apt-get` step, waiting up to 2 minutes for the dpkg lock (parallel installs collide on it). */
const aptGet = (args: ReadonlyArray<string>): { ok: boolean; stderr: string } => {
  const r = spawnSync('apt-get', ['-o', 'DPkg::Lock::Timeout=120', ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
    timeout: INSTALL_TIMEOUT_MS,
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  return { ok: r.status === 0, stderr: r.error?.message ?? r.stderr?.toString().slice(-500) ?? '' };
};

/** `apt-get update` runs at most once per process: a fresh machine has no package lists. */
let updated: { ok: boolean; stderr: string } | undefined;

const found = new Map<string, string>();

/**
 * The absolute path of `command`; when it is missing and this process is root, Debian's `debPackage` is installed
 * first (`apt-get update` once per process, then `apt-get install -y --no-install-recommends`). Throws an error
 * naming the package otherwise. Synchronous and bounded (each apt-get step at most {@link INSTALL_TIMEOUT_MS}):
 * call it from a `before` hook whose timeout allows two steps.
 *
 * @example
 * ```ts
 * const qpdf = ensureDebianTool('qpdf', 'qpdf');
 * const pdftotext = ensureDebianTool('pdftotext', 'poppler-utils');
 * ```
 */
export const ensureDebianTool = (command: string, debPackage: string): string => {
  const known = found.get(command) ?? findCommand(command);
  if (known !== undefined) {
    found.set(command, known);
    return known;
  }
  if (!isRoot()) {
    throw new Error(`${command} is missing: install the Debian package ${debPackage} (sudo apt-get install -y ${debPackage}), then rerun`);
  }
  updated ??= aptGet(['update']);
  const install = aptGet(['install', '-y', '--no-install-recommends', debPackage]);
  const installed = findCommand(command);
  if (!install.ok || installed === undefined) {
    const why = install.ok ? `it installed, but ${command} is still not on the PATH` : install.stderr.trim() || 'apt-get failed';
    throw new Error(`${command} is missing and apt-get could not install ${debPackage}${updated.ok ? '' : ' (apt-get update failed too)'}: ${why}`);
  }
  found.set(command, installed);
  return installed;
};

/**
 * The system's URL opener (`xdg-open`, `open`, `start`): found on this machine or not, and run without ever
 * holding up the run — it is started detached, and whatever it does (a missing display, no browser, a crash) ends
 * up as one line for the person, who can always copy the URL instead.
 *
 * @module
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import * as path from 'node:path';

/** How to open a URL on this machine. */
export interface Opener {
  /** The program, as shown to the person (`xdg-open`, `open`, `start`). */
  readonly name: string;
  readonly command: string;
  /** The arguments that open `url`. */
  readonly args: (url: string) => string[];
  /** Windows' `cmd` needs its arguments passed as written. */
  readonly verbatim?: boolean;
}

/** What the opener needs to know about the machine (injectable for specs). */
export interface OpenerEnvironment {
  readonly platform: NodeJS.Platform;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Whether an executable of that name is on PATH. Default: looked up in `env.PATH`. */
  readonly onPath?: (name: string) => boolean;
}

/**
 * Whether an executable named `name` is in one of `PATH`'s folders.
 *
 * @example
 * ```ts
 * import { onPath } from './opener.js';
 *
 * onPath('sh', process.env.PATH); // true on any POSIX machine
 * ```
 */
export const onPath = (name: string, pathVar: string | undefined): boolean =>
  (pathVar ?? '').split(path.delimiter).some((dir) => dir !== '' && isExecutable(path.join(dir, name)));

/** Whether `file` is an executable file. */
const isExecutable = (file: string): boolean => {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
};

/**
 * The opener of this machine, or why there is none: the program `$BROWSER` names, when it exists; else macOS
 * `open`; Windows `start` (through `cmd`); elsewhere `xdg-open` when it is installed **and** there is a display
 * (`DISPLAY` or `WAYLAND_DISPLAY`) — over SSH or on a server it would start a text browser in this very terminal,
 * so none is offered there.
 *
 * @example
 * ```ts
 * import { findOpener } from './opener.js';
 *
 * const found = findOpener({ platform: process.platform, env: process.env });
 * if (found.opener) console.log(`press Enter to open it with ${found.opener.name}`);
 * else console.log(`copy the link (${found.reason})`);
 * ```
 */
export const findOpener = (machine: OpenerEnvironment): { readonly opener?: Opener; readonly reason?: string } => {
  const has = machine.onPath ?? ((name: string) => onPath(name, machine.env['PATH']));
  // The person's own choice first: $BROWSER (the first of its colon-separated entries, a program path or name).
  const browser = (machine.env['BROWSER'] ?? '').split(':')[0]?.trim() ?? '';
  if (browser !== '' && /^[\w./+-]+$/.test(browser) && (path.isAbsolute(browser) ? isExecutable(browser) : has(browser))) {
    return { opener: { name: path.basename(browser), command: browser, args: (url) => [url] } };
  }
  switch (machine.platform) {
    case 'darwin':
      return has('open') ? { opener: { name: 'open', command: 'open', args: (url) => [url] } } : { reason: 'open is not on PATH' };
    case 'win32':
      // `start` is a cmd built-in: its first quoted argument is a window title, so an empty one goes first.
      return { opener: { name: 'start', command: 'cmd', args: (url) => ['/d', '/s', '/c', `start "" "${url}"`], verbatim: true } };
    default: {
      if (!machine.env['DISPLAY'] && !machine.env['WAYLAND_DISPLAY']) return { reason: 'DISPLAY is not set' };
      return has('xdg-open') ? { opener: { name: 'xdg-open', command: 'xdg-open', args: (url) => [url] } } : { reason: 'xdg-open is not installed' };
    }
  }
};

/** How an attempt to open ended, as far as it can be told. */
export type OpenResult = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/**
 * Opens `url` with `opener`, detached from this process: the run never waits for it. Resolves with the outcome —
 * when the opener exits (0 is success), fails to start, or after `settleMs` while it still runs (a browser it
 * started in the foreground: taken as success). Refuses a URL a shell could misread (quotes, spaces, controls).
 *
 * @example
 * ```ts
 * import { findOpener, openUrl } from './opener.js';
 *
 * const { opener } = findOpener({ platform: process.platform, env: process.env });
 * if (opener) void openUrl(opener, 'https://int-widgets.moneydesktop.com/oauth/…').then((r) => r.ok || console.error(r.reason));
 * ```
 */
export const openUrl = (opener: Opener, url: string, settleMs = 5_000): Promise<OpenResult> =>
  new Promise<OpenResult>((resolve) => {
    if (!/^[a-z][a-z0-9+.-]*:\/\/[^\s"'`<>\\^|]+$/i.test(url)) {
      resolve({ ok: false, reason: 'the link has characters a shell could misread; copy it instead' });
      return;
    }
    let settled = false;
    const done = (r: OpenResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    const timer = setTimeout(() => done({ ok: true }), settleMs);
    timer.unref();
    try {
      const child = spawn(opener.command, opener.args(url), {
        detached: true,
        stdio: 'ignore',
        windowsHide: true,
        ...(opener.verbatim ? { windowsVerbatimArguments: true } : {}),
      });
      child.once('error', (e: NodeJS.ErrnoException) => done({ ok: false, reason: `${opener.name} could not start (${e.code ?? e.message})` }));
      child.once('exit', (code, signal) =>
        done(code === 0 ? { ok: true } : { ok: false, reason: `${opener.name} ended with ${signal ?? `exit code ${String(code)}`}` }));
      child.unref();
    } catch (e) {
      done({ ok: false, reason: `${opener.name} could not start (${(e as Error).message})` });
    }
  });

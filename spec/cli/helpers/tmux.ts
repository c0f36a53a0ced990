/**
 * Real pseudo-terminals for the CLI specs, through tmux: a private tmux server per spec file (its own socket,
 * no user configuration, `remain-on-exit` so a finished pane keeps its screen and exit status), a pane per
 * run, bounded waits on what the screen shows, and `kill()` that ends the server and every pane with it.
 *
 * tmux is installed on our machines; on a fresh Debian one the spec installs it the way a newcomer would
 * (`apt-get install tmux`, as root, as CI runs), or fails with a clear message.
 *
 * @module
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { ensureDebianTool } from '../../helpers/debian-tool.js';

const run = promisify(execFile);

/** Makes sure tmux is there ({@link ensureDebianTool}: Debian's package as root, else an error naming it). */
export const ensureTmux = (): void => {
  ensureDebianTool('tmux', 'tmux');
};

/** How a pane's program ended, as a shell reports it (`$?`: 128 + the signal number when a signal ended it). */
export interface PaneExit {
  readonly status: number;
}

/** One program running in its own pane of `columns` × `rows`. */
export interface Pane {
  readonly name: string;
  /** The screen and its scrollback as logical lines (soft-wrapped rows joined), trailing blank lines dropped. */
  lines(): Promise<string[]>;
  /** The rows as the terminal shows them (no joining). */
  rows(): Promise<string[]>;
  /** Polls the screen until `test` passes on its lines; rejects after `timeoutMs`, or when the program ended first and the screen still fails. */
  waitFor(test: RegExp | ((lines: string[]) => boolean), timeoutMs?: number): Promise<string[]>;
  /** Types keys (tmux key names: `Enter`, `C-c`) or literal text. */
  send(...keys: string[]): Promise<void>;
  /** Waits for the program to end; rejects after `timeoutMs`. */
  exit(timeoutMs?: number): Promise<PaneExit>;
}

/** A private tmux server. */
export interface TmuxServer {
  /** Starts `argv` (no shell) in a new pane. */
  open(argv: ReadonlyArray<string>, options: { columns: number; rows?: number; cwd: string; env?: Record<string, string> }): Promise<Pane>;
  /** Ends the server and every pane. Idempotent. */
  kill(): Promise<void>;
}

const tidy = (text: string) => {
  const lines = text.split('\n').map((l) => l.replace(/\s+$/, ''));
  while (lines.length > 0 && lines.at(-1) === '') lines.pop();
  return lines;
};

/**
 * Starts a private tmux server (socket `mxs-<pid>-<random>`). The environment of its panes is this process's,
 * without the MX variables, plus what `open` adds. Panes stay on screen after their program ended.
 */
export const startTmuxServer = async (): Promise<TmuxServer> => {
  ensureTmux();
  const socket = `mxs-${process.pid}-${randomBytes(4).toString('hex')}`;
  const env: Record<string, string | undefined> = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('MX_') || k === 'TMUX' || k === 'NO_COLOR') delete env[k];
  const tmux = async (...args: string[]) => (await run('tmux', ['-L', socket, '-f', '/dev/null', ...args], { env, timeout: 10_000 })).stdout;
  await tmux('new-session', '-d', '-s', 'init', '-x', '80', '-y', '24');
  await tmux('set-option', '-g', 'remain-on-exit', 'on');
  await tmux('set-option', '-g', 'remain-on-exit-format', '');
  await tmux('set-option', '-g', 'history-limit', '5000');
  const statusDir = mkdtempSync(path.join(tmpdir(), 'mx-tmux-status-'));
  let count = 0;
  let killed = false;
  return {
    open: async (argv, options) => {
      const name = `pane-${++count}`;
      const extra = Object.entries(options.env ?? {}).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
      await tmux('new-session', '-d', '-s', name, '-x', String(options.columns), '-y', String(options.rows ?? 40), '-c', options.cwd, ...extra, '--',
        'sh', '-c', 'trap true INT; "$@"; echo "$?" > "$0.tmp" && mv "$0.tmp" "$0"', path.join(statusDir, `${name}.status`), ...argv);
      // tmux does not always reap a pane's program (it stays a zombie with no status), so a small shell runs
      // it and writes its exit status to a file. The shell traps SIGINT with a handler (reset to the default
      // in the program it starts), so Ctrl-C reaches the program and the shell still records how it ended.
      const statusFile = path.join(statusDir, `${name}.status`);
      const status = async (): Promise<PaneExit | undefined> => {
        try {
          const text = readFileSync(statusFile, 'utf8').trim();
          return text === '' ? undefined : { status: Number(text) };
        } catch {
          return undefined;
        }
      };
      const lines = async () => tidy(await tmux('capture-pane', '-p', '-J', '-S', '-', '-t', name));
      const pane: Pane = {
        name,
        lines,
        rows: async () => tidy(await tmux('capture-pane', '-p', '-S', '-', '-t', name)),
        waitFor: async (test, timeoutMs = 15_000) => {
          const ok = (l: string[]) => (test instanceof RegExp ? test.test(l.join('\n')) : test(l));
          const deadline = Date.now() + timeoutMs;
          for (;;) {
            const ended = await status();
            const l = await lines();
            if (ok(l)) return l;
            if (ended) throw new Error(`the program ended (${JSON.stringify(ended)}) without showing ${String(test)}:\n${l.join('\n')}`);
            if (Date.now() > deadline) throw new Error(`the screen did not show ${String(test)} within ${timeoutMs} ms:\n${l.join('\n')}`);
            await new Promise((r) => setTimeout(r, 50));
          }
        },
        send: async (...keys) => {
          await tmux('send-keys', '-t', name, ...keys);
        },
        exit: async (timeoutMs = 20_000) => {
          const deadline = Date.now() + timeoutMs;
          for (;;) {
            const ended = await status();
            if (ended) return ended;
            if (Date.now() > deadline) throw new Error(`the program in ${name} did not end within ${timeoutMs} ms:\n${(await lines()).join('\n')}`);
            await new Promise((r) => setTimeout(r, 50));
          }
        },
      };
      return pane;
    },
    kill: async () => {
      if (killed) return;
      killed = true;
      await tmux('kill-server').catch(() => undefined);
      rmSync(statusDir, { recursive: true, force: true });
    },
  };
};

#!/usr/bin/env node
/**
 * The `mx-statements` executable: wires the process (streams, environment, Ctrl-C, the secret guard, the exit
 * guard) to {@link runCli} and exits with its code.
 *
 * @module
 */
import { spawn } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SANDBOX_DEFAULTS } from '../sandbox/options.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import type { CliIO, ExitGuard } from './io.js';
import { argvSecrets, runCli } from './program.js';
import { MX_BANK_TEST_VALUES } from './public-values.js';
import { createRedactor, guardStreams, type Redactor } from './redact.js';

const SECRET_ENV = ['MX_API_KEY', 'MX_MEMBER_PASSWORD', 'MX_WEBHOOK_PASSWORD'];

/** How long a stopping run (Ctrl-C, `--timeout`) may take to clean up before the process is ended anyway. */
export const STOP_GRACE_MS = 1_200;
/** How long after the grace the backstop waits before it signals a process whose exit itself is stuck. */
export const BACKSTOP_DELAY_MS = 600;

// The backstop: waits on its stdin (a pipe only this process holds the other end of). The pipe closes when the
// process ends, however it ends; if it is still open after the delay, the process is stuck and gets the signal.
const BACKSTOP_SCRIPT = `
const [pid, signal, delay] = process.argv.slice(1);
const timer = setTimeout(() => { try { process.kill(Number(pid), signal); } catch {} }, Number(delay));
process.stdin.on('end', () => clearTimeout(timer));
process.stdin.on('error', () => clearTimeout(timer));
process.stdin.resume();
`;

/**
 * Starts the exit backstop: a small child process that sends `signal` to this process after `delayMs` unless
 * this process has ended by then. For the one case `process.exit` cannot handle: a system call stuck in a libuv
 * thread (Node's recursive mkdir spinning under /proc, an open() on a FIFO with no writer), which Node waits
 * for when it exits. SIGINT (with no listener left) ends the process as Ctrl-C does (a shell reports 130);
 * SIGTERM as a termination (143). Returns the backstop's pid (`undefined` when it could not start: then there is none).
 *
 * @example
 * ```ts
 * import { startExitBackstop } from './main.js';
 *
 * startExitBackstop('SIGTERM', 2_000); // this process ends within about 2 s, whatever is pending
 * ```
 */
export const startExitBackstop = (signal: 'SIGINT' | 'SIGTERM', delayMs: number): number | undefined => {
  try {
    const child = spawn(process.execPath, ['-e', BACKSTOP_SCRIPT, String(process.pid), signal, String(delayMs)], {
      stdio: ['pipe', 'ignore', 'ignore'],
      detached: true,
      windowsHide: true,
    });
    child.on('error', () => undefined);
    child.unref();
    (child.stdin as unknown as { unref?: () => void }).unref?.();
    return child.pid;
  } catch {
    return undefined;
  }
};

/**
 * Registers every secret visible before parsing — values of the secret flags (`--api-key`, `--password`,
 * `--mfa-answer`, both `--flag value` and `--flag=value`) and of `MX_API_KEY` / `MX_MEMBER_PASSWORD` — so that
 * not even a usage error can echo one.
 *
 * @example
 * ```ts
 * import { registerArgvSecrets } from './main.js';
 * import { createRedactor } from './redact.js';
 *
 * const redactor = createRedactor();
 * registerArgvSecrets(['fetch', '--api-key', 'k-123'], {}, redactor);
 * redactor.scrub('key k-123'); // 'key [redacted]'
 * ```
 */
export const registerArgvSecrets = (args: ReadonlyArray<string>, env: Readonly<Record<string, string | undefined>>, redactor: Redactor): void => {
  redactor.add(...argvSecrets(args));
  // A Redis URL may carry a password (--queue redis://:PASSWORD@host): that part is a secret.
  args.forEach((word, i) => {
    const value = word.startsWith('--queue=') ? word.slice('--queue='.length) : word === '--queue' ? args[i + 1] : undefined;
    if (value === undefined) return;
    try {
      const password = new URL(value).password;
      if (password !== '') redactor.add(decodeURIComponent(password), password);
    } catch {
      // not a URL: the usage error will say so
    }
  });
  for (const name of SECRET_ENV) redactor.add(env[name]);
  redactor.addBasicAuth(env['MX_CLIENT_ID'], env['MX_API_KEY']);
};

/**
 * The process's exit guard: once a run is stopping, a timer (unref'd, so it never keeps the process alive)
 * ends the process with the run's code after `graceMs`, running the registered clean-ups first — whatever is
 * still pending (a promise that never settles, a socket that never closes). `backstop` is called at once with
 * the code, for what even `exit` cannot end (see {@link startExitBackstop}).
 *
 * @example
 * ```ts
 * import { createExitGuard } from './main.js';
 *
 * const guard = createExitGuard((code) => process.exit(code), 1_200);
 * guard.stopping(130); // the process ends within 1.2 s
 * ```
 */
export const createExitGuard = (exit: (code: ExitCode) => void, graceMs = STOP_GRACE_MS, backstop?: (code: ExitCode) => void): ExitGuard => {
  const cleanups = new Set<() => void>();
  let armed = false;
  return {
    stopping: (code) => {
      if (armed) return;
      armed = true;
      backstop?.(code);
      setTimeout(() => {
        for (const c of cleanups) {
          try {
            c();
          } catch {
            // best effort: the exit must happen
          }
        }
        exit(code);
      }, graceMs).unref();
    },
    onForcedExit: (cleanup) => {
      cleanups.add(cleanup);
      return () => void cleanups.delete(cleanup);
    },
  };
};

const flush = (stream: NodeJS.WriteStream): Promise<void> => new Promise((resolve) => stream.write('', () => resolve()));

const main = async (): Promise<void> => {
  const redactor = createRedactor();
  redactor.exempt([...MX_BANK_TEST_VALUES, SANDBOX_DEFAULTS.apiKey]);
  registerArgvSecrets(process.argv.slice(2), process.env, redactor);
  guardStreams([process.stdout, process.stderr], redactor);
  const exitGuard = createExitGuard(
    (code) => {
      // Whatever the live display left: show the cursor again.
      if (process.stderr.isTTY) process.stderr.write('\u001b[?25h');
      exitNow(code);
    },
    STOP_GRACE_MS,
    (code) => void startExitBackstop(code === EXIT.interrupted ? 'SIGINT' : 'SIGTERM', STOP_GRACE_MS + BACKSTOP_DELAY_MS),
  );
  const interrupt = new AbortController();
  let interrupts = 0;
  const onInterrupt = () => {
    interrupts += 1;
    if (interrupts > 1) {
      if (process.stderr.isTTY) process.stderr.write('\u001b[?25h');
      process.exit(EXIT.interrupted); // a second Ctrl-C: do not wait for clean-up
    }
    exitGuard.stopping(EXIT.interrupted);
    interrupt.abort();
  };
  process.on('SIGINT', onInterrupt);
  const io: CliIO = {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
    redactor,
    interrupt: interrupt.signal,
    raiseInterrupt: onInterrupt,
    exitGuard,
  };
  const code = await runCli(process.argv, io);
  await Promise.all([flush(process.stdout), flush(process.stderr)]);
  // Exit explicitly: a prompt may have left stdin referenced, and nothing else is pending by now.
  exitNow(code);
};

/** `process.exit`, with SIGINT back to its default first: if the exit is stuck, the backstop's SIGINT ends it. */
const exitNow = (code: ExitCode): never => {
  process.removeAllListeners('SIGINT');
  return process.exit(code);
};

const isMain = (): boolean => {
  const entry = process.argv[1];
  if (entry === undefined) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
};

if (isMain()) await main();

/**
 * Shared helpers of the CLI specs: a text stream that records, sample events, an in-process `CliIO`, and the
 * built CLI as a child process — every wait bounded, ending early when the child dies, and every child killed
 * by `killChildren()` (call it in an `afterEach`).
 *
 * @module
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import type { CliIO } from '../../lib/cli/io.js';
import { NO_EXIT_GUARD } from '../../lib/cli/io.js';
import { createRedactor } from '../../lib/cli/redact.js';
import { UsageError } from '../../lib/cli/usage-error.js';
import type { StatementEvent } from '../../lib/workflow/index.js';

/** Asserts that `fn` throws a {@link UsageError} naming `flag` (none: `undefined`), whose message matches `text`. */
export const expectUsageError = (fn: () => unknown, flag: string | undefined, text?: RegExp): UsageError => {
  let thrown: unknown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  expect(thrown, 'expected a UsageError').to.be.instanceOf(UsageError);
  const error = thrown as UsageError;
  expect(error.flag).to.equal(flag);
  if (text) expect(error.message).to.match(text);
  return error;
};

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The built CLI (`npm run build` first; `npm test` does it). */
export const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

/** A writable text stream that keeps what was written. */
export const recorder = (isTTY = false, columns = 100, rows = 40) => {
  const chunks: string[] = [];
  return {
    isTTY,
    columns,
    rows,
    write(chunk: string): boolean {
      chunks.push(chunk);
      return true;
    },
    text: () => chunks.join(''),
    chunks,
  };
};

/** An in-process `CliIO` over recorders (stdin: an empty stream that is not a TTY). */
export const memoryIo = (options: { cwd: string; tty?: boolean; columns?: number; env?: Record<string, string> }) => {
  const stdout = recorder(options.tty === true, options.columns ?? 100);
  const stderr = recorder(options.tty === true, options.columns ?? 100);
  const stdin = new PassThrough();
  const interrupt = new AbortController();
  const io = {
    stdout: stdout as unknown as CliIO['stdout'],
    stderr: stderr as unknown as CliIO['stderr'],
    stdin,
    env: options.env ?? {},
    cwd: options.cwd,
    redactor: createRedactor(),
    interrupt: interrupt.signal,
    raiseInterrupt: () => interrupt.abort(),
    exitGuard: NO_EXIT_GUARD,
  } satisfies CliIO;
  return { io, stdout, stderr, interrupt };
};

/** A short run's events, as the workflow emits them. */
export const SAMPLE_EVENTS: StatementEvent[] = [
  { type: 'user-ready', userGuid: 'USR-1', userId: 'demo', created: true },
  { type: 'institution-found', code: 'mxbank', name: 'MX Bank' },
  {
    type: 'credentials-required',
    institutionCode: 'mxbank',
    fields: [
      { guid: 'CRD-1', fieldName: 'LOGIN', label: 'Username', type: 'LOGIN', displayOrder: 1 },
      { guid: 'CRD-2', fieldName: 'PASSWORD', label: 'Password', type: 'PASSWORD', displayOrder: 2 },
    ],
  },
  { type: 'member-ready', userGuid: 'USR-1', memberGuid: 'MBR-1', institutionCode: 'mxbank', reused: false },
  { type: 'statements-job-started', userGuid: 'USR-1', memberGuid: 'MBR-1', joined: false, waitedForOtherJobs: 0 },
  { type: 'status', memberGuid: 'MBR-1', connectionStatus: 'CHALLENGED', isBeingAggregated: true, attempt: 1, nextDelayMs: null },
  { type: 'challenged', memberGuid: 'MBR-1', round: 1, challenges: [{ guid: 'CRD-9', type: 'TEXT', label: 'Pet name?' }] },
  { type: 'challenge-answered', memberGuid: 'MBR-1', round: 1, challengeGuids: ['CRD-9'] },
  { type: 'status', memberGuid: 'MBR-1', connectionStatus: 'CONNECTED', isBeingAggregated: false, attempt: 2, nextDelayMs: null },
  { type: 'connected', memberGuid: 'MBR-1', polls: 2, mfaRounds: 1 },
  { type: 'statement-listed', memberGuid: 'MBR-1', statement: { guid: 'STA-1', account_guid: 'ACT-1' } },
  { type: 'statement-listed', memberGuid: 'MBR-1', statement: { guid: 'STA-2', account_guid: 'ACT-2' } },
  { type: 'statement-progress', memberGuid: 'MBR-1', statementGuid: 'STA-1', received: 1024, contentLength: 2048 },
  { type: 'statement-downloaded', memberGuid: 'MBR-1', statementGuid: 'STA-1', bytes: 2048, sha256: 'ab'.repeat(32), location: '/out/MBR-1/STA-1.pdf' },
  { type: 'statement-skipped', memberGuid: 'MBR-1', statementGuid: 'STA-2', bytes: 4096, sha256: 'cd'.repeat(32), location: '/out/MBR-1/STA-2.pdf' },
  {
    type: 'done',
    summary: { userGuid: 'USR-1', memberGuid: 'MBR-1', statements: 2, downloaded: 1, skipped: 1, bytes: 2048, polls: 2, mfaRounds: 1, downloadEnabled: true },
  },
];

/** What a finished child process left. */
export interface RunResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Wall time from spawn to exit. */
  readonly ms: number;
}

/** A running CLI child: its output so far, bounded waits, and the way to stop it. */
export interface CliChild {
  readonly child: ChildProcessWithoutNullStreams;
  stdout(): string;
  stderr(): string;
  /** Resolves once `pattern` appears in stdout+stderr; rejects after `timeoutMs` or when the child exits first. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** Resolves with the result once the child exits; after `timeoutMs` kills it (SIGKILL) and rejects. */
  done(timeoutMs?: number): Promise<RunResult>;
}

const children = new Set<ChildProcessWithoutNullStreams>();

/** Kills every CLI child still running (SIGKILL). Call it in `afterEach`. */
export const killChildren = (): void => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  children.clear();
};

/** Starts the built CLI with `args`; stdin is an empty pipe (not a TTY), secrets are removed from the environment unless given. */
export const startCli = (args: ReadonlyArray<string>, options: { cwd?: string; env?: Record<string, string> } = {}): CliChild => {
  const env: Record<string, string | undefined> = { ...process.env, ...options.env };
  for (const k of ['MX_CLIENT_ID', 'MX_API_KEY', 'MX_MEMBER_PASSWORD']) if (!options.env?.[k]) delete env[k];
  const started = Date.now();
  const child = spawn(process.execPath, [CLI, ...args], { cwd: options.cwd ?? ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
  child.stdin.end();
  children.add(child);
  let out = '';
  let err = '';
  const listeners = new Set<() => void>();
  const notify = () => {
    for (const l of [...listeners]) l();
  };
  child.stdout.on('data', (c: Buffer) => {
    out += c.toString();
    notify();
  });
  child.stderr.on('data', (c: Buffer) => {
    err += c.toString();
    notify();
  });
  const exited = new Promise<RunResult>((resolve) => {
    child.once('close', (code, signal) => {
      children.delete(child);
      resolve({ code, signal, stdout: out, stderr: err, ms: Date.now() - started });
      notify();
    });
  });
  let closed = false;
  void exited.then(() => (closed = true));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    waitFor: (pattern, timeoutMs = 15_000) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (pattern.test(out + err)) finish(resolve);
          else if (closed) finish(() => reject(new Error(`the CLI exited before printing ${pattern}:\n${out}\n${err}`)));
        };
        const timer = setTimeout(() => finish(() => reject(new Error(`no ${pattern} within ${timeoutMs} ms:\n${out}\n${err}`))), timeoutMs);
        const finish = (fn: () => void) => {
          clearTimeout(timer);
          listeners.delete(check);
          fn();
        };
        listeners.add(check);
        check();
      }),
    done: (timeoutMs = 25_000) =>
      new Promise<RunResult>((resolve, reject) => {
        const timer = setTimeout(() => {
          child.kill('SIGKILL');
          reject(new Error(`the CLI did not exit within ${timeoutMs} ms (killed):\n${out}\n${err}`));
        }, timeoutMs);
        void exited.then((r) => {
          clearTimeout(timer);
          resolve(r);
        });
      }),
  };
};

/** Runs the built CLI to its end (bounded: killed after `timeoutMs`). */
export const runCli = (args: ReadonlyArray<string>, options: { cwd?: string; env?: Record<string, string>; timeoutMs?: number } = {}): Promise<RunResult> =>
  startCli(args, options).done(options.timeoutMs);

/** Every file under `dir` (recursively), sorted; none when `dir` does not exist. */
export const filesUnder = async (dir: string): Promise<string[]> => {
  const out: string[] = [];
  const walk = async (d: string): Promise<void> => {
    for (const e of await readdir(d, { withFileTypes: true }).catch(() => [])) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else out.push(p);
    }
  };
  await walk(dir);
  return out.sort();
};

/** The PDFs under `dir`, sorted. */
export const pdfsUnder = async (dir: string): Promise<string[]> => (await filesUnder(dir)).filter((f) => f.endsWith('.pdf'));

/** The CLI's `--json` output as events, each checked to have a `type`. */
export const ndjson = (stdout: string): Array<Record<string, unknown> & { type: string }> =>
  stdout
    .trimEnd()
    .split('\n')
    .map((line) => {
      const parsed = JSON.parse(line) as Record<string, unknown> & { type: string };
      expect(parsed.type, line).to.be.a('string');
      return parsed;
    });

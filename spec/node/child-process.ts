/**
 * Real child processes for the multi-process sink specs (`fixtures/sink-child.ts` under tsx), with bounded waits:
 * every wait for a line or an exit gives up after its bound, and fails at once when the child dies; `stopAll()`
 * kills whatever is still running (call it in `afterEach`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { within } from '../helpers/bounded.js';

export { within };

const SCRIPT = fileURLToPath(new URL('./fixtures/sink-child.ts', import.meta.url));

export interface Child {
  readonly pid: number;
  /** Sends one command line. */
  send(line: string): void;
  /** The next line matching `pattern` (lines before it are dropped); rejects after `ms` or when the child exits. */
  line(pattern: RegExp, ms?: number): Promise<string>;
  /** Sends `signal` and waits (at most `ms`) until the child has exited. */
  kill(signal?: NodeJS.Signals, ms?: number): Promise<void>;
}

const running = new Set<ChildProcess>();

/** Starts a child and waits (at most `ms`) for its `ready` line. */
export const startChild = async (ms = 20_000): Promise<Child> => {
  const proc = spawn(process.execPath, ['--import', 'tsx', SCRIPT], { stdio: ['pipe', 'pipe', 'inherit'] });
  running.add(proc);
  const exited = new Promise<void>((resolve) => proc.once('exit', () => {
    running.delete(proc);
    resolve();
  }));
  const lines: string[] = [];
  let wake: () => void = () => undefined;
  createInterface({ input: proc.stdout! }).on('line', (l) => {
    lines.push(l);
    wake();
  });
  let dead = false;
  void exited.then(() => {
    dead = true;
    wake();
  });
  const line = (pattern: RegExp, bound = 20_000): Promise<string> =>
    within(new Promise<string>((resolve, reject) => {
      const check = () => {
        while (lines.length > 0) {
          const l = lines.shift()!;
          if (pattern.test(l)) {
            wake = () => undefined;
            resolve(l);
            return;
          }
        }
        if (dead) reject(new Error(`the child exited before printing ${pattern}`));
      };
      wake = check;
      check();
    }), bound, `child ${proc.pid}: a line matching ${pattern}`);
  const child: Child = {
    pid: proc.pid!,
    send: (l) => void proc.stdin!.write(`${l}\n`),
    line,
    kill: async (signal = 'SIGTERM', bound = 10_000) => {
      if (!dead) proc.kill(signal);
      await within(exited, bound, `child ${proc.pid}: exit after ${signal}`);
    },
  };
  await line(/^ready$/, ms);
  return child;
};

/** Kills every child still running (SIGKILL) and waits for their exits, each bounded. */
export const stopAll = async (): Promise<void> => {
  await Promise.all([...running].map((proc) => within(new Promise<void>((resolve) => {
    proc.once('exit', () => resolve());
    proc.kill('SIGKILL');
  }), 10_000, `child ${proc.pid}: exit after SIGKILL`).catch(() => undefined)));
};

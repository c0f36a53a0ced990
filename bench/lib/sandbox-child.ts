/** Starts the sandbox in a child process (see `bench/sandbox-process.ts`) and stops it again. */
import { createInterface } from 'node:readline';
import type { SandboxOptions } from '../../lib/sandbox/index.js';
import type { SandboxCounts } from '../sandbox-process.js';
import { benchFile, exited, readJsonLine, spawnTs } from './child.js';

/** A sandbox running in another process. */
export interface SandboxChild {
  readonly url: string;
  readonly clientId: string;
  readonly apiKey: string;
  /** Its process id (for the report). */
  readonly pid: number;
  /** Asks it to stop and waits for the process to exit. */
  close(): Promise<void>;
  /** What it counted (started with `countRequests: true`); rejects after 10 s without an answer. */
  stats(): Promise<SandboxCounts>;
}

/** Spawns the sandbox with `options` and resolves once it listens. */
export const startSandboxChild = async (options: SandboxOptions & { readonly countRequests?: boolean }): Promise<SandboxChild> => {
  const child = spawnTs(benchFile('sandbox-process'), [JSON.stringify(options)]);
  try {
    const info = await readJsonLine<{ url: string; clientId: string; apiKey: string }>(child, (line) =>
      line.startsWith('{') ? line : undefined,
    );
    const waiters: Array<(c: SandboxCounts) => void> = [];
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.startsWith('@@stats ')) waiters.shift()?.(JSON.parse(line.slice('@@stats '.length)) as SandboxCounts);
    });
    return {
      ...info,
      pid: child.pid ?? -1,
      stats: () => new Promise<SandboxCounts>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error('the sandbox did not report its counts within 10 s')), 10_000);
        waiters.push((c) => {
          clearTimeout(t);
          resolve(c);
        });
        child.stdin?.write('stats\n');
      }),
      close: async () => {
        child.stdin?.end();
        child.kill('SIGTERM');
        await exited(child);
      },
    };
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
};

/** Starts the sandbox in a child process (see `bench/sandbox-process.ts`) and stops it again. */
import type { SandboxOptions } from '../../lib/sandbox/index.js';
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
}

/** Spawns the sandbox with `options` and resolves once it listens. */
export const startSandboxChild = async (options: SandboxOptions): Promise<SandboxChild> => {
  const child = spawnTs(benchFile('sandbox-process'), [JSON.stringify(options)]);
  try {
    const info = await readJsonLine<{ url: string; clientId: string; apiKey: string }>(child, (line) =>
      line.startsWith('{') ? line : undefined,
    );
    return {
      ...info,
      pid: child.pid ?? -1,
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

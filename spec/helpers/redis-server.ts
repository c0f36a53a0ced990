/**
 * A throw-away `redis-server` for the specs and the bench (which imports it from here: specs never depend on bench
 * code): on a free port, in a temp folder, no persistence. On a machine without it, Debian's package is installed
 * first ({@link ensureDebianTool}; needs root).
 *
 * @module
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { unusedPort } from './ports.js';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ensureDebianTool } from './debian-tool.js';

/** A running redis-server. */
export interface RedisServer {
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  /** Stops it (SIGTERM, then SIGKILL after 5 s) and removes its folder. */
  stop(): Promise<void>;
}

const exited = (child: ChildProcess, ms: number): Promise<boolean> =>
  new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve(true);
    const t = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(t);
      resolve(true);
    });
  });

/** Starts a redis-server and resolves once it accepts connections (at most 10 s). */
export const startRedisServer = async (): Promise<RedisServer> => {
  const bin = ensureDebianTool('redis-server', 'redis-server');
  const dir = await mkdtemp(path.join(tmpdir(), 'mx-redis-'));
  for (let attempt = 1; ; attempt++) {
    const port = await unusedPort();
    const child = spawn(bin, ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--daemonize', 'no'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const ready = await new Promise<boolean>((resolve) => {
      const t = setTimeout(() => resolve(false), 10_000);
      const onData = (d: Buffer) => {
        output += d.toString();
        if (output.includes('Ready to accept connections')) {
          clearTimeout(t);
          resolve(true);
        }
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      child.once('exit', () => {
        clearTimeout(t);
        resolve(false);
      });
    });
    if (ready) {
      child.stdout?.resume();
      child.stderr?.resume();
      return {
        url: `redis://127.0.0.1:${port}`,
        port,
        pid: child.pid ?? -1,
        stop: async () => {
          child.kill('SIGTERM');
          if (!(await exited(child, 5000))) {
            child.kill('SIGKILL');
            await exited(child, 5000);
          }
          await rm(dir, { recursive: true, force: true });
        },
      };
    }
    child.kill('SIGKILL');
    await exited(child, 5000);
    // Another process may have taken the port between our probe and redis's bind: try another once or twice.
    if (attempt >= 3) {
      await rm(dir, { recursive: true, force: true });
      throw new Error(`redis-server did not start: ${output.slice(-500)}`);
    }
  }
};

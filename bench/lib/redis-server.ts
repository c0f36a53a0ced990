/**
 * A throw-away `redis-server` for specs and the bench: on a free port, in a temp folder, no persistence. On a
 * machine without it, Debian's package is installed first (as a newcomer would, with apt-get; needs root).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

/** A running redis-server. */
export interface RedisServer {
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  /** Stops it (SIGTERM, then SIGKILL after 5 s) and removes its folder. */
  stop(): Promise<void>;
}

const findRedis = (): string | undefined => {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).concat(['/usr/bin', '/usr/sbin', '/usr/local/bin'])) {
    const p = path.join(dir, 'redis-server');
    if (dir !== '' && existsSync(p)) return p;
  }
  return undefined;
};

/** The redis-server binary, installed with apt-get (as root) when missing. Throws a clear error otherwise. */
export const ensureRedisServer = (): string => {
  const found = findRedis();
  if (found !== undefined) return found;
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!root) throw new Error('redis-server is not installed and this process is not root: run `apt-get install -y redis-server`');
  const apt = (args: string[]) => spawnSync('apt-get', ['-o', 'DPkg::Lock::Timeout=120', ...args], {
    stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }, timeout: 600_000,
  });
  let r = apt(['install', '-y', '--no-install-recommends', 'redis-server']);
  if (r.status !== 0) {
    apt(['update']);
    r = apt(['install', '-y', '--no-install-recommends', 'redis-server']);
  }
  const installed = findRedis();
  if (r.status !== 0 || installed === undefined) throw new Error(`could not install redis-server: ${r.stderr?.toString().slice(-500) ?? 'apt-get failed'}`);
  return installed;
};

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

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
  const bin = ensureRedisServer();
  const dir = await mkdtemp(path.join(tmpdir(), 'mx-redis-'));
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
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

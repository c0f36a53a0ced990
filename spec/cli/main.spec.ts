import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect } from 'chai';
import { createExitGuard, registerArgvSecrets } from '../../lib/cli/main.js';
import { ROOT } from './helpers.js';
import { createRedactor } from '../../lib/cli/redact.js';

describe('cli: main', () => {
  it('the exit guard ends the process with the run code after the grace, running the clean-ups first, once', async () => {
    const calls: string[] = [];
    const guard = createExitGuard((code) => calls.push(`exit ${code}`), 20);
    guard.onForcedExit(() => calls.push('sweep'));
    const removed = guard.onForcedExit(() => calls.push('removed'));
    removed();
    guard.onForcedExit(() => {
      throw new Error('a failing clean-up does not stop the exit');
    });
    guard.stopping(124);
    guard.stopping(130);
    expect(calls).to.deep.equal([]);
    const deadline = Date.now() + 2_000;
    while (calls.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    expect(calls).to.deep.equal(['sweep', 'exit 124']);
  });

  it('registers the secret flags and variables before parsing', () => {
    const r = createRedactor();
    registerArgvSecrets(['fetch', '--api-key=k-111', '--password', 'pw-222', '--mfa-answer', 'ans-333'], { MX_API_KEY: 'env-444', MX_MEMBER_PASSWORD: 'env-555' }, r);
    expect(r.scrub('k-111 pw-222 ans-333 env-444 env-555')).to.equal('[redacted] [redacted] [redacted] [redacted] [redacted]');
  });

  it('registers the webhook passwords (flag and variable) and the password inside a --queue Redis URL', () => {
    const r = createRedactor();
    registerArgvSecrets(['sync', '--webhook-password', 'hook-666', '--queue', 'redis://:red%21s-777@127.0.0.1:6379'], { MX_WEBHOOK_PASSWORD: 'env-888' }, r);
    registerArgvSecrets(['worker', '--queue=rediss://u:red-999@redis.internal:6380'], {}, r);
    expect(r.scrub('hook-666 red!s-777 red%21s-777 env-888 red-999')).to.equal('[redacted] [redacted] [redacted] [redacted] [redacted]');
  });
});

describe('cli: main, the exit backstop (child processes)', function () {
  this.timeout(20_000);
  const children: ChildProcess[] = [];
  let tmp: string;
  beforeEach(async () => {
    tmp = await mkdtemp(path.join(tmpdir(), 'mx-cli-backstop-'));
  });
  afterEach(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    children.length = 0;
    await rm(tmp, { recursive: true, force: true });
  });

  /** Runs a script that leaves a libuv thread stuck (open() on a FIFO with no writer), then stops as the CLI does. */
  const stuck = (code: number, fifo: string) => `
    import { readFile } from 'node:fs/promises';
    import { createExitGuard, startExitBackstop } from ${JSON.stringify(pathToFileURL(path.join(ROOT, 'dist/cli/main.js')).href)};
    readFile(${JSON.stringify(fifo)}).catch(() => {});
    process.on('SIGINT', () => {});
    const guard = createExitGuard((c) => { process.removeAllListeners('SIGINT'); process.exit(c); }, 100,
      (c) => console.log('backstop', startExitBackstop(c === 130 ? 'SIGINT' : 'SIGTERM', 700)));
    setTimeout(() => guard.stopping(${code}), 50);
  `;

  const run = (script: string) =>
    new Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string; ms: number }>((resolve, reject) => {
      const started = Date.now();
      const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
      children.push(child);
      let out = '';
      child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error('the process was still running after 10 s'));
      }, 10_000);
      child.once('close', (code, signal) => {
        clearTimeout(timer);
        resolve({ code, signal, out, ms: Date.now() - started });
      });
    });

  it('ends a process whose exit is stuck in a system call: SIGINT for Ctrl-C (130 in a shell), SIGTERM for --timeout', async () => {
    const fifo = path.join(tmp, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const interrupted = await run(stuck(130, fifo));
    expect(interrupted.signal, interrupted.out).to.equal('SIGINT');
    const timedOut = await run(stuck(124, fifo));
    expect(timedOut.signal, timedOut.out).to.equal('SIGTERM');
  });

  it('goes away by itself when the process ends normally: it never signals anything else', async () => {
    const r = await run(`
      import { startExitBackstop } from ${JSON.stringify(pathToFileURL(path.join(ROOT, 'dist/cli/main.js')).href)};
      console.log(startExitBackstop('SIGTERM', 5_000));
      setTimeout(() => process.exit(7), 100);
    `);
    expect(r.code).to.equal(7);
    const pid = Number(r.out.trim());
    expect(pid).to.be.greaterThan(0);
    const deadline = Date.now() + 3_000;
    let alive = true;
    while (alive && Date.now() < deadline) {
      try {
        process.kill(pid, 0);
        await new Promise((res) => setTimeout(res, 50));
      } catch {
        alive = false;
      }
    }
    expect(alive, 'the backstop outlived its process').to.equal(false);
  });
});

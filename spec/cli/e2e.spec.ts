/**
 * The built CLI (`dist/cli/main.js`) as a child process, against a sandbox started here (fast jobs) or, with
 * no target, against its own embedded sandbox. stdin is not a TTY in every case.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { expect } from 'chai';
import { startSandbox, type SandboxHandle } from '../../lib/sandbox/index.js';
import { spawn } from 'node:child_process';
import { CLI, runCli, type RunResult } from './helpers.js';

const CLIENT_ID = 'e2e-client-7d1f';
const API_KEY = 'e2e-API-KEY-5f0c9a7e-secret';
const PASSWORD = 'e2e-pw-Qx81-distinct';
const WRONG_ANSWER = 'e2e-wrong-answer-3319';
const BASIC = Buffer.from(`${CLIENT_ID}:${API_KEY}`).toString('base64');
const SECRETS = [API_KEY, PASSWORD, WRONG_ANSWER, BASIC];

const expectNoSecret = (r: RunResult): void => {
  for (const s of SECRETS) {
    expect(r.stdout, `stdout leaks ${s}`).to.not.contain(s);
    expect(r.stderr, `stderr leaks ${s}`).to.not.contain(s);
  }
};

const pdfsUnder = async (dir: string): Promise<string[]> => {
  const out: string[] = [];
  const walk = async (d: string): Promise<void> => {
    for (const e of await readdir(d, { withFileTypes: true }).catch(() => [])) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.name.endsWith('.pdf')) out.push(p);
    }
  };
  await walk(dir);
  return out.sort();
};

const ndjson = (stdout: string): Array<Record<string, unknown> & { type: string }> =>
  stdout
    .trimEnd()
    .split('\n')
    .map((line) => {
      const parsed = JSON.parse(line) as Record<string, unknown> & { type: string };
      expect(parsed.type, line).to.be.a('string');
      return parsed;
    });

describe('cli: the built `mx-statements` end to end', function () {
  this.timeout(30_000);
  let sandbox: SandboxHandle;
  let tmp: string;
  const base = () => ['--base-url', sandbox.url, '--client-id', CLIENT_ID];
  const member = (userId: string) => [...base(), '--user-id', userId, '--username', 'mxuser'];
  const env = () => ({ MX_API_KEY: API_KEY });

  before(async () => {
    sandbox = await startSandbox({ clientId: CLIENT_ID, apiKey: API_KEY, aggregationMs: 30 });
  });
  after(async () => {
    await sandbox.close();
  });
  beforeEach(async () => {
    tmp = await mkdtemp(path.join(tmpdir(), 'mx-cli-e2e-'));
  });
  afterEach(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it('with no target: runs the offline demo, saves real PDFs under ./statements, prints the table, exits 0', async () => {
    const r = await runCli(['fetch', '--aggregation-ms', '100', '--password', PASSWORD], { cwd: tmp });
    expect(r.code, r.stderr).to.equal(0);
    const pdfs = await pdfsUnder(path.join(tmp, 'statements'));
    expect(pdfs).to.have.length(6);
    for (const p of pdfs) expect((await readFile(p)).subarray(0, 5).toString()).to.equal('%PDF-');
    expect(r.stdout).to.match(/^statement +account +bytes +path +status$/m);
    expect(r.stdout).to.contain('6 statements: 6 saved');
    expect(r.stdout).to.contain(path.relative(tmp, pdfs[0] ?? ''));
    expect(r.stderr).to.contain('ok Done: 6 statements');
    expectNoSecret(r);
  });

  it('--json: every stdout line parses and has a type, in workflow order, and the PDFs land in --out', async () => {
    const out = path.join(tmp, 'out');
    const r = await runCli(['fetch', ...member('e2e-json'), '--password', PASSWORD, '--out', out, '--json'], { env: env() });
    expect(r.code, r.stderr).to.equal(0);
    const events = ndjson(r.stdout);
    const types = events.map((e) => e.type);
    expect(types.slice(0, 5)).to.deep.equal(['user-ready', 'institution-found', 'credentials-required', 'member-ready', 'statements-job-started']);
    expect(types).to.include.members(['status', 'connected', 'statement-listed', 'statement-downloaded']);
    expect(types.at(-1)).to.equal('done');
    expect(types).to.not.include('statement-progress');
    const saved = events.filter((e) => e.type === 'statement-downloaded').map((e) => e['location'] as string).sort();
    expect(saved).to.deep.equal(await pdfsUnder(out));
    expect(r.stderr).to.equal('');
    expectNoSecret(r);
  });

  it('answers MFA with --mfa-answer (two rounds) and exits 0', async () => {
    const r = await runCli(
      ['fetch', ...member('e2e-mfa'), '--password', 'challenge', '--mfa-answer', 'challenge', '--mfa-answer', 'correct', '--out', tmp, '--json'],
      { env: env() },
    );
    expect(r.code, r.stderr).to.equal(0);
    const events = ndjson(r.stdout);
    expect(events.filter((e) => e.type === 'challenged').map((e) => e['round'])).to.deep.equal([1, 2]);
    expect(events.filter((e) => e.type === 'challenge-answered')).to.have.length(2);
    expect(events.at(-1)?.type).to.equal('done');
    expect(await pdfsUnder(tmp)).to.have.length(6);
    expectNoSecret(r);
  });

  it('answers an IMAGE_OPTIONS challenge (pictures as PNG data URIs) with --mfa-answer and exits 0', async () => {
    const r = await runCli(
      ['fetch', ...member('e2e-image-options'), '--password', 'image_options', '--mfa-answer', 'correct', '--out', tmp, '--json'],
      { env: env() },
    );
    expect(r.code, r.stderr).to.equal(0);
    const events = ndjson(r.stdout);
    const challenged = events.find((e) => e.type === 'challenged') as { challenges?: Array<{ type?: string }> } | undefined;
    expect(challenged?.challenges?.[0]?.type).to.equal('IMAGE_OPTIONS');
    expect(events.at(-1)?.type).to.equal('done');
    expectNoSecret(r);
  });

  it('a wrong MFA answer ends REJECTED: exit 3, the error as a JSON line, no answer printed, no PDF', async () => {
    const r = await runCli(
      ['fetch', ...member('e2e-wrong'), '--password', 'challenge', '--mfa-answer', WRONG_ANSWER, '--out', tmp, '--json'],
      { env: env() },
    );
    expect(r.code).to.equal(3);
    const last = ndjson(r.stdout).at(-1) as { type: string; error: { _tag: string; message: string; connectionStatus: string } };
    expect(last.type).to.equal('error');
    expect(last.error).to.include({ _tag: 'ConnectionFailed', connectionStatus: 'REJECTED' });
    expect(last.error.message).to.be.a('string').and.not.equal('');
    expect(r.stderr).to.contain('the MFA answer was wrong');
    expect(await pdfsUnder(tmp)).to.deep.equal([]);
    expectNoSecret(r);
  });

  it('DENIED credentials: exit 3 with a plain message', async () => {
    const r = await runCli(['fetch', ...member('e2e-denied'), '--password', 'UNAUTHORIZED', '--out', tmp], { env: env() });
    expect(r.code).to.equal(3);
    expect(r.stderr).to.match(/^!! ConnectionFailed: .*DENIED/m);
    expect(r.stdout).to.equal('');
    expectNoSecret(r);
  });

  it('without a TTY, a challenge with no --mfa-answer fails at once (exit 4), naming the fix', async () => {
    const started = Date.now();
    const r = await runCli(['fetch', ...member('e2e-nomfa'), '--password', 'options', '--out', tmp], { env: env() });
    expect(r.code).to.equal(4);
    expect(Date.now() - started).to.be.below(10_000);
    expect(r.stderr).to.match(/^\?\? MFA round 1: OPTIONS/m);
    expect(r.stderr).to.match(/MfaRequired: .*--mfa-answer/);
    expectNoSecret(r);
  });

  it('usage errors exit 2 and name the flag; missing keys are refused before any request', async () => {
    const help = await runCli(['fetch', '--help']);
    expect(help.code).to.equal(0);
    expect(help.stdout).to.contain('--mfa-answer').and.contain('Exit codes:').and.match(/130 +interrupted/);
    const bad = await runCli(['fetch', '--timeout', 'soon']);
    expect(bad.code).to.equal(2);
    expect(bad.stderr).to.contain('--timeout');
    const unknown = await runCli(['fetch', '--pasword', 'x']);
    expect(unknown.code).to.equal(2);
    expect(unknown.stderr).to.contain("unknown option '--pasword'");
    const choice = await runCli(['fetch', '--env', 'staging', '--json']);
    expect(choice.code).to.equal(2);
    expect(choice.stderr).to.contain('--env');
    expect(JSON.parse(choice.stdout.trim())).to.deep.include({ type: 'error' });
    const keys = await runCli(['fetch', '--env', 'integration']);
    expect(keys.code).to.equal(2);
    expect(keys.stderr).to.contain('MX_API_KEY');
    const noPassword = await runCli(['fetch', ...member('e2e-nopw'), '--out', tmp], { env: env() });
    expect(noPassword.code).to.equal(2);
    expect(noPassword.stderr).to.contain('pass --password');
  });

  it('refused keys exit 7; an unreachable host exits 5; --timeout exits 124 — none prints a secret', async () => {
    const refused = await runCli(['fetch', ...base(), '--api-key', 'e2e-API-KEY-wrong-0001', '--password', PASSWORD, '--out', tmp]);
    expect(refused.code).to.equal(7);
    expect(refused.stderr).to.contain('Unauthorized');
    expect(refused.stderr + refused.stdout).to.not.contain('e2e-API-KEY-wrong-0001');
    const down = await runCli(['fetch', '--base-url', 'http://127.0.0.1:9', '--client-id', CLIENT_ID, '--password', PASSWORD, '--out', tmp, '--retries', '0'], { env: env() });
    expect(down.code).to.equal(5);
    expect(down.stderr).to.contain('NetworkError');
    expectNoSecret(down);
    const slow = await runCli(['fetch', '--aggregation-ms', '60000', '--timeout', '0.5', '--out', tmp]);
    expect(slow.code).to.equal(124);
    expect(slow.stderr).to.contain('--timeout');
  });

  it('SIGINT mid-download: exits 130 and leaves no partial file', async () => {
    const big = await startSandbox({ clientId: CLIENT_ID, apiKey: API_KEY, aggregationMs: 30, largePdfBytes: 40_000_000, latencyMs: 5 });
    try {
      const out = path.join(tmp, 'out');
      const child = spawn(process.execPath, [CLI, 'fetch', '--base-url', big.url, '--client-id', CLIENT_ID, '--username', 'mxuser', '--password', PASSWORD, '--out', out, '--json'], {
        env: { ...process.env, MX_API_KEY: API_KEY },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      const closed = new Promise<number | null>((resolve) => child.once('close', resolve));
      await new Promise<void>((resolve) => {
        child.stdout.on('data', (c: Buffer) => {
          stdout += c.toString();
          if (stdout.includes('"type":"statement-listed"')) resolve();
        });
      });
      await new Promise((r) => setTimeout(r, 150)); // downloads under way
      child.kill('SIGINT');
      const code = await closed;
      expect(code, stderr).to.equal(130);
      const last = JSON.parse(stdout.trimEnd().split('\n').at(-1) ?? '{}') as { type: string; error?: { _tag: string } };
      expect(last).to.deep.include({ type: 'error' });
      expect(last.error?._tag).to.equal('Interrupted');
      const files: string[] = [];
      const walk = async (d: string): Promise<void> => {
        for (const e of await readdir(d, { withFileTypes: true }).catch(() => [])) {
          if (e.isDirectory()) await walk(path.join(d, e.name));
          else files.push(path.join(d, e.name));
        }
      };
      await walk(out);
      // Only finished, verified PDFs (and manifests) may remain: no temp or half-written file.
      for (const f of files) expect(path.basename(f), f).to.match(/^(STA-[\w-]+\.pdf|manifest\.json)$/);
      for (const f of files.filter((x) => x.endsWith('.pdf'))) expect((await readFile(f)).length).to.be.at.least(40_000_000);
    } finally {
      await big.close();
    }
  });

  it('sync: every member of every user, then again with everything already saved; --members FILE', async () => {
    // A sandbox of its own: only its two seeded, connected members.
    const own = await startSandbox({ clientId: CLIENT_ID, apiKey: API_KEY, aggregationMs: 30, seedUsers: 2 });
    const base = () => ['--base-url', own.url, '--client-id', CLIENT_ID];
    try {
      await syncChecks(base);
    } finally {
      await own.close();
    }
  });

  const syncChecks = async (base: () => string[]): Promise<void> => {
    const first = await runCli(['sync', ...base(), '--out', tmp, '--concurrency', '2'], { env: env() });
    expect(first.code, first.stderr).to.equal(0);
    expect(first.stdout).to.match(/Members: \d+ synced, 0 need their user, 0 failed/);
    const saved = await pdfsUnder(tmp);
    expect(saved).to.have.length(12);
    const again = await runCli(['sync', ...base(), '--out', tmp, '--json'], { env: env() });
    expect(again.code, again.stderr).to.equal(0);
    const summary = ndjson(again.stdout).at(-1) as { type: string; downloaded: number; skipped: number };
    expect(summary).to.include({ type: 'batch-summary', downloaded: 0 });
    expect(summary.skipped).to.equal(saved.length);
    const file = path.join(tmp, 'members.csv');
    await writeFile(file, '# one member\nUSR-nope,MBR-nope\n');
    const one = await runCli(['sync', ...base(), '--out', tmp, '--members', file], { env: env() });
    expect(one.code).to.equal(9);
    expect(one.stdout).to.contain('Members: 0 synced, 0 need their user, 1 failed');
    expect(one.stdout).to.contain('USR-nope/MBR-nope  NotFound');
    const missing = await runCli(['sync', ...base(), '--members', path.join(tmp, 'absent.csv')], { env: env() });
    expect(missing.code).to.equal(8);
    for (const r of [first, again, one, missing]) expectNoSecret(r);
  };
});

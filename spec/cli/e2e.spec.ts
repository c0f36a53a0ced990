/**
 * The built CLI (`dist/cli/main.js`) as a child process, against a sandbox started here (fast jobs) or, with
 * no target, against its own embedded sandbox. stdin is never a TTY here (the terminal specs use tmux). Every
 * wait is bounded and ends when the child dies; `afterEach` kills any child left.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { expect } from 'chai';
import { startSandbox, type SandboxHandle } from '../../lib/sandbox/index.js';
import { filesUnder, killChildren, ndjson, pdfsUnder, runCli, startCli, type RunResult } from './helpers.js';
import { startRecordingProxy } from './helpers/recording-proxy.js';
import { untilKernelWait } from '../helpers/process-state.js';
import { until } from '../helpers/bounded.js';

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

/** No clause said twice in a line ("the MFA answer was wrong — the MFA answer was wrong", "ENOENT ENOENT"). */
const expectNoRepeats = (text: string): void => {
  for (const line of text.split('\n')) {
    const clauses = line.split(/: | — |; /).map((c) => c.toLowerCase().trim()).filter((c) => c.length > 3);
    expect(new Set(clauses).size, line).to.equal(clauses.length);
    expect(line, line).to.not.match(/\b([A-Z]{4,})\b \1\b/);
  }
};

/** The usage-error format: "mx-statements <command>: <message naming the flag>" then where the flags are. */
const USAGE = (command: string, flag: string) => new RegExp(`^mx-statements ${command}: .*${flag.replace(/-/g, '\\-')}.*\\nRun "mx-statements ${command} --help" for the flags\\.\\n$`);

describe('cli: the built `mx-statements` end to end', function () {
  this.timeout(40_000);
  let sandbox: SandboxHandle;
  let requests = 0;
  let tmp: string;
  const base = () => ['--base-url', sandbox.url, '--client-id', CLIENT_ID];
  const member = (userId: string) => [...base(), '--user-id', userId, '--username', 'mxuser'];
  const env = () => ({ MX_API_KEY: API_KEY });

  before(async () => {
    sandbox = await startSandbox({ clientId: CLIENT_ID, apiKey: API_KEY, aggregationMs: 30, log: () => (requests += 1) });
  });
  after(async () => {
    await sandbox.close();
  });
  beforeEach(async () => {
    tmp = await mkdtemp(path.join(tmpdir(), 'mx-cli-e2e-'));
  });
  afterEach(async () => {
    killChildren();
    await rm(tmp, { recursive: true, force: true });
  });

  it('with no target: runs the offline demo, saves real PDFs under ./statements, prints one summary, exits 0', async () => {
    const r = await runCli(['fetch', '--aggregation-ms', '100', '--password', PASSWORD], { cwd: tmp });
    expect(r.code, r.stderr).to.equal(0);
    const pdfs = await pdfsUnder(path.join(tmp, 'statements'));
    expect(pdfs).to.have.length(6);
    for (const p of pdfs) expect((await readFile(p)).subarray(0, 5).toString()).to.equal('%PDF-');
    expect(r.stderr.split('\n')[0]).to.match(/^\.\. Using the embedded MX sandbox at http:\/\/127\.0\.0\.1:\d+, API v20111101; PDFs go to statements\/$/);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).to.match(/^Done in [\d.]+ m?s: 6 statements, [\d.]+ KB \(6 saved, 0 already saved\)$/);
    expect(lines[1]).to.equal(`${path.relative(tmp, path.dirname(pdfs[0] ?? ''))}/`);
    expect(lines.slice(2).map((l) => l.trim().split(/\s+/)[0]).sort()).to.deep.equal(pdfs.map((p) => path.basename(p)));
    expect(r.stdout.match(/Done/g)).to.have.length(1);
    expect(r.stderr).to.not.contain('Done');
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

  it('answers MFA with --mfa-answer (two rounds), printing each question once', async () => {
    const r = await runCli(['fetch', ...member('e2e-mfa'), '--password', 'challenge', '--mfa-answer', 'challenge', '--mfa-answer', 'correct', '--out', tmp], { env: env() });
    expect(r.code, r.stderr).to.equal(0);
    const questions = r.stderr.split('\n').filter((l) => l.startsWith('?? '));
    expect(questions).to.have.length(4); // per round: "MFA round n: … asks 1 question", then the question itself
    const asked = questions.filter((l) => /answered with --mfa-answer$/.test(l));
    expect(asked).to.have.length(2);
    expect(new Set(asked).size === 1 || asked[0] !== asked[1]).to.equal(true);
    expect(await pdfsUnder(tmp)).to.have.length(6);
    expectNoSecret(r);
  });

  it('answers an IMAGE_OPTIONS challenge with --mfa-answer and exits 0 (--json)', async () => {
    const r = await runCli(['fetch', ...member('e2e-image-options'), '--password', 'image_options', '--mfa-answer', 'correct', '--out', tmp, '--json'], { env: env() });
    expect(r.code, r.stderr).to.equal(0);
    const events = ndjson(r.stdout);
    const challenged = events.find((e) => e.type === 'challenged') as { challenges?: Array<{ type?: string }> } | undefined;
    expect(challenged?.challenges?.[0]?.type).to.equal('IMAGE_OPTIONS');
    expect(events.at(-1)?.type).to.equal('done');
    expectNoSecret(r);
  });

  it('a wrong MFA answer ends REJECTED: exit 3, one line that says it once, the error as a JSON line, no PDF', async () => {
    const plain = await runCli(['fetch', ...member('e2e-wrong'), '--password', 'challenge', '--mfa-answer', WRONG_ANSWER, '--out', tmp], { env: env() });
    expect(plain.code).to.equal(3);
    expect(plain.stderr).to.match(/^!! ConnectionFailed: member MBR-\w+ ended REJECTED: The MFA answer was wrong — run again and give the right answer$/m);
    expectNoRepeats(plain.stderr);
    const json = await runCli(['fetch', ...member('e2e-wrong-json'), '--password', 'challenge', '--mfa-answer', WRONG_ANSWER, '--out', tmp, '--json'], { env: env() });
    const last = ndjson(json.stdout).at(-1) as { type: string; error: { _tag: string; connectionStatus: string } };
    expect(last.type).to.equal('error');
    expect(last.error).to.include({ _tag: 'ConnectionFailed', connectionStatus: 'REJECTED' });
    expect(await pdfsUnder(tmp)).to.deep.equal([]);
    for (const r of [plain, json]) expectNoSecret(r);
  });

  it('DENIED credentials: exit 3 with a plain message', async () => {
    const r = await runCli(['fetch', ...member('e2e-denied'), '--password', 'UNAUTHORIZED', '--out', tmp], { env: env() });
    expect(r.code).to.equal(3);
    expect(r.stderr).to.match(/^!! ConnectionFailed: .*DENIED.*— check --username and --password$/m);
    expect(r.stdout).to.equal('');
    expectNoRepeats(r.stderr);
    expectNoSecret(r);
  });

  it('without a TTY, a challenge with no --mfa-answer fails at once (exit 4), naming the question once and the fix', async () => {
    const r = await runCli(['fetch', ...member('e2e-nomfa'), '--password', 'options', '--out', tmp], { env: env() });
    expect(r.code).to.equal(4);
    expect(r.stderr).to.match(/^\?\? MFA round 1: the institution asks 1 question$/m);
    expect(r.stderr.match(/Where should we send your one-time code\?/g)).to.have.length(1);
    expect(r.stderr).to.match(/^!! MfaRequired: .*--mfa-answer/m);
    expectNoSecret(r);
  });

  it('usage errors: one format everywhere, exit 2, naming the flag; the exit-code table only in the top-level help', async () => {
    const top = await runCli(['--help']);
    expect(top.code).to.equal(0);
    expect(top.stdout).to.match(/^ *130 +interrupted/m);
    const help = await runCli(['fetch', '--help']);
    expect(help.code).to.equal(0);
    expect(help.stdout).to.contain('--mfa-answer').and.contain('--api-version').and.contain('--rate-limit').and.not.match(/^ *130 /m);
    const cases: Array<[string[], string, string]> = [
      [['fetch', '--timeout', 'soon'], 'fetch', '--timeout'],
      [['fetch', '--pasword', 'x'], 'fetch', '--pasword'],
      [['fetch', '--env', 'staging'], 'fetch', '--env'],
      [['fetch', '--env', 'integration'], 'fetch', '--api-key'],
      [['sync', '--concurrency', '0'], 'sync', '--concurrency'],
      [['fetch', '--api-version', 'v1'], 'fetch', '--api-version'],
      [['sync', '--rate-limit', 'fast'], 'sync', '--rate-limit'],
      [['sandbox', '--port', '70000'], 'sandbox', '--port'],
    ];
    for (const [args, command, flag] of cases) {
      const r = await runCli(args);
      expect(r.code, args.join(' ')).to.equal(2);
      expect(r.stderr, args.join(' ')).to.match(USAGE(command, flag));
      expect(r.stdout).to.equal('');
    }
    const json = await runCli(['fetch', '--env', 'staging', '--json']);
    expect(JSON.parse(json.stdout.trim())).to.deep.include({ type: 'error' });
    expect(json.stderr).to.match(USAGE('fetch', '--env'));
  });

  // A missing --username or --password with no terminal is found once the institution's fields ask for it (an
  // OAuth bank asks for neither): e2e-today.spec.ts, 'no terminal, a host of its own'.
  it('finds input problems before any request: a bad --out, a missing --members file', async () => {
    const before = requests;
    await writeFile(path.join(tmp, 'a-file'), 'x');
    const badOut = await runCli(['fetch', ...member('e2e-badout'), '--password', PASSWORD, '--out', path.join(tmp, 'a-file', 'sub')], { env: env() });
    expect(badOut.code).to.equal(8);
    expect(badOut.stderr).to.match(/^!! FileSystemError: --out .*a-file\/sub: cannot be created: a part of the path is a file, not a folder \(ENOTDIR\)$/m);
    const proc = await runCli(['sync', ...base(), '--out', '/proc/mx-statements-e2e/out'], { env: env(), timeoutMs: 10_000 });
    expect(proc.code).to.equal(8);
    expect(proc.stderr).to.match(/--out \/proc\/mx-statements-e2e\/out: cannot create \/proc\/mx-statements-e2e: .*\(E[A-Z]+\)/);
    const missing = await runCli(['sync', ...base(), '--members', path.join(tmp, 'absent.csv'), '--out', tmp], { env: env() });
    expect(missing.code).to.equal(8);
    expect(missing.stderr).to.match(/--members .*absent\.csv: cannot be read: no such file \(ENOENT\)$/m);
    expectNoRepeats(missing.stderr);
    expect(requests - before, 'requests made').to.equal(0);
    for (const r of [badOut, proc, missing]) expectNoSecret(r);
  });

  it('refused keys exit 7; a host that is down shows the target and each retry, then exits 5; none prints a secret', async () => {
    const refused = await runCli(['fetch', ...base(), '--api-key', 'e2e-API-KEY-wrong-0001', '--username', 'mxuser', '--password', PASSWORD, '--out', tmp]);
    expect(refused.code).to.equal(7);
    expect(refused.stderr).to.contain('Unauthorized');
    expect(refused.stderr + refused.stdout).to.not.contain('e2e-API-KEY-wrong-0001');
    const down = await runCli(['fetch', '--base-url', 'http://127.0.0.1:9', '--client-id', CLIENT_ID, '--username', 'u', '--password', PASSWORD, '--out', tmp, '--retries', '1'], { env: env() });
    expect(down.code).to.equal(5);
    const lines = down.stderr.trimEnd().split('\n');
    expect(lines[0]).to.match(/^\.\. Using the MX API at http:\/\/127\.0\.0\.1:9, v20111101; PDFs go to /);
    expect(lines.slice(1, -1).length).to.be.at.least(1);
    for (const l of lines.slice(1, -1)) expect(l).to.match(/^\.\. POST \/users: connection refused; retrying in \d+(\.\d)? m?s, attempt 2 of 2$/);
    expect(lines.at(-1)).to.equal('!! NetworkError: POST /users: connection refused — is the host reachable? Check --base-url or --env');
    expectNoRepeats(down.stderr);
    for (const r of [refused, down]) expectNoSecret(r);
  });

  it('--api-version and --rate-limit reach every request', async () => {
    const proxy = await startRecordingProxy(sandbox.url);
    try {
      const r = await runCli(['fetch', '--base-url', proxy.url, '--client-id', CLIENT_ID, '--user-id', 'e2e-rate', '--username', 'mxuser', '--password', PASSWORD,
        '--out', tmp, '--api-version', 'v20111101', '--rate-limit', '20', '--json'], { env: env() });
      expect(r.code, r.stderr).to.equal(0);
      expect(proxy.requests.length).to.be.at.least(10);
      for (const q of proxy.requests) expect(q.headers['accept-version'], `${q.method} ${q.path}`).to.equal('v20111101');
      const first = proxy.requests[0]?.at ?? 0;
      const last = proxy.requests.at(-1)?.at ?? 0;
      // 20 per second, evenly spaced: the requests cannot have come faster than one per 50 ms on average.
      expect((last - first) / (proxy.requests.length - 1)).to.be.at.least(45);
      // The other version: a whole run, every request naming it.
      const before = proxy.requests.length;
      const v2025 = await runCli(['fetch', '--base-url', proxy.url, '--client-id', CLIENT_ID, '--user-id', 'e2e-v2025', '--username', 'mxuser', '--password', PASSWORD,
        '--out', tmp, '--api-version', 'v20250224', '--json'], { env: env() });
      expect(v2025.code, v2025.stderr).to.equal(0);
      expect(ndjson(v2025.stdout).filter((e) => e.type === 'statement-downloaded')).to.have.length(6);
      const sent = proxy.requests.slice(before);
      expect(sent.length).to.be.at.least(10);
      for (const q of sent) expect(q.headers['accept-version'], `${q.method} ${q.path}`).to.equal('v20250224');
    } finally {
      await proxy.close();
    }
  });

  it('--timeout and SIGINT end the process within 2 s even while a system call never returns (open() on a FIFO)', async () => {
    // Node waits for its file system threads when it exits: here one is stuck for good, so the exit backstop
    // ends the process (SIGTERM after --timeout, SIGINT after Ctrl-C: a shell reports 143 and 130).
    const fifo = path.join(tmp, 'members.fifo');
    execFileSync('mkfifo', [fifo]);
    const timed = startCli(['sync', ...base(), '--members', fifo, '--out', tmp, '--timeout', '0.5'], { env: env() });
    await timed.waitFor(/RunTimeout/, 10_000);
    const printed = Date.now();
    const t = await timed.done(10_000);
    expect(Date.now() - printed, 'from the --timeout message to the end').to.be.below(3_000);
    expect([t.code, t.signal]).to.satisfy(([code, signal]: [number | null, string | null]) => code === 124 || signal === 'SIGTERM');
    expect(t.stderr).to.match(/^!! RunTimeout: --timeout: the run took longer than 500 ms; stopped, no partial file kept$/m);
    const child = startCli(['sync', ...base(), '--members', fifo, '--out', tmp], { env: env() });
    // Ctrl-C once the CLI is stuck in open() on the FIFO (its SIGINT handler is installed before it reads any
    // input), not after a guessed delay: a loaded machine may not have loaded the CLI by then.
    await untilKernelWait(child.child.pid ?? -1, /^(wait_for_partner|fifo_open)$/, 'the CLI blocked opening the FIFO', 15_000);
    const sent = Date.now();
    child.child.kill('SIGINT');
    const interrupted = await child.done(10_000);
    expect(Date.now() - sent, 'from SIGINT to the end').to.be.below(3_000);
    expect([interrupted.code, interrupted.signal]).to.satisfy(([code, signal]: [number | null, string | null]) => code === 130 || signal === 'SIGINT');
    expect(interrupted.stderr).to.match(/^!! Interrupted: stopped by Ctrl-C \(SIGINT\); no partial file kept$/m);
  });

  it('SIGINT mid-download: exits 130 and leaves no partial file', async () => {
    const big = await startSandbox({ clientId: CLIENT_ID, apiKey: API_KEY, aggregationMs: 30, largePdfBytes: 40_000_000, latencyMs: 5 });
    try {
      const out = path.join(tmp, 'out');
      const child = startCli(['fetch', '--base-url', big.url, '--client-id', CLIENT_ID, '--username', 'mxuser', '--password', PASSWORD, '--out', out, '--json'], { env: env() });
      await child.waitFor(/"type":"statement-listed"/, 20_000);
      // downloads under way: a temp file with bytes in it (bounded wait)
      const partWithBytes = async (): Promise<boolean> => {
        for (const f of (await filesUnder(out)).filter((x) => x.endsWith('.part'))) {
          if (await stat(f).then((st) => st.size > 0, () => false)) return true;
        }
        return false;
      };
      await until('a download writing its temp file', partWithBytes, 15_000);
      child.child.kill('SIGINT');
      const r = await child.done(10_000);
      expect(r.code, r.stderr).to.equal(130);
      const last = JSON.parse(r.stdout.trimEnd().split('\n').at(-1) ?? '{}') as { type: string; error?: { _tag: string } };
      expect(last).to.deep.include({ type: 'error' });
      expect(last.error?._tag).to.equal('Interrupted');
      const files = await filesUnder(out);
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
    const ownBase = () => ['--base-url', own.url, '--client-id', CLIENT_ID];
    try {
      const first = await runCli(['sync', ...ownBase(), '--out', tmp, '--concurrency', '2'], { env: env() });
      expect(first.code, first.stderr).to.equal(0);
      expect(first.stdout.split('\n')[0]).to.match(/^Done in [\d.]+ m?s, 1 pass: 2 of 2 members synced, 0 need their user, 0 failed$/);
      expect(first.stderr).to.match(/^ok \[MBR-\w+\] synced: 6 PDFs, 6 new \([\d.]+ KB\) \(1 of 2 members done\)$/m);
      const saved = await pdfsUnder(tmp);
      expect(saved).to.have.length(12);
      const again = await runCli(['sync', ...ownBase(), '--out', tmp, '--json'], { env: env() });
      expect(again.code, again.stderr).to.equal(0);
      const summary = ndjson(again.stdout).at(-1) as { type: string; downloaded: number; skipped: number };
      expect(summary).to.include({ type: 'batch-summary', downloaded: 0 });
      expect(summary.skipped).to.equal(saved.length);
      const file = path.join(tmp, 'members.csv');
      await writeFile(file, '# one member\nUSR-nope,MBR-nope\n');
      const one = await runCli(['sync', ...ownBase(), '--out', tmp, '--members', file], { env: env() });
      expect(one.code).to.equal(9);
      expect(one.stdout).to.contain('Done in').and.contain('0 of 1 member synced, 0 need their user, 1 failed');
      expect(one.stdout).to.match(/^ {2}USR-nope\/MBR-nope {2}NotFound: /m);
      expect(one.stderr).to.match(/\(1 of 1 member done\)$/m);
      for (const r of [first, again, one]) expectNoSecret(r);
    } finally {
      await own.close();
    }
  });
});

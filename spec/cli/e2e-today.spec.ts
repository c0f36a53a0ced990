/**
 * The built CLI against MX as it is today (child processes, no TTY): OAuth members (authorize and deny by the
 * window's form post, as a browser sends it; a sign-in not finished within --oauth-timeout), whole runs of fetch and
 * sync in both API versions, statements without a content_hash (refused, or kept with --allow-unverified), a
 * sync with its webhook receiver (--webhook-port) and with --max-age, and the sandbox's flags for today's MX.
 * Every wait is bounded; afterEach kills any child left.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { expect } from 'chai';
import { MX_API_VERSIONS } from '../../lib/core/config.js';
import { startSandbox, type SandboxHandle } from '../../lib/sandbox/index.js';
import { killChildren, ndjson, pdfsUnder, runCli, startCli, type RunResult } from './helpers.js';
import { pressWindowButton } from './helpers/oauth-window.js';
import { startRecordingProxy } from './helpers/recording-proxy.js';

const CLIENT_ID = 'today-client-2b7e';
const API_KEY = 'today-API-KEY-88c1d0e4-secret';
const HOOK_PASSWORD = 'today-hook-pw-61f3a2';

/** The window's URL, as the CLI printed it (plain: on the ?? line; --json: in the oauth-required event). */
const windowUrl = (text: string): string => {
  const m = /(http:\/\/127\.0\.0\.1:\d+\/oauth\/window\/[A-Za-z0-9_-]+)/.exec(text);
  if (!m?.[1]) throw new Error(`no OAuth window URL in:\n${text}`);
  return m[1];
};

const expectNoSecret = (r: RunResult, ...secrets: string[]): void => {
  for (const s of [API_KEY, HOOK_PASSWORD, ...secrets]) expect(`${r.stdout}${r.stderr}`, `leaks ${s}`).to.not.contain(s);
};

describe('cli: MX as it is today, end to end (the built CLI)', function () {
  this.timeout(60_000);
  let tmp: string;
  const env = () => ({ MX_API_KEY: API_KEY });
  beforeEach(async () => {
    tmp = await mkdtemp(path.join(tmpdir(), 'mx-cli-today-'));
  });
  afterEach(async () => {
    killChildren();
    await rm(tmp, { recursive: true, force: true });
  });

  describe('OAuth (MX Bank OAuth in the embedded sandbox)', () => {
    it('prints the window URL whole with the institution, waits calmly (no line per PENDING poll), and completes once Authorize is pressed', async () => {
      const child = startCli(['fetch', '--institution-code', 'mx_bank_oauth', '--aggregation-ms', '200'], { cwd: tmp });
      await child.waitFor(/^\?\? Sign in to MX Bank \(OAuth\) in your browser: http:\/\/\S+$/m);
      const url = windowUrl(child.stderr());
      // Let it poll a while unanswered: PENDING is expected and is shown once, not once per poll.
      await child.waitFor(/Waiting for your sign-in at MX Bank \(OAuth\): PENDING until you authorize; gives up in 30 min \(at \d\d:\d\d\)$/m);
      await new Promise((r) => setTimeout(r, 1_500));
      expect(await pressWindowButton(url, 'authorize')).to.equal(200);
      const r = await child.done(30_000);
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stderr.match(/PENDING/g), 'PENDING shown once').to.have.length(1);
      expect(r.stderr.split('\n').filter((l) => /^\.\. Status /.test(l)).length, 'status lines only when the status changed').to.be.at.most(8);
      expect(await pdfsUnder(path.join(tmp, 'statements'))).to.have.length(6);
      expect(r.stdout).to.match(/^Done in [\d.]+ m?s: 6 statements/);
    });

    it('--json emits oauth-required and keeps waiting; --oauth-redirect-url reaches the window (303 there with the outcome)', async () => {
      const child = startCli(['fetch', '--institution-code', 'mx_bank_oauth', '--aggregation-ms', '200', '--json', '--oauth-redirect-url', 'https://example.com/mx/done'], { cwd: tmp });
      await child.waitFor(/"type":"oauth-required"/);
      const event = ndjson(child.stdout()).find((e) => e.type === 'oauth-required');
      expect(event).to.include({ institutionCode: 'mx_bank_oauth' });
      await child.waitFor(/"type":"status".*"connectionStatus":"PENDING"/);
      expect(await pressWindowButton(String(event?.['url']), 'authorize')).to.equal(303);
      const r = await child.done(30_000);
      expect(r.code, r.stderr).to.equal(0);
      expect(ndjson(r.stdout).at(-1)?.type).to.equal('done');
      expect(r.stderr).to.equal('');
    });

    it('Deny: exit 3, the message says the sign-in was denied (not "check --password"), no PDF', async () => {
      const child = startCli(['fetch', '--institution-code', 'mx_bank_oauth', '--aggregation-ms', '200'], { cwd: tmp });
      await child.waitFor(/Sign in to MX Bank \(OAuth\)/);
      expect(await pressWindowButton(windowUrl(child.stderr()), 'deny')).to.equal(200);
      const r = await child.done();
      expect(r.code).to.equal(3);
      // The window's page told the run at once (oauth.completions), in the person's words.
      expect(r.stderr).to.match(/^!! ConnectionFailed: member MBR-\w+: the sign-in at the bank was denied — run again for a new link$/m);
      expect(await pdfsUnder(tmp)).to.deep.equal([]);
    });

    it('nobody signs in within --oauth-timeout: exit 3, saying so and how to get more time', async () => {
      const r = await runCli(['fetch', '--institution-code', 'mx_bank_oauth', '--aggregation-ms', '200', '--oauth-timeout', '1s'], { cwd: tmp });
      expect(r.code).to.equal(3);
      expect(r.stderr).to.match(/^\.\. Waiting for your sign-in at MX Bank \(OAuth\): PENDING until you authorize; gives up in 1 s \(at \d\d:\d\d\)$/m);
      expect(r.stderr).to.match(/^!! PollTimeout: .*PENDING.* — nobody finished the sign-in in time; run again for a new link \(--oauth-timeout gives more time\)$/m);
    });
  });

  describe('no terminal, a host of its own (no demo credentials filled in)', () => {
    let sandbox: SandboxHandle;
    before(async () => {
      sandbox = await startSandbox({ clientId: CLIENT_ID, apiKey: API_KEY, aggregationMs: 30 });
    });
    after(async () => {
      await sandbox.close();
    });

    it('an OAuth bank needs no --username or --password: --json emits oauth-required, waits, and completes once authorized', async () => {
      const child = startCli(['fetch', '--base-url', sandbox.url, '--client-id', CLIENT_ID, '--institution-code', 'mx_bank_oauth', '--json', '--out', tmp, '--user-id', 'today-oauth-script'], { env: env() });
      await child.waitFor(/"type":"oauth-required"/);
      expect(await pressWindowButton(windowUrl(child.stdout()), 'authorize')).to.equal(200);
      const r = await child.done();
      expect(r.code, r.stderr).to.equal(0);
      expect(ndjson(r.stdout).at(-1)?.type).to.equal('done');
      expect(await pdfsUnder(tmp)).to.have.length.greaterThan(0);
      expectNoSecret(r);
    });

    it('a bank that asks for credentials: exit 2 naming --username, before the member is created', async () => {
      const proxy = await startRecordingProxy(sandbox.url);
      try {
        const r = await runCli(['fetch', '--base-url', proxy.url, '--client-id', CLIENT_ID, '--institution-code', 'mxbank', '--out', tmp, '--user-id', 'today-no-login'], { env: env() });
        expect(r.code, r.stderr).to.equal(2);
        expect(r.stderr).to.match(/the institution asks for Username: pass --username \(there is no terminal to ask on\)/);
        expect(proxy.requests.map((q) => `${q.method} ${q.path}`), 'the user is created, then the fields read').to.include('POST /users');
        expect(proxy.requests.filter((q) => q.method === 'POST' && /\/members$/.test(q.path)), 'no member created').to.deep.equal([]);
        const withLogin = await runCli(['fetch', '--base-url', proxy.url, '--client-id', CLIENT_ID, '--institution-code', 'mxbank', '--username', 'mxuser', '--out', tmp, '--user-id', 'today-no-login'], { env: env() });
        expect(withLogin.code, withLogin.stderr).to.equal(2);
        expect(withLogin.stderr).to.match(/the institution asks for Password: pass --password \(there is no terminal to ask on\)/);
      } finally {
        await proxy.close();
      }
    });
  });

  for (const version of MX_API_VERSIONS) {
    it(`--api-version ${version}: a whole fetch, then a whole sync, against the embedded sandbox`, async () => {
      const fetched = await runCli(['fetch', '--api-version', version, '--aggregation-ms', '100'], { cwd: tmp });
      expect(fetched.code, fetched.stderr).to.equal(0);
      expect(await pdfsUnder(tmp)).to.have.length(6);
      const synced = await runCli(['sync', '--api-version', version, '--seed-users', '2', '--aggregation-ms', '100', '--out', 'synced'], { cwd: tmp });
      expect(synced.code, synced.stderr).to.equal(0);
      expect(synced.stdout.split('\n')[0]).to.match(/, 1 pass: 2 of 2 members synced, 0 need their user, 0 failed$/);
      expect(await pdfsUnder(path.join(tmp, 'synced'))).to.have.length(12);
    });
  }

  describe('statements without a content_hash', () => {
    let sandbox: SandboxHandle;
    before(async () => {
      sandbox = await startSandbox({ clientId: CLIENT_ID, apiKey: API_KEY, aggregationMs: 30 });
    });
    after(async () => {
      await sandbox.close();
    });
    const stripHashes = (json: string) => json.replace(/"content_hash":"[0-9a-f]{64}"/g, '"content_hash":null');

    it('are refused by default (exit 6, nothing kept); --allow-unverified keeps them, marked unverified in lines, summary and events', async () => {
      const proxy = await startRecordingProxy(sandbox.url, undefined, stripHashes);
      try {
        const args = (userId: string, out = tmp) => ['fetch', '--base-url', proxy.url, '--client-id', CLIENT_ID, '--username', 'mxuser', '--password', 'password', '--out', out, '--user-id', userId];
        const refused = await runCli(args('today-refused'), { env: env() });
        expect(refused.code).to.equal(6);
        expect(refused.stderr).to.match(/^!! IntegrityError: .* — MX sent no content_hash to check it against; --allow-unverified keeps such PDFs, marked unverified$/m);
        expect(await pdfsUnder(tmp)).to.deep.equal([]);

        const kept = await runCli([...args('today-kept'), '--allow-unverified'], { env: env() });
        expect(kept.code, kept.stderr).to.equal(0);
        expect(kept.stderr.match(/^ok Saved STA-\w+ \([\d.]+ KB\) → .*\.pdf, unverified: MX sent no content_hash$/gm)).to.have.length(6);
        expect(kept.stdout).to.match(/^Unverified: 6 PDFs kept without a content_hash from MX \(--allow-unverified\)/m);
        expect(kept.stdout.match(/ saved, unverified$/gm)).to.have.length(6);
        expect(await pdfsUnder(tmp)).to.have.length(6);

        const json = await runCli([...args('today-json', path.join(tmp, 'json')), '--allow-unverified', '--json'], { env: env() });
        const saved = ndjson(json.stdout).filter((e) => e.type === 'statement-downloaded');
        expect(saved).to.have.length(6);
        for (const e of saved) expect(e['unverified']).to.equal(true);
        for (const r of [refused, kept, json]) expectNoSecret(r);
      } finally {
        await proxy.close();
      }
    });
  });

  it('sync --webhook-port: the embedded sandbox delivers to the receiver, which wakes the polls (about one poll per member)', async () => {
    const r = await runCli(['sync', '--seed-users', '4', '--aggregation-ms', '300', '--webhook-port', '0', '--webhook-password', HOOK_PASSWORD], { cwd: tmp });
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stderr).to.match(/^\.\. Webhooks: receiving at http:\/\/127\.0\.0\.1:\d+\/mx\/webhooks; the embedded sandbox delivers there$/m);
    const line = /^Webhooks: (\d+) received, (\d+) redelivered, (\d+) refused; ([\d.]+) status polls per member$/m.exec(r.stdout);
    expect(line, r.stdout).to.not.equal(null);
    const [received, , refused, perMember] = (line ?? []).slice(1).map(Number);
    expect(received).to.be.at.least(4);
    expect(refused).to.equal(0);
    // Without webhooks the sandbox's fast polling makes ~6 per member; woken by webhooks, about one.
    expect(perMember).to.be.at.most(1.5);
    expect(await pdfsUnder(path.join(tmp, 'statements'))).to.have.length(24);
    expectNoSecret(r);
  });

  it('sync --max-age: a second run skips the statements job of members synced just now (listed, nothing downloaded)', async () => {
    const sandbox = await startSandbox({ clientId: CLIENT_ID, apiKey: API_KEY, aggregationMs: 30, seedUsers: 3 });
    try {
      const args = ['sync', '--base-url', sandbox.url, '--client-id', CLIENT_ID, '--out', tmp, '--max-age', '1h'];
      const first = await runCli(args, { env: env() });
      expect(first.code, first.stderr).to.equal(0);
      const again = await runCli(args, { env: env() });
      expect(again.code, again.stderr).to.equal(0);
      expect(again.stdout).to.match(/^Fresh: 3 members had a statements job younger than --max-age: listed, gaps filled, no new job$/m);
      expect(again.stdout).to.match(/\(0 downloaded, 18 already saved\)/);
      expect(again.stderr).to.not.match(/Statements job started/);
      expect(again.stderr.match(/synced: 6 PDFs, all already saved; fresh: no new job \(--max-age\)/g)).to.have.length(3);
    } finally {
      await sandbox.close();
    }
  });

  it("sandbox: today's options from flags (the 406 rule and --legacy-accept, webhooks to a URL), the webhook password never printed", async () => {
    const strict = startCli(['sandbox', '--port', '0', '--quiet']);
    const legacy = startCli(['sandbox', '--port', '0', '--quiet', '--legacy-accept', '--job-start-delay-ms', '0', '--too-soon-ms', '0',
      '--webhook-url', 'http://127.0.0.1:9/hooks', '--webhook-username', 'mx', '--webhook-password', HOOK_PASSWORD, '--max-connections', '50', '--headers-timeout-ms', '2000']);
    await strict.waitFor(/^listening on /m);
    await legacy.waitFor(/Webhooks go to/);
    const at = (c: typeof strict) => /^listening on (\S+)$/m.exec(c.stdout())?.[1] ?? '';
    const auth = { Authorization: `Basic ${Buffer.from('sandbox-client-id:sandbox-api-key').toString('base64')}` };
    const noVersion = (url: string) => fetch(`${url}/users`, { headers: auth, signal: AbortSignal.timeout(5_000) });
    expect((await noVersion(at(strict))).status).to.equal(406);
    expect((await noVersion(at(legacy))).status).to.equal(200);
    expect(legacy.stderr()).to.contain('Webhooks go to http://127.0.0.1:9/hooks (Basic auth as mx).');
    strict.child.kill('SIGTERM');
    legacy.child.kill('SIGTERM');
    const [a, b] = await Promise.all([strict.done(10_000), legacy.done(10_000)]);
    expect([a.code, b.code]).to.deep.equal([0, 0]);
    expectNoSecret(b);
  });
});

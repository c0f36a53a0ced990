import { expect } from 'chai';
import {
  DEMO, parseBaseUrl, parseDuration, parseInteger, parseRedirectUrl, parseRedisUrl, parseSeconds, resolveConnection, resolveFetchOptions,
  resolveSandboxOptions,
} from '../../lib/cli/options.js';
import { parseMembersFile, resolveSyncOptions, resolveWorkerOptions } from '../../lib/cli/sync-options.js';
import { expectUsageError } from './helpers.js';

/** A usage error naming `flag`, whose message names it too. */
const usage = (fn: () => unknown, flag: string, text?: RegExp): void => {
  const error = expectUsageError(fn, flag, text);
  expect(error.message).to.contain(flag.replace(/^--/, '').split('-')[0]);
};

describe('cli: options', () => {
  describe('single values', () => {
    it('parses seconds (decimals allowed) into milliseconds and names the flag on bad input', () => {
      expect(parseSeconds('--timeout', '1.5')).to.equal(1500);
      for (const bad of ['', 'abc', '0', '-3', 'Infinity']) usage(() => parseSeconds('--timeout', bad), '--timeout', /positive number/);
    });
    it('parses bounded integers', () => {
      expect(parseInteger('--concurrency', '8', 1, 64)).to.equal(8);
      for (const bad of ['0', '65', '2.5', 'x', '']) usage(() => parseInteger('--concurrency', bad, 1, 64), '--concurrency');
    });
    it('normalises base URLs and refuses credentials, queries and other protocols', () => {
      expect(parseBaseUrl('http://127.0.0.1:8080/')).to.equal('http://127.0.0.1:8080');
      usage(() => parseBaseUrl('not a url'), '--base-url', /not a URL/);
      usage(() => parseBaseUrl('ftp://x'), '--base-url', /http/);
      usage(() => parseBaseUrl('https://u:p@x'), '--base-url', /credentials/);
      usage(() => parseBaseUrl('https://x/?a=1'), '--base-url', /query/);
    });
  });

  describe('target and keys', () => {
    it('with no target, uses the embedded sandbox and needs no keys', () => {
      const o = resolveConnection({}, {});
      expect(o.target).to.deep.equal({ kind: 'sandbox' });
      expect(o.apiKey).to.equal(undefined);
    });
    it('refuses to start against an MX environment without keys, naming them', () => {
      usage(() => resolveConnection({ env: 'integration' }, {}), '--api-key', /MX_CLIENT_ID and MX_API_KEY/);
      usage(() => resolveConnection({ env: 'production' }, { MX_API_KEY: 'k' }), '--client-id', /MX_CLIENT_ID/);
      usage(() => resolveConnection({ env: 'production' }, { MX_CLIENT_ID: 'id' }), '--api-key', /MX_API_KEY/);
      usage(() => resolveConnection({ baseUrl: 'http://127.0.0.1:1' }, { MX_CLIENT_ID: 'id', MX_API_KEY: '  ' }), '--api-key');
    });
    it('takes keys from flags first, then from the environment', () => {
      const env = { MX_CLIENT_ID: 'env-id', MX_API_KEY: 'env-key' };
      expect(resolveConnection({ env: 'integration' }, env)).to.include({ clientId: 'env-id', apiKey: 'env-key' });
      expect(resolveConnection({ env: 'integration', apiKey: 'flag-key' }, env)).to.include({ clientId: 'env-id', apiKey: 'flag-key' });
    });
    it('refuses --base-url with --env, an unknown --env, and a client id with ":"', () => {
      usage(() => resolveConnection({ baseUrl: 'https://x', env: 'integration' }, {}), '--base-url', /together/);
      usage(() => resolveConnection({ env: 'staging' }, {}), '--env', /integration or production/);
      usage(() => resolveConnection({ env: 'integration', clientId: 'a:b', apiKey: 'k' }, {}), '--client-id');
    });
    it('reads --json and --timeout', () => {
      expect(resolveConnection({ json: true, timeout: '2' }, {})).to.include({ json: true, timeoutMs: 2000 });
    });
    it('reads --api-version and --rate-limit, refusing what the client could not use', () => {
      expect(resolveConnection({ apiVersion: 'v20250224', rateLimit: '2.5' }, {})).to.include({ apiVersion: 'v20250224', rateLimit: 2.5 });
      expect(resolveConnection({}, {})).to.not.have.any.keys('apiVersion', 'rateLimit');
      usage(() => resolveConnection({ apiVersion: 'v2' }, {}), '--api-version', /v20111101 or v20250224/);
      for (const bad of ['0', '-1', 'fast', '', '20000']) usage(() => resolveConnection({ rateLimit: bad }, {}), '--rate-limit', /greater than 0/);
    });
  });

  describe('fetch', () => {
    it('defaults to the MX Bank demo against the sandbox', () => {
      const o = resolveFetchOptions({}, {});
      expect(o.user).to.deep.equal({ id: DEMO.userId });
      expect(o.institution).to.deep.equal({ code: 'mxbank' });
      expect(o).to.include({ username: 'mxuser', password: 'password', out: './statements', download: true, onConflict: 'reuse' });
      expect(o.mfaAnswers).to.deep.equal([]);
    });
    it('gives no demo credentials against a real host', () => {
      const o = resolveFetchOptions({ env: 'integration' }, { MX_CLIENT_ID: 'i', MX_API_KEY: 'k' });
      expect(o.username).to.equal(undefined);
      expect(o.password).to.equal(undefined);
    });
    it('keeps repeated --mfa-answer values in order', () => {
      expect(resolveFetchOptions({ mfaAnswer: ['challenge', 'correct'] }, {}).mfaAnswers).to.deep.equal(['challenge', 'correct']);
      usage(() => resolveFetchOptions({ mfaAnswer: [''] }, {}), '--mfa-answer');
    });
    it('refuses conflicting or misplaced flags, naming them', () => {
      usage(() => resolveFetchOptions({ userId: 'a', userGuid: 'USR-1' }, {}), '--user-guid');
      usage(() => resolveFetchOptions({ institution: 'MX Bank', institutionCode: 'mxbank' }, {}), '--institution-code');
      usage(() => resolveFetchOptions({ onConflict: 'merge' }, {}), '--on-conflict');
      usage(() => resolveFetchOptions({ out: ' ' }, {}), '--out');
      usage(() => resolveFetchOptions({ aggregationMs: '10', baseUrl: 'http://127.0.0.1:1', clientId: 'i', apiKey: 'k' }, {}), '--aggregation-ms');
      usage(() => resolveFetchOptions({ env: 'production', clientId: 'i', apiKey: 'k' }, {}), '--user-id', /production/);
    });
    it('OAuth: --oauth-redirect-url (an absolute URL, an app scheme too; never javascript:) and --oauth-timeout (a duration or none)', () => {
      expect(resolveFetchOptions({}, {})).to.include({ oauthTimeoutMs: 30 * 60_000, requireContentHash: true }).and.not.have.property('oauthRedirectUrl');
      expect(resolveFetchOptions({ oauthRedirectUrl: 'myapp://mx-done', oauthTimeout: '1h30m', allowUnverified: true }, {}))
        .to.include({ oauthRedirectUrl: 'myapp://mx-done', oauthTimeoutMs: 5_400_000, requireContentHash: false });
      expect(resolveFetchOptions({ oauthTimeout: 'none' }, {}).oauthTimeoutMs).to.equal(Infinity);
      usage(() => resolveFetchOptions({ oauthRedirectUrl: 'javascript:alert(1)' }, {}), '--oauth-redirect-url', /javascript:/);
      usage(() => resolveFetchOptions({ oauthRedirectUrl: '/relative' }, {}), '--oauth-redirect-url', /absolute/);
      usage(() => resolveFetchOptions({ oauthTimeout: 'soon' }, {}), '--oauth-timeout', /duration or none/);
    });
    it('takes --no-download and an institution by name', () => {
      const o = resolveFetchOptions({ noDownload: true, institution: 'MX Bank' }, {});
      expect(o.download).to.equal(false);
      expect(o.institution).to.deep.equal({ name: 'MX Bank' });
    });
  });

  describe('values', () => {
    it('durations: units required, combinations and decimals, none only where allowed', () => {
      expect(parseDuration('--x', '90s')).to.equal(90_000);
      expect(parseDuration('--x', '30m')).to.equal(1_800_000);
      expect(parseDuration('--x', '30min')).to.equal(1_800_000);
      expect(parseDuration('--x', '1h30m')).to.equal(5_400_000);
      expect(parseDuration('--x', '1.5h')).to.equal(5_400_000);
      expect(parseDuration('--x', '2d')).to.equal(172_800_000);
      expect(parseDuration('--x', '250ms')).to.equal(250);
      expect(parseDuration('--x', 'NONE', true)).to.equal(Infinity);
      usage(() => parseDuration('--x', 'none'), '--x', /must be a duration,/);
      usage(() => parseDuration('--x', '5 minutes'), '--x');
      usage(() => parseDuration('--x', '0s'), '--x', /longer than 0/);
      usage(() => parseDuration('--x', '1h30'), '--x');
    });
    it('redirect and Redis URLs', () => {
      expect(parseRedirectUrl('--x', 'https://example.com/done?x=1')).to.equal('https://example.com/done?x=1');
      usage(() => parseRedirectUrl('--x', 'data:text/html,hi'), '--x');
      expect(parseRedisUrl('--queue', 'rediss://user:p%40ss@redis.internal:6380/2')).to.deep.equal({
        url: 'rediss://user:p%40ss@redis.internal:6380/2', password: 'p@ss', shown: 'rediss://user:***@redis.internal:6380/2',
      });
      expect(parseRedisUrl('--queue', 'redis://127.0.0.1:6379')).to.deep.equal({ url: 'redis://127.0.0.1:6379', shown: 'redis://127.0.0.1:6379' });
    });
  });

  describe('sync', () => {
    it('defaults and bounds', () => {
      expect(resolveSyncOptions({}, {})).to.include({ out: './statements', seedUsers: 3, requireContentHash: true }).and.not.have.property('concurrency');
      expect(resolveSyncOptions({ concurrency: '8', members: 'm.csv' }, {})).to.include({ concurrency: 8, membersFile: 'm.csv' });
      usage(() => resolveSyncOptions({ concurrency: '0' }, {}), '--concurrency');
      usage(() => resolveSyncOptions({ seedUsers: '2', env: 'integration', clientId: 'i', apiKey: 'k' }, {}), '--seed-users');
      expect(resolveSyncOptions({ aggregationMs: '50' }, {})).to.include({ aggregationMs: 50 });
      usage(() => resolveSyncOptions({ aggregationMs: '50', env: 'integration', clientId: 'i', apiKey: 'k' }, {}), '--aggregation-ms');
    });
    it('--max-age, --allow-unverified, --concurrency up to 1000 (rate-bound when unset)', () => {
      expect(resolveSyncOptions({ maxAge: '20h', allowUnverified: true, concurrency: '1000' }, {})).to.include({ maxAgeMs: 72_000_000, requireContentHash: false, concurrency: 1000 });
      usage(() => resolveSyncOptions({ concurrency: '1001' }, {}), '--concurrency');
      usage(() => resolveSyncOptions({ maxAge: '20' }, {}), '--max-age', /add a unit: 20s, 20m or 20h/);
    });
    it('--webhook-port: the receiver; a password is needed unless the embedded sandbox makes one up', () => {
      expect(resolveSyncOptions({ webhookPort: '0' }, {}).webhooks).to.deep.equal({ port: 0, host: '127.0.0.1', path: '/mx/webhooks', username: 'mx' });
      const remote = { env: 'integration', clientId: 'i', apiKey: 'k', webhookPort: '8080' };
      usage(() => resolveSyncOptions(remote, {}), '--webhook-password', /MX_WEBHOOK_PASSWORD/);
      expect(resolveSyncOptions(remote, { MX_WEBHOOK_PASSWORD: 'long-enough-pw' }).webhooks).to.include({ port: 8080, password: 'long-enough-pw' });
      expect(resolveSyncOptions({ ...remote, webhookPassword: 'from-the-flag', webhookHost: '0.0.0.0', webhookPath: '/hooks', webhookUsername: 'mxhooks' }, {}).webhooks)
        .to.deep.equal({ port: 8080, host: '0.0.0.0', path: '/hooks', username: 'mxhooks', password: 'from-the-flag' });
      usage(() => resolveSyncOptions({ webhookPassword: 'x'.repeat(12) }, {}), '--webhook-password', /needs --webhook-port/);
      usage(() => resolveSyncOptions({ webhookPort: '0', webhookPassword: 'short' }, {}), '--webhook-password', /at least 8/);
      usage(() => resolveSyncOptions({ webhookPort: '0', webhookPath: 'no-slash' }, {}), '--webhook-path');
      usage(() => resolveSyncOptions({ webhookPort: '70000' }, {}), '--webhook-port');
    });
    it('--queue: the Redis URL (its password apart, masked when shown); the workers own --out, --max-age, --concurrency…', () => {
      expect(resolveSyncOptions({ queue: 'redis://:s3cret-pw@127.0.0.1:6390', queueName: 'nightly' }, {}).queue)
        .to.deep.equal({ url: 'redis://:s3cret-pw@127.0.0.1:6390', password: 's3cret-pw', shown: 'redis://:***@127.0.0.1:6390', name: 'nightly' });
      usage(() => resolveSyncOptions({ queue: 'http://127.0.0.1:6379' }, {}), '--queue', /redis:\/\//);
      usage(() => resolveSyncOptions({ queue: 'redis://127.0.0.1:6379', out: './x' }, {}), '--out', /workers/);
      usage(() => resolveSyncOptions({ queue: 'redis://127.0.0.1:6379', maxAge: '1h' }, {}), '--max-age', /workers/);
      usage(() => resolveSyncOptions({ queue: 'redis://127.0.0.1:6379', webhookPort: '0' }, {}), '--webhook-port', /workers/);
      usage(() => resolveSyncOptions({ queueName: 'x' }, {}), '--queue-name', /needs --queue/);
      usage(() => resolveSyncOptions({ queue: 'redis://127.0.0.1:6379', queueName: 'a:b' }, {}), '--queue-name');
    });
    it('worker: --queue and a target are needed (its own embedded sandbox would not know the members)', () => {
      const keys = { MX_CLIENT_ID: 'id', MX_API_KEY: 'key' };
      expect(resolveWorkerOptions({ queue: 'redis://127.0.0.1:6379', baseUrl: 'http://127.0.0.1:4010', idleExit: '30s', rateLimit: '50' }, keys))
        .to.include({ concurrency: 100, out: './statements', idleExitMs: 30_000, rateLimit: 50, requireContentHash: true });
      usage(() => resolveWorkerOptions({ baseUrl: 'http://127.0.0.1:4010' }, keys), '--queue');
      usage(() => resolveWorkerOptions({ queue: 'redis://127.0.0.1:6379' }, keys), '--base-url', /target/);
    });
    it('parses a members file: comments, header, blanks, separators, duplicates', () => {
      const text = '# nightly\nuser_guid,member_guid\n\nUSR-1,MBR-1\nUSR-1\tMBR-2  # second\nUSR-2 MBR-3\nUSR-1,MBR-1\n';
      expect(parseMembersFile(text)).to.deep.equal([
        { userGuid: 'USR-1', memberGuid: 'MBR-1' },
        { userGuid: 'USR-1', memberGuid: 'MBR-2' },
        { userGuid: 'USR-2', memberGuid: 'MBR-3' },
      ]);
    });
    it('names the bad line of a members file, and refuses an empty one', () => {
      usage(() => parseMembersFile('USR-1,MBR-1\nUSR-2\n'), '--members', /line 2/);
      usage(() => parseMembersFile('USR-1,MBR-1,extra\n'), '--members', /line 1/);
      usage(() => parseMembersFile('# nothing\n'), '--members', /no members/);
    });
  });

  describe('sandbox', () => {
    it('maps flags onto SandboxOptions, with the standalone port 4010 by default', () => {
      const o = resolveSandboxOptions({ faults: '0.1', faultKinds: '503, reset', seedUsers: '5', corsOrigin: ['http://localhost:4200'], quiet: true });
      expect(o.log).to.equal(false);
      expect(o.sandbox).to.deep.include({ port: 4010, seedUsers: 5, cors: ['http://localhost:4200'] });
      expect(o.sandbox.faults).to.deep.equal({ rate: 0.1, kinds: ['503', 'reset'] });
      expect(resolveSandboxOptions({ port: '0' }).sandbox.port).to.equal(0);
    });
    it("maps the options of MX as it is today: versions, job start delay, too soon, webhooks, connection limits", () => {
      const o = resolveSandboxOptions({
        legacyAccept: true, jobStartDelayMs: '0', tooSoonMs: '60000', tooSoonMxBank: true, maxConnections: '50', headersTimeoutMs: '2000',
        webhookUrl: 'http://127.0.0.1:9/hooks', webhookUsername: 'mx', webhookPassword: 'hook-secret-1',
      });
      expect(o.sandbox).to.deep.include({
        legacyAccept: true, jobStartDelayMs: 0, tooSoonMs: 60_000, tooSoonMxBank: true, maxConnections: 50, headersTimeoutMs: 2000,
        webhooks: { url: 'http://127.0.0.1:9/hooks', username: 'mx', password: 'hook-secret-1' },
      });
      expect(resolveSandboxOptions({}).sandbox).to.not.have.any.keys('legacyAccept', 'jobStartDelayMs', 'tooSoonMs', 'webhooks', 'maxConnections');
      usage(() => resolveSandboxOptions({ webhookPassword: 'hook-secret-1' }), '--webhook-password', /--webhook-url/);
      usage(() => resolveSandboxOptions({ webhookUrl: 'http://127.0.0.1:9', webhookPassword: 'hook-secret-1' }), '--webhook-password', /--webhook-username/);
      usage(() => resolveSandboxOptions({ webhookUrl: 'http://127.0.0.1:9', webhookUsername: 'mx' }), '--webhook-username', /--webhook-password/);
      expect(resolveSandboxOptions({ webhookUrl: 'http://127.0.0.1:9' }).sandbox.webhooks).to.deep.equal({ url: 'http://127.0.0.1:9' });
      usage(() => resolveSandboxOptions({ webhookUrl: 'ftp://x' }), '--webhook-url');
      usage(() => resolveSandboxOptions({ webhookUrl: 'http://u:p@127.0.0.1:9' }), '--webhook-url', /credentials/);
      usage(() => resolveSandboxOptions({ maxConnections: '0' }), '--max-connections');
      usage(() => resolveSandboxOptions({ jobStartDelayMs: '-1' }), '--job-start-delay-ms');
    });
    it('refuses bad sandbox flags, naming them', () => {
      usage(() => resolveSandboxOptions({ port: '70000' }), '--port');
      usage(() => resolveSandboxOptions({ faults: '2' }), '--faults');
      usage(() => resolveSandboxOptions({ faults: '0.1', faultKinds: 'boom' }), '--fault-kinds', /unknown kind/);
      usage(() => resolveSandboxOptions({ faultKinds: '503' }), '--fault-kinds', /--faults/);
    });
  });
});

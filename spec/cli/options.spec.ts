import { expect } from 'chai';
import {
  DEMO, parseBaseUrl, parseInteger, parseMembersFile, parseSeconds, resolveConnection, resolveFetchOptions,
  resolveSandboxOptions, resolveSyncOptions,
} from '../../lib/cli/options.js';
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
    it('takes --no-download and an institution by name', () => {
      const o = resolveFetchOptions({ noDownload: true, institution: 'MX Bank' }, {});
      expect(o.download).to.equal(false);
      expect(o.institution).to.deep.equal({ name: 'MX Bank' });
    });
  });

  describe('sync', () => {
    it('defaults and bounds', () => {
      expect(resolveSyncOptions({}, {})).to.include({ concurrency: 4, out: './statements', seedUsers: 3 });
      expect(resolveSyncOptions({ concurrency: '8', members: 'm.csv' }, {})).to.include({ concurrency: 8, membersFile: 'm.csv' });
      usage(() => resolveSyncOptions({ concurrency: '0' }, {}), '--concurrency');
      usage(() => resolveSyncOptions({ seedUsers: '2', env: 'integration', clientId: 'i', apiKey: 'k' }, {}), '--seed-users');
      expect(resolveSyncOptions({ aggregationMs: '50' }, {})).to.include({ aggregationMs: 50 });
      usage(() => resolveSyncOptions({ aggregationMs: '50', env: 'integration', clientId: 'i', apiKey: 'k' }, {}), '--aggregation-ms');
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
    it('refuses bad sandbox flags, naming them', () => {
      usage(() => resolveSandboxOptions({ port: '70000' }), '--port');
      usage(() => resolveSandboxOptions({ faults: '2' }), '--faults');
      usage(() => resolveSandboxOptions({ faults: '0.1', faultKinds: 'boom' }), '--fault-kinds', /unknown kind/);
      usage(() => resolveSandboxOptions({ faultKinds: '503' }), '--fault-kinds', /--faults/);
    });
  });
});

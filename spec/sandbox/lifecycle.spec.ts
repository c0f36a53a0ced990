import { expect } from 'chai';
import { seedUserId, startSandbox, type SandboxOptions } from '../../lib/sandbox/index.js';
import { resolveOptions } from '../../lib/sandbox/options.js';
import { REAL_CLOCK } from '../../lib/sandbox/clock.js';
import { StatementStore } from '../../lib/sandbox/statements-store.js';
import { Api, expectErrorBody, startApi } from './helpers.js';

/** Runs a fixed scenario and returns every guid and hash it saw. */
const scenario = async (options: SandboxOptions): Promise<string[]> => {
  const api = await startApi({ aggregationMs: 10, ...options });
  try {
    const seen: string[] = [];
    const { u, m } = await api.userWithMember();
    seen.push(u, m);
    const f = await api.fetchStatements(u, m);
    seen.push(f.json.member.most_recent_job_guid);
    await api.settled(u, m);
    const list = await api.call('listStatementsByMember', 'GET', `/users/${u}/members/${m}/statements`);
    for (const s of list.json.statements) seen.push(s.guid, s.account_guid, s.content_hash);
    const c = await api.userWithMember('challenge');
    await api.fetchStatements(c.u, c.m);
    const st = await api.waitFor(c.u, c.m, (s) => s.connection_status === 'CHALLENGED');
    seen.push(c.u, c.m, ...(st.challenges as Array<{ guid: string }>).map((x) => x.guid));
    return seen;
  } finally {
    await api.sb.close();
  }
};

const resources = (): string[] => process.getActiveResourcesInfo().filter((r) => r !== 'TTYWrap').sort();

describe('sandbox: lifecycle, determinism, bounds', () => {
  it('is deterministic: two sandboxes with the same seed give identical guids and hashes; another seed differs', async () => {
    const a = await scenario({ seed: 'same' });
    const b = await scenario({ seed: 'same' });
    const c = await scenario({ seed: 'other' });
    expect(a).to.deep.equal(b);
    expect(a.length).to.be.greaterThan(20);
    expect(c[0]).to.not.equal(a[0]);
  });

  it('close() releases every handle: sockets (keep-alive included), timers, a CHALLENGED job', async () => {
    await new Promise((r) => setImmediate(r)); // past mocha's own per-test timer, set after the test's first tick
    const before = resources();
    // the real clock: its timers are what must be released
    const sb = await startSandbox({ aggregationMs: 10, challengeTtlMs: 60_000, latencyMs: 1, jobStartDelayMs: 50, clock: REAL_CLOCK });
    const api = new Api(sb);
    const { u, m } = await api.userWithMember('challenge');
    await api.fetchStatements(u, m);
    await api.waitFor(u, m, (s) => s.connection_status === 'CHALLENGED');
    const other = await api.userWithMember();
    await api.fetchStatements(other.u, other.m); // a job accepted, not yet begun: its start timer is pending
    const pending = api.call('readInstitution', 'GET', '/institutions/mxbank').catch(() => undefined);
    await sb.close();
    await pending;
    await sb.close(); // idempotent
    let after = resources();
    for (let i = 0; i < 50 && after.length > before.length; i++) {
      await new Promise((r) => setTimeout(r, 10));
      after = resources();
    }
    expect(after).to.deep.equal(before);
    const refused = await fetch(`${sb.url}/institutions`).then(() => 'answered', () => 'refused');
    expect(refused).to.equal('refused');
  });

  it('seedUsers: 1000 users with CONNECTED MX Bank members start in well under a second; statements ready', async () => {
    const t0 = Date.now();
    const sb = await startSandbox({ seedUsers: 1000, seed: 'seeded' });
    const elapsed = Date.now() - t0;
    const api = new Api(sb);
    try {
      expect(elapsed).to.be.below(1000);
      const users = await api.call('listUsers', 'GET', '/users?records_per_page=1000');
      expect(users.json.pagination.total_entries).to.equal(1000);
      const last = users.json.users[999];
      expect(last.id).to.equal(seedUserId(1000));
      const members = await api.call('listMembers', 'GET', `/users/${last.guid}/members`);
      expect(members.json.members).to.have.length(1);
      expect(members.json.members[0]).to.include({ institution_code: 'mxbank', connection_status: 'CONNECTED', is_being_aggregated: false });
      const st = await api.call('listStatementsByMember', 'GET', `/users/${last.guid}/members/${members.json.members[0].guid}/statements`);
      expect(st.json.statements).to.have.length(6);
      expect((await api.call('createUser', 'POST', '/users', { body: { user: { id: seedUserId(1) } } })).status).to.equal(409);
    } finally {
      await sb.close();
    }
  });

  it('bounds its state: 507 with a clear message beyond limits', async () => {
    const api = new Api(await startSandbox({ limits: { maxUsers: 2, maxMembersPerUser: 1 } }));
    try {
      const u = await api.createUser('a');
      await api.createUser('b');
      const third = await api.call('createUser', 'POST', '/users', { body: { user: { id: 'c' } } });
      expectErrorBody(third, 507);
      expect(third.json.error.message).to.contain('limits.maxUsers');
      expect((await api.createMember(u, 'p1')).status).to.equal(200);
      const second = await api.createMember(u, 'p2');
      expectErrorBody(second, 507);
      expect(second.json.error.message).to.contain('limits.maxMembersPerUser');
    } finally {
      await api.sb.close();
    }
  });

  it('turns an exception inside a handler into a 500 JSON error and keeps serving', async () => {
    // a statement store that throws makes listing statements fail inside the handler
    const lines: string[] = [];
    const list = StatementStore.prototype.list;
    StatementStore.prototype.list = () => Promise.reject(new Error('simulated failure'));
    const api = await startApi({ aggregationMs: 10, log: (l) => lines.push(l) });
    try {
      const { u, m } = await api.userWithMember();
      await api.fetchStatements(u, m);
      await api.settled(u, m);
      const res = await api.call('listStatementsByMember', 'GET', `/users/${u}/members/${m}/statements`);
      expectErrorBody(res, 500);
      expect((await api.call('readInstitution', 'GET', '/institutions/mxbank')).status).to.equal(200);
      expect(lines.some((l) => l.startsWith('internal error'))).to.equal(true);
    } finally {
      StatementStore.prototype.list = list;
      await api.sb.close();
    }
  });

  it('never logs the API key, the Authorization header, credential values or MFA answers', async () => {
    const lines: string[] = [];
    const apiKey = 'very-secret-key-123';
    const api = await startApi({ aggregationMs: 10, apiKey, log: (l) => lines.push(l) });
    try {
      const { u, m } = await api.userWithMember('challenge');
      await api.fetchStatements(u, m);
      const st = await api.waitFor(u, m, (s) => s.connection_status === 'CHALLENGED');
      await api.resume(u, m, [{ guid: (st.challenges as Array<{ guid: string }>)[0]?.guid ?? '', value: 'my-mfa-answer' }]);
      await api.settled(u, m);
      await fetch(`${api.sb.url}/users`, { headers: { Authorization: 'Basic bm90OnJpZ2h0', 'Accept-Version': 'v20111101' } });
    } finally {
      await api.sb.close();
    }
    const log = lines.join('\n');
    expect(lines.length).to.be.greaterThan(5);
    for (const secret of [apiKey, api.auth.slice(6), 'mxuser', 'challenge"', 'my-mfa-answer', 'bm90OnJpZ2h0']) {
      expect(log).to.not.contain(secret);
    }
  });

  it('refuses bad options with a RangeError naming the option', () => {
    expect(() => resolveOptions({ aggregationMs: -1 })).to.throw(RangeError, /aggregationMs/);
    expect(() => resolveOptions({ faults: { rate: 2 } })).to.throw(RangeError, /faults.rate/);
    expect(() => resolveOptions({ faults: { rate: 0.5, kinds: ['nope' as never] } })).to.throw(RangeError, /fault kind/);
    expect(() => resolveOptions({ clientId: 'a:b' })).to.throw(RangeError, /clientId/);
    expect(() => resolveOptions({ rateLimit: 0 })).to.throw(RangeError, /rateLimit/);
    expect(() => resolveOptions({ referenceDate: '2026-13-45' })).to.throw(RangeError, /referenceDate/);
    expect(() => resolveOptions({ jobStartDelayMs: -5 })).to.throw(RangeError, /jobStartDelayMs/);
    expect(() => resolveOptions({ tooSoonMs: 1.5 })).to.throw(RangeError, /tooSoonMs/);
    expect(() => resolveOptions({ maxConnections: 0 })).to.throw(RangeError, /maxConnections/);
    expect(() => resolveOptions({ headersTimeoutMs: 0 })).to.throw(RangeError, /headersTimeoutMs/);
    expect(() => resolveOptions({ webhooks: { url: 'ftp://x' } })).to.throw(RangeError, /webhooks.url/);
    expect(() => resolveOptions({ webhooks: { url: 'http://127.0.0.1:1/h', username: 'u' } })).to.throw(RangeError, /go together/);
    expect(() => resolveOptions({ webhooks: { url: 'http://127.0.0.1:1/h', retryDelaysMs: [-1] } })).to.throw(RangeError, /retryDelaysMs/);
    expect(() => resolveOptions({ clock: {} as never })).to.throw(RangeError, /clock/);
    expect(resolveOptions({ seedUsers: 20_000 }).limits.maxUsers).to.equal(20_000);
    const d = resolveOptions();
    expect(d).to.include({ legacyAccept: false, jobStartDelayMs: 100, tooSoonMs: 3 * 3600 * 1000, tooSoonMxBank: false, maxConnections: 2000, headersTimeoutMs: 10_000 });
    expect(d.webhooks).to.equal(undefined);
    const w = resolveOptions({ webhooks: { url: 'http://127.0.0.1:1/h', username: 'u', password: 'p' } }).webhooks;
    expect(w?.retryDelaysMs).to.have.length(12);
    expect(w?.authorization).to.equal(`Basic ${Buffer.from('u:p').toString('base64')}`);
  });
});

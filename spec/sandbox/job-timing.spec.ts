import { expect } from 'chai';
import { type SandboxOptions } from '../../lib/sandbox/index.js';
import { SANDBOX_API_VERSIONS } from '../../lib/sandbox/versions.js';
import { expectErrorBody, withApi, type Api } from './helpers.js';

const HOUR = 3600 * 1000;

/** A member of `code` created (v20111101, skip_aggregation) with a generic password, credentials filled in. */
const memberAt = async (api: Api, code: string): Promise<{ u: string; m: string }> => {
  const u = await api.createUser();
  const creds = (await api.call('listInstitutionCredentials', 'GET', `/institutions/${code}/credentials`)).json.credentials as Array<{ guid: string }>;
  const res = await api.call('createMember', 'POST', `/users/${u}/members`, {
    body: { member: { institution_code: code, skip_aggregation: true, credentials: creds.map((c) => ({ guid: c.guid, value: 'password' })) } },
  });
  expect(res.status).to.equal(200);
  return { u, m: res.json.member.guid as string };
};

const readMember = async (api: Api, u: string, m: string) => (await api.call('readMember', 'GET', `/users/${u}/members/${m}`)).json.member;

describe('sandbox: job timing as MX does it (start delay, stale status, too soon)', () => {
  for (const version of SANDBOX_API_VERSIONS) {
    it(`${version}: a job begins jobStartDelayMs after its 202; meanwhile the status is the previous CONNECTED and a second POST joins`, async () => {
      await withApi({ aggregationMs: 40, jobStartDelayMs: 100 }, async (v1) => {
        const api = v1.in(version);
        const { u, m } = await v1.userWithMember();
        await api.fetchStatements(u, m);
        const first = await api.waitFor(u, m, (s) => s.connection_status === 'CONNECTED' && s.is_being_aggregated === false);
        const before = await readMember(api, u, m);
        expect(before.most_recent_job_guid).to.be.a('string');

        const accepted = await api.fetchStatements(u, m);
        expect(accepted.status).to.equal(202);
        expect(accepted.headers.get('x-mx-sandbox-job')).to.equal('started');
        // the 202 and the status still show the previous job: a naive client would declare success here
        expect(accepted.json.member).to.include({ connection_status: 'CONNECTED', is_being_aggregated: false, most_recent_job_guid: before.most_recent_job_guid });
        const stale = (await api.status(u, m)).json.member;
        expect(stale).to.include({ connection_status: 'CONNECTED', is_being_aggregated: false, aggregated_at: first.aggregated_at });

        api.clock?.advance(50);
        const joined = await api.fetchStatements(u, m);
        expect(joined.status).to.equal(202);
        expect(joined.headers.get('x-mx-sandbox-job')).to.equal('joined');
        expectErrorBody(await api.call('aggregateMember', 'POST', `/users/${u}/members/${m}/aggregate`), 409);

        api.clock?.advance(49);
        expect((await api.status(u, m)).json.member.is_being_aggregated, 'still before the start').to.equal(false);
        api.clock?.advance(1);
        const running = (await api.status(u, m)).json.member;
        expect(running).to.include({ is_being_aggregated: true, connection_status: 'CONNECTED' });
        expect(running.aggregated_at).to.not.equal(first.aggregated_at);
        const during = await readMember(api, u, m);
        expect(during.most_recent_job_guid).to.not.equal(before.most_recent_job_guid);
        // the joined request got no job of its own
        expect(during.most_recent_job_guid).to.match(/^JOB-/);

        api.clock?.advance(40);
        const done = (await api.status(u, m)).json.member;
        expect(done).to.include({ connection_status: 'CONNECTED', is_being_aggregated: false });
        expect(Date.parse(done.successfully_aggregated_at)).to.be.above(Date.parse(first.successfully_aggregated_at as string));
        expect((await readMember(api, u, m)).most_recent_job_guid).to.equal(during.most_recent_job_guid);
      });
    });
  }

  it('a new member stays CREATED and not aggregating until its first job begins; jobStartDelayMs 0 begins at once', async () => {
    await withApi({ aggregationMs: 40, jobStartDelayMs: 100 }, async (api) => {
      const created = await api.createMember(await api.createUser(), 'password', { skip_aggregation: false });
      expect(created.status).to.equal(202);
      expect(created.json.member).to.include({ connection_status: 'CREATED', is_being_aggregated: false, aggregated_at: null, most_recent_job_guid: null });
      api.clock?.advance(100);
      const begun = await readMember(api, created.json.member.user_guid, created.json.member.guid);
      expect(begun.is_being_aggregated).to.equal(true);
      expect(begun.most_recent_job_guid).to.match(/^JOB-/);
    });
    await withApi({ aggregationMs: 40, jobStartDelayMs: 0 }, async (api) => {
      const created = await api.createMember(await api.createUser(), 'password', { skip_aggregation: false });
      expect(created.json.member).to.include({ is_being_aggregated: true });
      expect(created.json.member.aggregated_at).to.be.a('string');
    });
  });

  it('deleting a member whose job is accepted but not begun leaves no timer behind', async () => {
    await withApi({ aggregationMs: 40, jobStartDelayMs: 100 }, async (api) => {
      const { u, m } = await api.userWithMember();
      const pending = api.clock?.pending ?? 0;
      await api.fetchStatements(u, m);
      expect(api.clock?.pending).to.equal(pending + 1);
      expect((await api.call('deleteMember', 'DELETE', `/users/${u}/members/${m}`)).status).to.equal(204);
      expect(api.clock?.pending).to.equal(pending);
    });
  });

  describe('too soon', () => {
    const options: SandboxOptions = { aggregationMs: 40, jobStartDelayMs: 10 };

    /** Runs a job of `path` to its end and returns the member. */
    const run = async (api: Api, u: string, m: string, path: 'fetch_statements' | 'aggregate') => {
      const res = await api.call('auto', 'POST', `/users/${u}/members/${m}/${path}`);
      expect(res.status).to.equal(202);
      api.clock?.advance(50);
      return { res, member: await readMember(api, u, m) };
    };

    it('another institution: a new job of the same kind within tooSoonMs of the last success is a 202 that starts nothing', async () => {
      await withApi(options, async (api) => {
        const { u, m } = await memberAt(api, 'alpine_savings');
        const first = await run(api, u, m, 'fetch_statements');
        expect(first.res.headers.get('x-mx-sandbox-job')).to.equal('started');
        expect(first.member.connection_status).to.equal('CONNECTED');

        api.clock?.advance(2 * HOUR);
        const again = await run(api, u, m, 'fetch_statements');
        expect(again.res.headers.get('x-mx-sandbox-job')).to.equal('too-soon');
        // how a client tells: nothing ever moves (same job, same aggregated_at, never aggregating)
        expect(again.res.json.member).to.include({ is_being_aggregated: false, most_recent_job_guid: first.member.most_recent_job_guid });
        expect(again.member).to.include({ most_recent_job_guid: first.member.most_recent_job_guid, aggregated_at: first.member.aggregated_at });
        expect(api.clock?.pending).to.equal(0);

        // another kind has its own window (none yet for aggregate)
        expect((await run(api, u, m, 'aggregate')).res.headers.get('x-mx-sandbox-job')).to.equal('started');
        expect((await run(api, u, m, 'aggregate')).res.headers.get('x-mx-sandbox-job')).to.equal('too-soon');

        api.clock?.advance(HOUR); // 3 h after the first statements job
        const later = await run(api, u, m, 'fetch_statements');
        expect(later.res.headers.get('x-mx-sandbox-job')).to.equal('started');
        expect(later.member.most_recent_job_guid).to.not.equal(first.member.most_recent_job_guid);
      });
    });

    it('a failed job does not count: the next request starts at once', async () => {
      await withApi(options, async (api) => {
        const u = await api.createUser();
        const creds = (await api.call('listInstitutionCredentials', 'GET', '/institutions/alpine_savings/credentials')).json.credentials as Array<{ guid: string; field_name: string }>;
        const created = await api.call('createMember', 'POST', `/users/${u}/members`, {
          body: { member: { institution_code: 'alpine_savings', skip_aggregation: true, credentials: creds.map((c) => ({ guid: c.guid, value: c.field_name === 'PASSWORD' ? 'SERVER_ERROR' : 'me' })) } },
        });
        const m = created.json.member.guid as string;
        expect((await run(api, u, m, 'fetch_statements')).member.connection_status).to.equal('FAILED');
        expect((await run(api, u, m, 'fetch_statements')).res.headers.get('x-mx-sandbox-job')).to.equal('started');
      });
    });

    it('MX Bank has no such limit unless tooSoonMxBank; tooSoonMs 0 turns it off everywhere', async () => {
      await withApi(options, async (api) => {
        const { u, m } = await api.userWithMember();
        await run(api, u, m, 'fetch_statements');
        expect((await run(api, u, m, 'fetch_statements')).res.headers.get('x-mx-sandbox-job')).to.equal('started');
      });
      await withApi({ ...options, tooSoonMxBank: true, tooSoonMs: 60_000 }, async (api) => {
        const { u, m } = await api.userWithMember();
        await run(api, u, m, 'fetch_statements');
        expect((await run(api, u, m, 'fetch_statements')).res.headers.get('x-mx-sandbox-job')).to.equal('too-soon');
        api.clock?.advance(60_000);
        expect((await run(api, u, m, 'fetch_statements')).res.headers.get('x-mx-sandbox-job')).to.equal('started');
      });
      await withApi({ ...options, tooSoonMs: 0 }, async (api) => {
        const { u, m } = await memberAt(api, 'alpine_savings');
        await run(api, u, m, 'fetch_statements');
        expect((await run(api, u, m, 'fetch_statements')).res.headers.get('x-mx-sandbox-job')).to.equal('started');
      });
    });

    it('member creation and new credentials are never too soon', async () => {
      await withApi(options, async (api) => {
        const { u, m } = await memberAt(api, 'alpine_savings');
        await run(api, u, m, 'aggregate');
        const creds = (await api.call('listInstitutionCredentials', 'GET', '/institutions/alpine_savings/credentials')).json.credentials as Array<{ guid: string; field_name: string }>;
        const password = creds.find((c) => c.field_name === 'PASSWORD')?.guid ?? '';
        const updated = await api.call('updateMember', 'PUT', `/users/${u}/members/${m}`, { body: { member: { credentials: [{ guid: password, value: 'new-password' }] } } });
        expect(updated.status).to.equal(200);
        api.clock?.advance(10);
        expect((await readMember(api, u, m)).is_being_aggregated).to.equal(true);
      });
    });
  });
});

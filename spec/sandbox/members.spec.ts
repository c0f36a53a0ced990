import { expect } from 'chai';
import { useSandbox } from './helpers.js';

describe('sandbox: members', () => {
  const api = useSandbox({ aggregationMs: 60 });

  it('creates with a standard aggregation: 202, is_being_aggregated, then CONNECTED', async () => {
    const u = await api().createUser();
    const res = await api().createMember(u, 'password', { skip_aggregation: false, id: 'm-1', metadata: 'meta', use_cases: ['PFM'] });
    expect(res.status).to.equal(202);
    const m = res.json.member;
    expect(m.guid).to.match(/^MBR-[0-9a-f]{32}$/);
    expect(m).to.include({ user_guid: u, institution_code: 'mxbank', id: 'm-1', metadata: 'meta', is_being_aggregated: true, name: 'MX Bank' });
    expect(m.use_cases).to.deep.equal(['PFM']);
    expect(m.most_recent_job_guid).to.match(/^JOB-[0-9a-f]{32}$/);
    expect(m.aggregated_at).to.be.a('string');
    const end = await api().settled(u, m.guid);
    expect(end).to.include({ connection_status: 'CONNECTED', is_being_aggregated: false, is_authenticated: true });
    expect(end.successfully_aggregated_at).to.be.a('string');
  });

  it('creates with skip_aggregation: 200, CREATED, no job', async () => {
    const u = await api().createUser();
    const res = await api().createMember(u, 'password');
    expect(res.status).to.equal(200);
    expect(res.json.member).to.include({ connection_status: 'CREATED', is_being_aggregated: false, aggregated_at: null });
  });

  it('refuses a duplicate (same user, institution and credentials) and a reused member id with 409', async () => {
    const u = await api().createUser();
    expect((await api().createMember(u, 'same', { id: 'a' })).status).to.equal(200);
    expect((await api().createMember(u, 'same', { id: 'b' })).status).to.equal(409);
    expect((await api().createMember(u, 'other', { id: 'a' })).status).to.equal(409);
    expect((await api().createMember(u, 'other', { id: 'c' })).status).to.equal(200);
    // another user may hold the same credentials and ids
    const u2 = await api().createUser();
    expect((await api().createMember(u2, 'same', { id: 'a' })).status).to.equal(200);
  });

  it('answers 400 for missing or malformed member fields, 404 for an unknown user or institution', async () => {
    const u = await api().createUser();
    const { login, password } = await api().mxBankCredentials();
    const creds = [{ guid: login, value: 'x' }, { guid: password, value: 'y' }];
    const bad: unknown[] = [
      {},
      { member: {} },
      { member: { credentials: creds } },
      { member: { institution_code: 'mxbank' } },
      { member: { institution_code: 'mxbank', credentials: [] } },
      { member: { institution_code: 'mxbank', credentials: 'x' } },
      { member: { institution_code: 'mxbank', credentials: [{ guid: login }] } },
      { member: { institution_code: 'mxbank', credentials: [{ guid: 'CRD-nope', value: 'v' }] } },
      { member: { institution_code: 'mxbank', credentials: creds, skip_aggregation: 'yes' } },
      { member: { institution_code: 'mxbank', credentials: creds, use_cases: ['NOPE'] } },
      { member: { institution_code: 42, credentials: creds } },
      { member: { institution_code: 'mxbank', credentials: creds }, referral_source: 'TV' },
    ];
    for (const body of bad) {
      const res = await api().call('createMember', 'POST', `/users/${u}/members`, { body });
      expect(res.status, JSON.stringify(body)).to.equal(400);
    }
    const unknownInst = await api().call('createMember', 'POST', `/users/${u}/members`, {
      body: { member: { institution_code: 'nope', credentials: creds } },
    });
    expect(unknownInst.status).to.equal(404);
    const unknownUser = await api().call('createMember', 'POST', '/users/USR-nope/members', {
      body: { member: { institution_code: 'mxbank', credentials: creds } },
    });
    expect(unknownUser.status).to.equal(404);
  });

  it('reads, lists (paginated) and 404s unknown members', async () => {
    const u = await api().createUser();
    for (let i = 0; i < 11; i++) await api().createMember(u, `pw-${i}`);
    const list = await api().call('listMembers', 'GET', `/users/${u}/members?records_per_page=10`);
    expect(list.json.members).to.have.length(10);
    expect(list.json.pagination).to.deep.equal({ current_page: 1, per_page: 10, total_entries: 11, total_pages: 2 });
    const first = list.json.members[0];
    const read = await api().call('readMember', 'GET', `/users/${u}/members/${first.guid}`);
    expect(read.json.member).to.deep.equal(first);
    expect((await api().call('readMember', 'GET', `/users/${u}/members/MBR-nope`)).status).to.equal(404);
    expect((await api().call('readMember', 'GET', `/users/USR-nope/members/${first.guid}`)).status).to.equal(404);
    expect((await api().call('listMembers', 'GET', '/users/USR-nope/members')).status).to.equal(404);
  });

  it('updates a member: fields, a new password starts an aggregation, 409 for a taken id, 400 for an empty body', async () => {
    const u = await api().createUser();
    const { m } = { m: (await api().createMember(u, 'UNAUTHORIZED', { id: 'x1' })).json.member.guid as string };
    await api().createMember(u, 'password', { id: 'x2' });
    const { password } = await api().mxBankCredentials();
    const upd = await api().call('updateMember', 'PUT', `/users/${u}/members/${m}`, {
      body: { member: { metadata: 'new', credentials: [{ guid: password, value: 'password' }] } },
    });
    expect(upd.status).to.equal(200);
    expect(upd.json.member).to.include({ metadata: 'new', is_being_aggregated: true, connection_status: 'UPDATED' });
    expect((await api().settled(u, m)).connection_status).to.equal('CONNECTED');
    const taken = await api().call('updateMember', 'PUT', `/users/${u}/members/${m}`, { body: { member: { id: 'x2' } } });
    expect(taken.status).to.equal(409);
    expect((await api().call('updateMember', 'PUT', `/users/${u}/members/${m}`, { body: { member: {} } })).status).to.equal(400);
    expect((await api().call('updateMember', 'PUT', `/users/${u}/members/${m}`, {})).status).to.equal(400);
    expect((await api().call('updateMember', 'PUT', `/users/${u}/members/MBR-nope`, { body: { member: { id: 'z' } } })).status).to.equal(404);
  });

  it('deletes a member (204), then 404', async () => {
    const { u, m } = await api().userWithMember();
    expect((await api().call('deleteMember', 'DELETE', `/users/${u}/members/${m}`)).status).to.equal(204);
    expect((await api().call('readMember', 'GET', `/users/${u}/members/${m}`)).status).to.equal(404);
    expect((await api().call('deleteMember', 'DELETE', `/users/${u}/members/${m}`)).status).to.equal(404);
  });

  it('aggregates: 202, 202 again while it runs (same job), 409 for fetch_statements meanwhile', async () => {
    const { u, m } = await api().userWithMember();
    const a1 = await api().call('aggregateMember', 'POST', `/users/${u}/members/${m}/aggregate`);
    expect(a1.status).to.equal(202);
    expect(a1.json.member.is_being_aggregated).to.equal(true);
    const a2 = await api().call('aggregateMember', 'POST', `/users/${u}/members/${m}/aggregate?include_transactions=false`);
    expect(a2.status).to.equal(202);
    expect(a2.json.member.most_recent_job_guid).to.equal(a1.json.member.most_recent_job_guid);
    expect((await api().fetchStatements(u, m)).status).to.equal(409);
    await api().settled(u, m);
    expect((await api().call('aggregateMember', 'POST', `/users/${u}/members/${m}/aggregate`)).status).to.equal(202);
    expect((await api().call('aggregateMember', 'POST', `/users/${u}/members/MBR-nope/aggregate`)).status).to.equal(404);
  });

  it('reads the member status (MemberStatusResponse) and 404s an unknown member', async () => {
    const { u, m } = await api().userWithMember();
    const s = await api().status(u, m);
    expect(s.json.member).to.include({ guid: m, connection_status: 'CREATED', is_being_aggregated: false });
    expect(s.json.member.challenges).to.deep.equal([]);
    expect((await api().call('readMemberStatus', 'GET', `/users/${u}/members/MBR-nope/status`)).status).to.equal(404);
  });

  it('creates an OAuth member of mx_bank_oauth: 200, PENDING, a one-time oauth_window_uri; no job before authorization', async () => {
    const u = await api().createUser();
    const res = await api().call('createMember', 'POST', `/users/${u}/members`, {
      body: { member: { institution_code: 'mx_bank_oauth', credentials: [], is_oauth: true } },
    });
    expect(res.status).to.equal(200);
    expect(res.json.member).to.include({ connection_status: 'PENDING', is_oauth: true, is_being_aggregated: false });
    expect(res.json.member.oauth_window_uri).to.match(new RegExp(`^${api().sb.url}/oauth/window/[0-9a-f]{32}$`));
    const m = res.json.member.guid as string;
    expect((await api().fetchStatements(u, m)).status).to.equal(400);
    expect((await api().call('aggregateMember', 'POST', `/users/${u}/members/${m}/aggregate`)).status).to.equal(400);
    const notOauth = await api().call('createMember', 'POST', `/users/${u}/members`, {
      body: { member: { institution_code: 'alpine_savings', credentials: [], is_oauth: true } },
    });
    expect(notOauth.status).to.equal(400);
  });
});

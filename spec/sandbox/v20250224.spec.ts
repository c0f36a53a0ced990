import { createHash } from 'node:crypto';
import { expect } from 'chai';
import { SUPPORTED_PRODUCTS } from '../../lib/sandbox/products.js';
import { expectErrorBody, PDF_ACCEPT, useSandbox, type Api } from './helpers.js';

interface Institution {
  code: string;
  guid: string;
  supported_products: string[];
  iso_country_code: string;
}

/** The v20250224 create body of an MX Bank member. */
const mxBankBody = async (api: Api, password: string, extra: Record<string, unknown> = {}, member: Record<string, unknown> = {}) => {
  const { login, password: pw } = await api.mxBankCredentials();
  return {
    member: { institution_code: 'mxbank', credentials: [{ guid: login, value: 'mxuser' }, { guid: pw, value: password }], ...member },
    ...extra,
  };
};

describe('sandbox: API v20250224', () => {
  // every answer below is validated against v20250224.yml by the helper (media type application/json too)
  const v2 = useSandbox({ aggregationMs: 40 }, 'v20250224');

  describe('institutions', () => {
    it('carry supported_products, guid, created_at and is_hidden, and no supports_* product flags', async () => {
      const res = await v2().call('listInstitutions', 'GET', '/institutions?records_per_page=100');
      const all = res.json.institutions as Institution[];
      expect(all.length).to.be.at.least(30);
      for (const i of all) {
        expect(i.guid).to.match(/^INS-[0-9a-f]{32}$/);
        expect(i).to.include.keys('created_at', 'is_hidden', 'supports_oauth');
        expect(i).to.not.have.any.keys('supports_account_statement', 'supports_account_identification', 'supports_account_verification', 'supports_transaction_history');
        for (const p of i.supported_products) expect(SUPPORTED_PRODUCTS).to.include(p);
        expect(['US', 'CA']).to.include(i.iso_country_code);
      }
      const mxbank = all.find((i) => i.code === 'mxbank');
      expect(mxbank?.supported_products).to.include.members(['statements', 'transactions']);
      expect(all.some((i) => !i.supported_products.includes('statements'))).to.equal(true);
    });

    it('filter on supported_products (repeated, [] or comma form; `history` = transaction_history); 400 for an unknown product', async () => {
      const statements = await v2().call('listInstitutions', 'GET', '/institutions?name=mx%20bank&supported_products=statements');
      expect((statements.json.institutions as Institution[]).map((i) => i.code)).to.deep.equal(['mxbank', 'mx_bank_oauth']);
      const total = (q: string) => v2().call('listInstitutions', 'GET', `/institutions?records_per_page=100&${q}`).then((r) => r.json.pagination.total_entries as number);
      const all = await total('');
      const withStatements = await total('supported_products=statements');
      expect(withStatements).to.be.above(0).and.below(all);
      expect(await total('supported_products[]=statements')).to.equal(withStatements);
      const both = await total('supported_products=statements&supported_products=account_verification');
      expect(both).to.equal(await total('supported_products=statements,account_verification'));
      expect(both).to.be.at.most(withStatements);
      expect(await total('supported_products=history')).to.equal(await total('supported_products=transaction_history'));
      expectErrorBody(await v2().call('listInstitutions', 'GET', '/institutions?supported_products=pizza'), 400);
    });

    it("refuse the other version's product filter with a clear 400", async () => {
      const old = await v2().call('listInstitutions', 'GET', '/institutions?supports_account_statement=true');
      expectErrorBody(old, 400);
      expect(old.json.error.message).to.contain('supported_products');
      const v1 = v2().in('v20111101');
      const new1 = await v1.call('listInstitutions', 'GET', '/institutions?supported_products=statements');
      expectErrorBody(new1, 400);
      expect(new1.json.error.message).to.contain('supports_account_statement');
    });

    it('list credentials by institution code or guid (v20111101: by code only)', async () => {
      const mxbank = (await v2().call('readInstitution', 'GET', '/institutions/mxbank')).json.institution as Institution;
      const byCode = await v2().call('listInstitutionCredentials', 'GET', '/institutions/mxbank/credentials');
      const byGuid = await v2().call('listInstitutionCredentials', 'GET', `/institutions/${mxbank.guid}/credentials`);
      expect(byGuid.json).to.deep.equal(byCode.json);
      expect(byCode.json.credentials.map((c: { field_name: string }) => c.field_name)).to.deep.equal(['LOGIN', 'PASSWORD']);
      expectErrorBody(await v2().in('v20111101').call('listInstitutionCredentials', 'GET', `/institutions/${mxbank.guid}/credentials`), 404);
    });
  });

  describe('identifiers', () => {
    it('user- and member-scoped paths take your own id or the guid; statement paths take guids only', async () => {
      const created = await v2().call('createUser', 'POST', '/users', { body: { user: { id: 'v2-user' } } });
      const u = created.json.user.guid as string;
      expect(created.json.user).to.not.have.property('email'); // v20250224 types email as a non-null string
      expect((await v2().call('readUser', 'GET', '/users/v2-user')).json.user.guid).to.equal(u);
      expectErrorBody(await v2().in('v20111101').call('readUser', 'GET', '/users/v2-user'), 404);
      const member = await v2().call('createMember', 'POST', '/users/v2-user/members', {
        body: await mxBankBody(v2(), 'password', { data_request: { products: ['statements'] } }, { id: 'v2-member' }),
      });
      expect(member.status).to.equal(202);
      const m = member.json.member.guid as string;
      expect(member.json.member).to.include({ id: 'v2-member', user_guid: u });
      expect((await v2().call('readMember', 'GET', '/users/v2-user/members/v2-member')).json.member.guid).to.equal(m);
      expect((await v2().call('readMember', 'GET', `/users/${u}/members/v2-member`)).json.member.guid).to.equal(m);
      expect((await v2().call('listMembers', 'GET', '/users/v2-user/members')).json.members).to.have.length(1);
      const end = await v2().settled('v2-user', 'v2-member');
      expect(end).to.include({ guid: m, connection_status: 'CONNECTED' });
      const list = await v2().call('listStatementsByMember', 'GET', `/users/${u}/members/${m}/statements`);
      expect(list.json.statements).to.have.length(6);
      expectErrorBody(await v2().call('listStatementsByMember', 'GET', '/users/v2-user/members/v2-member/statements'), 404);
      expectErrorBody(await v2().call('readMember', 'GET', '/users/v2-user/members/nope'), 404);
      expect((await v2().call('deleteMember', 'DELETE', '/users/v2-user/members/v2-member')).status).to.equal(204);
      expect((await v2().call('deleteUser', 'DELETE', '/users/v2-user')).status).to.equal(204);
      expectErrorBody(await v2().call('readUser', 'GET', `/users/${u}`), 404);
    });
  });

  describe('member creation', () => {
    it('data_request.products with statements starts a statements job: a fetch_statements meanwhile joins it (202)', async () => {
      const u = await v2().createUser();
      const created = await v2().call('createMember', 'POST', `/users/${u}/members`, {
        body: await mxBankBody(v2(), 'password', { data_request: { products: ['transactions', 'statements'] } }),
      });
      expect(created.status).to.equal(202);
      const m = created.json.member.guid as string;
      expect(created.json.member).to.include({ connection_status: 'CREATED', is_being_aggregated: true });
      expect(created.json.member.most_recent_job_guid).to.be.a('string').and.match(/^JOB-/);
      const joined = await v2().fetchStatements(u, m);
      expect(joined.status).to.equal(202);
      expect(joined.headers.get('x-mx-sandbox-job')).to.equal('joined');
      expect(joined.json.member.most_recent_job_guid).to.equal(created.json.member.most_recent_job_guid);
      expect((await v2().settled(u, m)).connection_status).to.equal('CONNECTED');
      expect((await v2().call('listStatementsByMember', 'GET', `/users/${u}/members/${m}/statements`)).json.statements).to.have.length(6);
    });

    it('without statements among the products (or without data_request) it is a standard aggregation: fetch_statements meanwhile → 409', async () => {
      for (const extra of [{ data_request: { products: ['transactions'] } }, {}]) {
        const u = await v2().createUser();
        const created = await v2().call('createMember', 'POST', `/users/${u}/members`, { body: await mxBankBody(v2(), 'password', extra) });
        expect(created.status, JSON.stringify(extra)).to.equal(202);
        const m = created.json.member.guid as string;
        expectErrorBody(await v2().fetchStatements(u, m), 409);
        expect((await v2().settled(u, m)).connection_status).to.equal('CONNECTED');
        expect((await v2().call('listStatementsByMember', 'GET', `/users/${u}/members/${m}/statements`)).json.statements).to.deep.equal([]);
        const started = await v2().fetchStatements(u, m);
        expect(started.headers.get('x-mx-sandbox-job')).to.equal('started');
        await v2().waitFor(u, m, (s) => s.is_being_aggregated === true);
        expect((await v2().settled(u, m)).connection_status).to.equal('CONNECTED');
        expect((await v2().call('listStatementsByMember', 'GET', `/users/${u}/members/${m}/statements`)).json.statements).to.have.length(6);
      }
    });

    it('refuses what v20250224 does not take: skip_aggregation, data_request without products, unknown or unsupported products', async () => {
      const u = await v2().createUser();
      const bad: Array<[Record<string, unknown>, Record<string, unknown>, string]> = [
        [{}, { skip_aggregation: true }, 'skip_aggregation'],
        [{ data_request: {} }, {}, 'products is required'],
        [{ data_request: { products: [] } }, {}, 'non-empty'],
        [{ data_request: { products: 'statements' } }, {}, 'non-empty'],
        [{ data_request: { products: ['pizza'] } }, {}, 'one of'],
        [{ data_request: 'statements' }, {}, 'data_request'],
      ];
      for (const [extra, member, message] of bad) {
        const res = await v2().call('createMember', 'POST', `/users/${u}/members`, { body: await mxBankBody(v2(), 'password', extra, member) });
        expectErrorBody(res, 400);
        expect(res.json.error.message, JSON.stringify([extra, member])).to.contain(message);
      }
      const creds = (await v2().call('listInstitutionCredentials', 'GET', '/institutions/bayside_trust/credentials')).json.credentials;
      const noStatements = await v2().call('createMember', 'POST', `/users/${u}/members`, {
        body: {
          member: { institution_code: 'bayside_trust', credentials: creds.map((c: { guid: string }) => ({ guid: c.guid, value: 'v' })) },
          data_request: { products: ['statements'] },
        },
      });
      expectErrorBody(noStatements, 400);
      expect(noStatements.json.error.message).to.contain('does not support the product statements');
      // and v20111101 does not take data_request
      const v1 = v2().in('v20111101');
      const v1u = await v1.createUser();
      const old = await v1.call('createMember', 'POST', `/users/${v1u}/members`, { body: await mxBankBody(v1, 'password', { data_request: { products: ['statements'] } }) });
      expectErrorBody(old, 400);
      expect(old.json.error.message).to.contain('v20250224');
      expect((await v2().call('listMembers', 'GET', `/users/${u}/members`)).json.members).to.deep.equal([]);
    });

    it('an OAuth member is PENDING (in the v20250224 status enum) with a one-time oauth_window_uri', async () => {
      const u = await v2().createUser();
      const res = await v2().call('createMember', 'POST', `/users/${u}/members`, {
        body: { member: { institution_code: 'mx_bank_oauth', credentials: [], is_oauth: true }, data_request: { products: ['statements'] } },
      });
      expect(res.status).to.equal(200);
      expect(res.json.member).to.include({ connection_status: 'PENDING', is_oauth: true });
      expect(res.json.member.oauth_window_uri).to.match(/\/oauth\/window\/[0-9a-f]{32}$/);
      const status = await v2().status(u, res.json.member.guid);
      expect(status.json.member.connection_status).to.equal('PENDING');
    });
  });

  it('runs the statement workflow end to end: search → credentials → create (statements) → poll → list → download', async () => {
    const found = await v2().call('listInstitutions', 'GET', '/institutions?name=MX%20Bank&supported_products=statements');
    const mxbank = (found.json.institutions as Institution[]).find((i) => i.code === 'mxbank');
    expect(mxbank).to.not.equal(undefined);
    const u = await v2().createUser('v2-e2e');
    const created = await v2().call('createMember', 'POST', '/users/v2-e2e/members', {
      body: await mxBankBody(v2(), 'challenge', { data_request: { products: ['statements'] } }, { id: 'e2e-member' }),
    });
    const m = created.json.member.guid as string;
    const challenged = await v2().waitFor('v2-e2e', 'e2e-member', (s) => s.connection_status === 'CHALLENGED');
    const challenges = await v2().call('listMemberChallenges', 'GET', '/users/v2-e2e/members/e2e-member/challenges');
    expect(challenges.json.challenges).to.deep.equal(challenged.challenges);
    const resumed = await v2().call('resumeAggregation', 'PUT', '/users/v2-e2e/members/e2e-member/resume', {
      body: { member: { challenges: [{ guid: challenges.json.challenges[0].guid, value: 'correct' }] } },
    });
    expect(resumed.status).to.equal(202);
    expect((await v2().settled(u, m)).connection_status).to.equal('CONNECTED');
    const [s] = (await v2().call('listStatementsByMember', 'GET', `/users/${u}/members/${m}/statements`)).json.statements;
    const pdf = await fetch(`${v2().sb.url}${s.uri}`, { headers: { Authorization: v2().auth, Accept: PDF_ACCEPT, 'Accept-Version': 'v20250224' } });
    expect(pdf.status).to.equal(200);
    expect(createHash('sha256').update(Buffer.from(await pdf.arrayBuffer())).digest('hex')).to.equal(s.content_hash);
  });
});

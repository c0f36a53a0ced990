import { createHash } from 'node:crypto';
import { expect } from 'chai';
import { PDF_ACCEPT, startApi, useSandbox } from './helpers.js';

describe('sandbox: fetch_statements and statement routes', () => {
  const api = useSandbox({ aggregationMs: 60 });

  it('fetch_statements: 202 + job, 202 again while it runs, then statements; 409 while another job runs', async () => {
    const { u, m } = await api().userWithMember();
    expect((await api().call('listStatementsByMember', 'GET', `/users/${u}/members/${m}/statements`)).json.statements).to.deep.equal([]);
    const f1 = await api().fetchStatements(u, m);
    expect(f1.status).to.equal(202);
    expect(f1.json.member.is_being_aggregated).to.equal(true);
    const f2 = await api().fetchStatements(u, m);
    expect(f2.status).to.equal(202);
    expect(f2.json.member.most_recent_job_guid).to.equal(f1.json.member.most_recent_job_guid);
    expect((await api().call('aggregateMember', 'POST', `/users/${u}/members/${m}/aggregate`)).status).to.equal(409);
    const end = await api().settled(u, m);
    expect(end.connection_status).to.equal('CONNECTED');
    const list = await api().call('listStatementsByMember', 'GET', `/users/${u}/members/${m}/statements`);
    expect(list.json.statements).to.have.length(6);
    expect(list.json.pagination).to.deep.equal({ current_page: 1, per_page: 25, total_entries: 6, total_pages: 1 });
    for (const s of list.json.statements) {
      expect(s.guid).to.match(/^STA-[0-9a-f]{32}$/);
      expect(s.account_guid).to.match(/^ACT-[0-9a-f]{32}$/);
      expect(s).to.include({ member_guid: m, user_guid: u, uri: `/users/${u}/members/${m}/statements/${s.guid}.pdf` });
      expect(s.content_hash).to.match(/^[0-9a-f]{64}$/);
    }
    // a later statements job finds the same statements
    await api().fetchStatements(u, m);
    await api().settled(u, m);
    const again = await api().call('listStatementsByMember', 'GET', `/users/${u}/members/${m}/statements`);
    expect(again.json.statements).to.deep.equal(list.json.statements);
  });

  it('fetch_statements: 400 for an institution without statements, 404 for an unknown member', async () => {
    const u = await api().createUser();
    const creds = (await api().call('listInstitutionCredentials', 'GET', '/institutions/bayside_trust/credentials')).json.credentials;
    const created = await api().call('createMember', 'POST', `/users/${u}/members`, {
      body: { member: { institution_code: 'bayside_trust', skip_aggregation: true, credentials: creds.map((c: { guid: string }) => ({ guid: c.guid, value: 'v' })) } },
    });
    expect(created.status).to.equal(200);
    expect((await api().fetchStatements(u, created.json.member.guid)).status).to.equal(400);
    expect((await api().fetchStatements(u, 'MBR-nope')).status).to.equal(404);
  });

  it('a failed statements job creates no statements', async () => {
    const { u, m } = await api().userWithMember('LOCKED');
    await api().fetchStatements(u, m);
    expect((await api().settled(u, m)).connection_status).to.equal('LOCKED');
    expect((await api().call('listStatementsByMember', 'GET', `/users/${u}/members/${m}/statements`)).json.statements).to.deep.equal([]);
  });

  it('reads a statement, downloads its PDF (Content-Length, sha256 = content_hash), 404s unknown ones', async () => {
    const { u, m } = await api().userWithMember();
    await api().fetchStatements(u, m);
    await api().settled(u, m);
    const list = await api().call('listStatementsByMember', 'GET', `/users/${u}/members/${m}/statements?records_per_page=10&page=1`);
    const s = list.json.statements[1];
    const read = await api().call('readStatementByMember', 'GET', `/users/${u}/members/${m}/statements/${s.guid}`);
    expect(read.json.statement).to.deep.equal(s);
    const pdf = await fetch(`${api().sb.url}${s.uri}`, { headers: { Authorization: api().auth, Accept: PDF_ACCEPT, 'Accept-Version': 'v20111101' } });
    expect(pdf.status).to.equal(200);
    expect(pdf.headers.get('content-type')).to.equal(PDF_ACCEPT);
    expect(pdf.headers.get('x-mx-sandbox')).to.equal('mx-statements-rx');
    const bytes = Buffer.from(await pdf.arrayBuffer());
    expect(Number(pdf.headers.get('content-length'))).to.equal(bytes.length);
    expect(bytes.subarray(0, 5).toString()).to.equal('%PDF-');
    expect(createHash('sha256').update(bytes).digest('hex')).to.equal(s.content_hash);
    // */* and a missing Accept are served too (the SDK's default)
    for (const accept of ['*/*', undefined]) {
      const h: Record<string, string> = { Authorization: api().auth, 'Accept-Version': 'v20111101' };
      if (accept) h.Accept = accept;
      expect((await fetch(`${api().sb.url}${s.uri}`, { headers: h })).status).to.equal(200);
    }
    const json406 = await api().call('downloadStatementPDF', 'GET', s.uri, { headers: { Accept: 'application/vnd.mx.api.v1+json' } });
    expect(json406.status).to.equal(406);
    const unknown = await api().call('downloadStatementPDF', 'GET', `/users/${u}/members/${m}/statements/STA-nope.pdf`, { headers: { Accept: PDF_ACCEPT } });
    expect(unknown.status).to.equal(404);
    expect((await api().call('readStatementByMember', 'GET', `/users/${u}/members/${m}/statements/STA-nope`)).status).to.equal(404);
    expect((await api().call('listStatementsByMember', 'GET', `/users/${u}/members/MBR-nope/statements`)).status).to.equal(404);
  });

  it('serves large PDFs (largePdfBytes) streamed with their Content-Length', async () => {
    const big = await startApi({ aggregationMs: 10, seed: 'large', largePdfBytes: 3 * 1024 * 1024, statementsPerMember: 2 });
    try {
      const { u, m } = await big.userWithMember();
      await big.fetchStatements(u, m);
      await big.settled(u, m);
      const [s] = (await big.call('listStatementsByMember', 'GET', `/users/${u}/members/${m}/statements`)).json.statements;
      const pdf = await fetch(`${big.sb.url}${s.uri}`, { headers: { Authorization: big.auth, Accept: PDF_ACCEPT, 'Accept-Version': 'v20111101' } });
      const bytes = Buffer.from(await pdf.arrayBuffer());
      expect(bytes.length).to.be.at.least(3 * 1024 * 1024);
      expect(Number(pdf.headers.get('content-length'))).to.equal(bytes.length);
      expect(createHash('sha256').update(bytes).digest('hex')).to.equal(s.content_hash);
    } finally {
      await big.sb.close();
    }
  });
});

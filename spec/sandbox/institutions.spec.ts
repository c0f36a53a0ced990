import { expect } from 'chai';
import { useSandbox } from './helpers.js';

interface Inst {
  code: string;
  name: string;
  supports_account_statement: boolean;
  iso_country_code: string;
}

describe('sandbox: institutions', () => {
  const api = useSandbox();

  it('lists MX Bank, MX Bank (OAuth) and at least 30 others, some without statements', async () => {
    const res = await api().call('listInstitutions', 'GET', '/institutions?records_per_page=100');
    const all = res.json.institutions as Inst[];
    expect(all.length).to.be.at.least(32);
    expect(res.json.pagination).to.deep.equal({ current_page: 1, per_page: 100, total_entries: all.length, total_pages: 1 });
    expect(all.map((i) => i.code)).to.include.members(['mxbank', 'mx_bank_oauth']);
    expect(all.some((i) => !i.supports_account_statement)).to.equal(true);
  });

  it('searches names case-insensitively and filters on supports_account_statement', async () => {
    const res = await api().call('listInstitutions', 'GET', '/institutions?name=mX%20bAnK&supports_account_statement=true');
    expect((res.json.institutions as Inst[]).map((i) => i.code)).to.deep.equal(['mxbank', 'mx_bank_oauth']);
    const withStatements = await api().call('listInstitutions', 'GET', '/institutions?supports_account_statement=true&records_per_page=100');
    expect((withStatements.json.institutions as Inst[]).every((i) => i.supports_account_statement)).to.equal(true);
    const none = await api().call('listInstitutions', 'GET', '/institutions?name=no-such-bank-anywhere');
    expect(none.json.institutions).to.deep.equal([]);
    expect(none.json.pagination.total_entries).to.equal(0);
  });

  it('filters on iso_country_code (plain or [] form)', async () => {
    const ca = await api().call('listInstitutions', 'GET', '/institutions?iso_country_code=CA');
    expect((ca.json.institutions as Inst[]).every((i) => i.iso_country_code === 'CA')).to.equal(true);
    expect(ca.json.institutions.length).to.be.greaterThan(0);
    const both = await api().call('listInstitutions', 'GET', '/institutions?iso_country_code[]=CA&iso_country_code[]=US&records_per_page=100');
    expect(both.json.institutions.length).to.be.greaterThan(ca.json.institutions.length);
    expect(both.json.pagination.total_entries).to.equal((await api().call('listInstitutions', 'GET', '/institutions')).json.pagination.total_entries);
  });

  it('applies the page-size limits: 10..100 honoured, outside falls back to 25', async () => {
    const per = async (q: string) => (await api().call('listInstitutions', 'GET', `/institutions?${q}`)).json.pagination.per_page;
    expect(await per('records_per_page=10')).to.equal(10);
    expect(await per('records_per_page=100')).to.equal(100);
    expect(await per('records_per_page=101')).to.equal(25);
    expect(await per('records_per_page=9')).to.equal(25);
    expect(await per('records_per_page=abc')).to.equal(25);
    expect(await per('')).to.equal(25);
    const p2 = await api().call('listInstitutions', 'GET', '/institutions?records_per_page=10&page=2');
    expect(p2.json.pagination.current_page).to.equal(2);
    expect(p2.json.institutions).to.have.length(10);
    const past = await api().call('listInstitutions', 'GET', '/institutions?page=99');
    expect(past.json.institutions).to.deep.equal([]);
  });

  it('refuses a non-boolean filter with 400', async () => {
    expect((await api().call('listInstitutions', 'GET', '/institutions?supports_account_statement=1')).status).to.equal(400);
  });

  it('reads one institution, 404 for an unknown code', async () => {
    const res = await api().call('readInstitution', 'GET', '/institutions/mxbank');
    expect(res.json.institution).to.include({ code: 'mxbank', name: 'MX Bank', supports_account_statement: true });
    expect((await api().call('readInstitution', 'GET', '/institutions/nope')).status).to.equal(404);
  });

  it('lists MX Bank credentials LOGIN + PASSWORD with CRD- guids; 404 for an unknown code', async () => {
    const res = await api().call('listInstitutionCredentials', 'GET', '/institutions/mxbank/credentials');
    const creds = res.json.credentials as Array<{ guid: string; field_name: string }>;
    expect(creds.map((c) => c.field_name)).to.deep.equal(['LOGIN', 'PASSWORD']);
    for (const c of creds) expect(c.guid).to.match(/^CRD-[0-9a-f]{32}$/);
    expect((await api().call('listInstitutionCredentials', 'GET', '/institutions/nope/credentials')).status).to.equal(404);
    const oauth = await api().call('listInstitutionCredentials', 'GET', '/institutions/mx_bank_oauth/credentials');
    expect(oauth.json.credentials).to.deep.equal([]);
  });
});

import { expect } from 'chai';
import * as E from 'fp-ts/lib/Either.js';
import { all, mx, nockClient, once, pagination, PDF_TYPE, useNock } from '../helpers/nock.js';
import { member, statement, user } from './fixtures.js';

const ref = { userGuid: user.guid, memberGuid: member.guid };
const base = `/users/${user.guid}/members/${member.guid}`;

describe('api/statements', () => {
  useNock();
  const client = nockClient();

  it('fetch$ POSTs fetch_statements with no body; 202 returns the member', async () => {
    mx().post(`${base}/fetch_statements`, (body) => body === '' || body === undefined || Object.keys(body).length === 0)
      .reply(202, { member: { ...member, is_being_aggregated: true } });
    const result = await once(client.statements.fetch$(ref));
    expect(E.isRight(result) && result.right.is_being_aggregated).to.equal(true);
  });

  it('fetch$ maps 400 (no statement support) and 409 (another job) to their tags', async () => {
    mx().post(`${base}/fetch_statements`).reply(400, { error: { message: 'not supported' } });
    mx().post(`${base}/fetch_statements`).reply(409, { error: { message: 'job running' } });
    expect(E.isLeft((await once(client.statements.fetch$(ref)))) ).to.equal(true);
    const conflict = await once(client.statements.fetch$(ref));
    expect(E.isLeft(conflict) && conflict.left._tag).to.equal('Conflict');
  });

  it('list$, all$ and read$ GET the statements', async () => {
    mx().get(`${base}/statements`).query({ page: '1', records_per_page: '10' }).reply(200, { statements: [statement], pagination: pagination(1, 1, 10) });
    const page = await once(client.statements.list$(ref, { page: 1, recordsPerPage: 10 }));
    expect(E.isRight(page) && page.right.items).to.deep.equal([statement]);
    mx().get(`${base}/statements`).query({ page: '1', records_per_page: '1000' }).reply(200, { statements: [statement], pagination: pagination(1, 1) });
    expect(await all(client.statements.all$(ref))).to.deep.equal([E.right(statement)]);
    mx().get(`${base}/statements/${statement.guid}`).reply(200, { statement });
    expect(await once(client.statements.read$({ ...ref, statementGuid: statement.guid }))).to.deep.equal(E.right(statement));
  });

  it('pdf$ asks for the PDF media type and streams the exact bytes', async () => {
    const bytes = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(200_000, 7), Buffer.from('\n%%EOF\n')]);
    mx(PDF_TYPE).get(`${base}/statements/${statement.guid}.pdf`).reply(200, bytes, { 'Content-Type': PDF_TYPE, 'Content-Length': String(bytes.length) });
    const chunks = await all(client.statements.pdf$({ ...ref, statementGuid: statement.guid }));
    const got = Buffer.concat(chunks.map((c) => (E.isRight(c) ? c.right.bytes : new Uint8Array())));
    expect(got.equals(bytes)).to.equal(true);
    const last = chunks.at(-1);
    expect(last && E.isRight(last) && last.right).to.include({ received: bytes.length, contentLength: bytes.length });
  });

  it('pdf$ maps 404 to NotFound before any chunk', async () => {
    mx(PDF_TYPE).get(`${base}/statements/STA-none.pdf`).reply(404, { error: { message: 'no such statement' } });
    const chunks = await all(client.statements.pdf$({ ...ref, statementGuid: 'STA-none' }));
    expect(chunks).to.have.length(1);
    expect(E.isLeft(chunks[0]!) && chunks[0].left._tag).to.equal('NotFound');
  });
});

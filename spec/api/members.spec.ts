import { expect } from 'chai';
import * as E from 'fp-ts/lib/Either.js';
import { all, mx, nockClient, once, pagination, useNock } from '../helpers/nock.js';
import { member, status, user } from './fixtures.js';

const ref = { userGuid: user.guid, memberGuid: member.guid };
const base = `/users/${user.guid}/members`;

describe('api/members', () => {
  useNock();
  const client = nockClient();

  it('create$ POSTs the member with credentials and skip_aggregation; 202 is a success', async () => {
    mx().matchHeader('content-type', 'application/json').post(base, {
      member: { institution_code: 'mxbank', credentials: [{ guid: 'CRD-1', value: 'mxuser' }, { guid: 'CRD-2', value: 'pw-secret-1' }], skip_aggregation: true },
    }).reply(202, { member });
    const result = await once(client.members.create$({ userGuid: user.guid }, {
      institution_code: 'mxbank', credentials: [{ guid: 'CRD-1', value: 'mxuser' }, { guid: 'CRD-2', value: 'pw-secret-1' }], skip_aggregation: true,
    }));
    expect(result).to.deep.equal(E.right(member));
  });

  it('create$ sends X-CALLBACK-PAYLOAD when asked', async () => {
    mx().matchHeader('x-callback-payload', 'eyJhIjoxfQ==').post(base).reply(200, { member });
    const result = await once(client.members.create$({ userGuid: user.guid }, { institution_code: 'mxbank', credentials: [] }, { callbackPayload: 'eyJhIjoxfQ==' }));
    expect(E.isRight(result)).to.equal(true);
  });

  it('create$ maps a duplicate (409) to Conflict and keeps credential values out of it', async () => {
    mx().post(base).reply(409, { error: { message: 'member with credentials pw-secret-1 exists' } });
    const result = await once(client.members.create$({ userGuid: user.guid }, {
      institution_code: 'mxbank', credentials: [{ guid: 'CRD-2', value: 'pw-secret-1' }],
    }));
    expect(E.isLeft(result) && result.left._tag).to.equal('Conflict');
    expect(JSON.stringify(result)).not.to.contain('pw-secret-1');
  });

  it('read$ and status$ GET the member and its status', async () => {
    mx().get(`${base}/${member.guid}`).reply(200, { member });
    mx().get(`${base}/${member.guid}/status`).reply(200, { member: status });
    expect(await once(client.members.read$(ref))).to.deep.equal(E.right(member));
    expect(await once(client.members.status$(ref))).to.deep.equal(E.right(status));
  });

  it('status$ accepts an unknown connection_status (decoded as a string)', async () => {
    mx().get(`${base}/${member.guid}/status`).reply(200, { member: { ...status, connection_status: 'RECONNECTED_LATER' } });
    const result = await once(client.members.status$(ref));
    expect(E.isRight(result) && result.right.connection_status).to.equal('RECONNECTED_LATER');
  });

  it('status$ gives a DecodeError naming the field for a wrong type', async () => {
    mx().get(`${base}/${member.guid}/status`).reply(200, { member: { ...status, is_being_aggregated: 'yes' } });
    const result = await once(client.members.status$(ref));
    expect(E.isLeft(result) && result.left._tag).to.equal('DecodeError');
    expect(E.isLeft(result) && result.left._tag === 'DecodeError' && result.left.errors.join()).to.contain('is_being_aggregated');
  });

  it('list$ and all$ page through a user\'s members', async () => {
    mx().get(base).query({ page: '3', records_per_page: '10' }).reply(200, { members: [member], pagination: pagination(3, 3, 10) });
    const page = await once(client.members.list$({ userGuid: user.guid }, { page: 3, recordsPerPage: 10 }));
    expect(E.isRight(page) && page.right.items).to.deep.equal([member]);
    mx().get(base).query({ page: '1', records_per_page: '1000' }).reply(200, { members: [member], pagination: pagination(1, 1) });
    expect(await all(client.members.all$({ userGuid: user.guid }))).to.deep.equal([E.right(member)]);
  });

  it('update$ PUTs {member} and keeps credential values secret', async () => {
    mx().put(`${base}/${member.guid}`, { member: { credentials: [{ guid: 'CRD-2', value: 'new-secret-2' }] } }).reply(400, 'bad new-secret-2');
    const result = await once(client.members.update$(ref, { credentials: [{ guid: 'CRD-2', value: 'new-secret-2' }] }));
    expect(E.isLeft(result) && result.left._tag).to.equal('BadRequest');
    expect(JSON.stringify(result)).not.to.contain('new-secret-2');
  });

  it('delete$ DELETEs the member (204)', async () => {
    mx().delete(`${base}/${member.guid}`).reply(204);
    expect(await once(client.members.delete$(ref))).to.deep.equal(E.right(undefined));
  });

  it('aggregate$ POSTs with the include flags in the query', async () => {
    mx().post(`${base}/${member.guid}/aggregate`).query({ include_holdings: 'false', include_transactions: 'true' }).reply(202, { member });
    const result = await once(client.members.aggregate$(ref, { includeHoldings: false, includeTransactions: true }));
    expect(E.isRight(result)).to.equal(true);
  });

  it('resume$ PUTs the answers; a 405 for a member not CHALLENGED is MethodNotAllowed without the answer', async () => {
    mx().put(`${base}/${member.guid}/resume`, { member: { challenges: [{ guid: 'CRD-9', value: 'answer-secret-3' }] } }).reply(202, { member });
    expect(E.isRight(await once(client.members.resume$(ref, [{ guid: 'CRD-9', value: 'answer-secret-3' }])))).to.equal(true);
    mx().put(`${base}/${member.guid}/resume`).reply(405, { error: { message: 'answer-secret-3 not allowed' } });
    const refused = await once(client.members.resume$(ref, [{ guid: 'CRD-9', value: 'answer-secret-3' }]));
    expect(E.isLeft(refused) && refused.left._tag).to.equal('MethodNotAllowed');
    expect(JSON.stringify(refused)).not.to.contain('answer-secret-3');
  });
});

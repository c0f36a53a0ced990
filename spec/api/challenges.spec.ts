import { expect } from 'chai';
import * as E from 'fp-ts/lib/Either.js';
import { mx, nockClient, once, pagination, useNock } from '../helpers/nock.js';
import { challenge, member, user } from './fixtures.js';

const ref = { userGuid: user.guid, memberGuid: member.guid };
const path = `/users/${user.guid}/members/${member.guid}/challenges`;

describe('api/challenges', () => {
  useNock();
  const client = nockClient();

  it('list$ returns the open challenges with their options', async () => {
    const options = { ...challenge, guid: 'CRD-2', type: 'OPTIONS', options: [{ label: 'Red', value: 'red' }, { label: 'Blue', value: 'blue' }] };
    mx().get(path).query({ page: '1', records_per_page: '1000' }).reply(200, { challenges: [challenge, options], pagination: pagination(1, 1) });
    const result = await once(client.challenges.list$(ref));
    expect(result).to.deep.equal(E.right([challenge, options]));
  });

  it('list$ maps 204 (member not CHALLENGED) to an empty list', async () => {
    mx().get(path).query(true).reply(204);
    expect(await once(client.challenges.list$(ref))).to.deep.equal(E.right([]));
  });

  it('list$ accepts an unknown challenge type', async () => {
    mx().get(path).query(true).reply(200, { challenges: [{ ...challenge, type: 'PUSH_NOTIFICATION' }], pagination: pagination(1, 1) });
    const result = await once(client.challenges.list$(ref));
    expect(E.isRight(result) && result.right[0]?.type).to.equal('PUSH_NOTIFICATION');
  });
});

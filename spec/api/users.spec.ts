import { expect } from 'chai';
import * as E from 'fp-ts/lib/Either.js';
import { take } from 'rxjs';
import { all, mx, nockClient, once, pagination, useNock } from '../helpers/nock.js';
import { user } from './fixtures.js';

describe('api/users', () => {
  useNock();
  const client = nockClient();

  it('create$ POSTs {user} with a JSON content type and returns the user', async () => {
    mx().matchHeader('content-type', 'application/json')
      .post('/users', { user: { id: 'customer-42', metadata: 'm' } })
      .reply(200, { user });
    const result = await once(client.users.create$({ id: 'customer-42', metadata: 'm' }));
    expect(result).to.deep.equal(E.right(user));
  });

  it('create$ maps a reused id (409) to Conflict', async () => {
    mx().post('/users').reply(409, { error: { message: 'already exists' } });
    const result = await once(client.users.create$({ id: 'customer-42' }));
    expect(E.isLeft(result) && result.left).to.include({ _tag: 'Conflict', method: 'POST', path: '/users', status: 409 });
  });

  it('list$ sends the id filter and paging, and returns a page', async () => {
    mx().get('/users').query({ page: '2', records_per_page: '10', id: 'customer-42' })
      .reply(200, { users: [user], pagination: pagination(2, 3, 10) });
    const result = await once(client.users.list$({ id: 'customer-42', page: 2, recordsPerPage: 10 }));
    expect(result).to.deep.equal(E.right({ items: [user], pagination: pagination(2, 3, 10) }));
  });

  it('all$ pages lazily: take(1) costs one request', async () => {
    mx().get('/users').query({ page: '1', records_per_page: '1000' })
      .reply(200, { users: [user, { ...user, guid: 'USR-2' }], pagination: pagination(1, 5, 2) });
    const results = await all(client.users.all$().pipe(take(1)));
    expect(results).to.deep.equal([E.right(user)]);
  });

  it('all$ follows every page until total_pages', async () => {
    mx().get('/users').query({ page: '1', records_per_page: '1000' }).reply(200, { users: [user], pagination: pagination(1, 2, 1) });
    mx().get('/users').query({ page: '2', records_per_page: '1000' }).reply(200, { users: [{ ...user, guid: 'USR-2' }], pagination: pagination(2, 2, 1) });
    const results = await all(client.users.all$());
    expect(results.map((r) => E.isRight(r) && r.right.guid)).to.deep.equal([user.guid, 'USR-2']);
  });

  it('delete$ sends DELETE with the vendor Accept (the spec marks it required) and maps 204 to Right', async () => {
    mx().delete('/users/USR-a%2Fb').reply(204);
    const result = await once(client.users.delete$({ userGuid: 'USR-a/b' }));
    expect(result).to.deep.equal(E.right(undefined));
  });
});

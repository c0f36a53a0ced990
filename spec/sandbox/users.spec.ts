import { expect } from 'chai';
import { useSandbox } from './helpers.js';

describe('sandbox: users', () => {
  const api = useSandbox();

  it('creates a user (200, USR- guid) and reads it back', async () => {
    const res = await api().call('createUser', 'POST', '/users', {
      body: { user: { id: 'users-1', email: 'a@example.com', metadata: '{"n":1}', is_disabled: false } },
    });
    expect(res.status).to.equal(200);
    expect(res.json.user).to.include({ id: 'users-1', email: 'a@example.com', metadata: '{"n":1}', is_disabled: false });
    expect(res.json.user.guid).to.match(/^USR-[0-9a-f]{32}$/);
    const read = await api().call('readUser', 'GET', `/users/${res.json.user.guid}`);
    expect(read.json.user).to.deep.equal(res.json.user);
  });

  it('answers 409 for a reused id, and list users finds it by id', async () => {
    const first = await api().call('createUser', 'POST', '/users', { body: { user: { id: 'dup-id' } } });
    const again = await api().call('createUser', 'POST', '/users', { body: { user: { id: 'dup-id' } } });
    expect(again.status).to.equal(409);
    const list = await api().call('listUsers', 'GET', '/users?id=dup-id');
    expect(list.json.users).to.have.length(1);
    expect(list.json.users[0].guid).to.equal(first.json.user.guid);
    expect(list.json.pagination).to.deep.equal({ current_page: 1, per_page: 25, total_entries: 1, total_pages: 1 });
  });

  it('filters by email and is_disabled, and refuses a non-boolean is_disabled', async () => {
    await api().call('createUser', 'POST', '/users', { body: { user: { email: 'off@example.com', is_disabled: true } } });
    const byEmail = await api().call('listUsers', 'GET', '/users?email=off%40example.com');
    expect(byEmail.json.users).to.have.length(1);
    const disabled = await api().call('listUsers', 'GET', '/users?is_disabled=true');
    expect(disabled.json.users.every((u: { is_disabled: boolean }) => u.is_disabled)).to.equal(true);
    expect((await api().call('listUsers', 'GET', '/users?is_disabled=yes')).status).to.equal(400);
  });

  it('paginates the user list', async () => {
    for (let i = 0; i < 12; i++) await api().createUser(`page-${i}`);
    const p2 = await api().call('listUsers', 'GET', '/users?records_per_page=10&page=2');
    expect(p2.json.pagination.per_page).to.equal(10);
    expect(p2.json.pagination.current_page).to.equal(2);
    expect(p2.json.users.length).to.be.greaterThan(0);
    const total = p2.json.pagination.total_entries as number;
    expect(p2.json.pagination.total_pages).to.equal(Math.ceil(total / 10));
  });

  it('refuses empty and malformed user bodies with 400', async () => {
    for (const body of [{}, { user: {} }, { user: null }, { user: [] }, { user: 'x' }, { user: { id: 7 } }, { user: { is_disabled: 'no' } }, []]) {
      const res = await api().call('createUser', 'POST', '/users', { body });
      expect(res.status, JSON.stringify(body)).to.equal(400);
    }
    const none = await api().call('createUser', 'POST', '/users', {});
    expect(none.status).to.equal(400);
  });

  it('deletes a user (204, empty), then 404 for it', async () => {
    const guid = await api().createUser('to-delete');
    const del = await api().call('deleteUser', 'DELETE', `/users/${guid}`);
    expect(del.status).to.equal(204);
    expect((await api().call('readUser', 'GET', `/users/${guid}`)).status).to.equal(404);
    expect((await api().call('deleteUser', 'DELETE', `/users/${guid}`)).status).to.equal(404);
    // the id is free again
    expect((await api().call('createUser', 'POST', '/users', { body: { user: { id: 'to-delete' } } })).status).to.equal(200);
  });
});

/**
 * The end of the 'all-members' listing as a batch item: `listing-done { total }` once the cursor is exhausted, so
 * a caller knows the run's size (members done of all, an ETA) without waiting for the summary. Marble-driven.
 */
import { expect } from 'chai';
import { TestScheduler } from 'rxjs/testing';
import type { MemberRef } from '../../lib/api/refs.js';
import type { Member, MemberStatus } from '../../lib/codecs/index.js';
import type { MxError } from '../../lib/core/errors.js';
import { fetchStatementsForMany$, type BatchItem } from '../../lib/workflow/batch.js';
import { fakeClient, httpError, L, R } from '../helpers/fake-client.js';
import { POLICY } from './fixtures.js';

const page = <A>(items: A[], current: number, total: number) =>
  ({ items, pagination: { current_page: current, per_page: 100, total_entries: items.length, total_pages: total } });

/** Every member connects at once and lists one statement; users' members come from `membersOf`. */
const api = (ts: TestScheduler, users: ReadonlyArray<string>, membersOf: (user: string) => MxError | string[]) => ({
  users: { list$: (q: { page: number }) => ts.createColdObservable('-(a|)', { a: R(page(q.page === 1 ? users.map((guid) => ({ guid })) : [], q.page, 1)) }) },
  members: {
    list$: (ref: { userGuid: string }) => {
      const m = membersOf(ref.userGuid);
      return ts.createColdObservable('-(a|)', { a: Array.isArray(m) ? R(page(m.map((guid) => ({ guid })), 1, 1)) : L(m) });
    },
    status$: (ref: MemberRef) => ts.createColdObservable('-(a|)', { a: R<MemberStatus>({ guid: ref.memberGuid, connection_status: 'CONNECTED', is_being_aggregated: false }) }),
  },
  statements: {
    fetch$: (ref: MemberRef) => ts.createColdObservable('-(a|)', { a: R({ guid: ref.memberGuid, is_being_aggregated: true } as Member) }),
    all$: (ref: MemberRef) => ts.createColdObservable('-(a|)', { a: R({ guid: `STA-${ref.memberGuid}` }) }),
  },
});

const run = (ts: TestScheduler, client: ReturnType<typeof fakeClient>['client'], concurrency: number): BatchItem[] => {
  const items: BatchItem[] = [];
  fetchStatementsForMany$(client, 'all-members', { concurrency, polling: POLICY, scheduler: ts, random: () => 1 }).subscribe((i) => items.push(i));
  ts.flush();
  return items;
};

describe('workflow/fetchStatementsForMany$: listing-done', () => {
  let ts: TestScheduler;
  beforeEach(() => {
    ts = new TestScheduler((a, b) => { expect(a).to.deep.equal(b); });
  });

  it("says once, as soon as the 'all-members' listing is exhausted (the last member handed out), how many members the run has", () => {
    ts.run(() => {
      const users = ['USR-1', 'USR-2', 'USR-3'];
      const { client } = fakeClient(api(ts, users, (u) => (u === 'USR-2' ? [`MBR-${u}-a`, `MBR-${u}-b`] : [`MBR-${u}`])) as never, { scheduler: ts });
      const items = run(ts, client, 2);
      const at = items.findIndex((i) => i.type === 'listing-done');
      expect(items.filter((i) => i.type === 'listing-done')).to.deep.equal([{ type: 'listing-done', total: 4 }]);
      // As soon as the last member was handed out: it is the only one to start after it, and the summary agrees.
      const firstSeen = new Map<string, number>();
      items.forEach((i, n) => {
        if (i.type === 'member' && !firstSeen.has(i.target.key)) firstSeen.set(i.target.key, n);
      });
      expect([...firstSeen].filter(([, n]) => n > at).map(([key]) => key)).to.deep.equal(['USR-3/MBR-USR-3']);
      expect(items.at(-1)).to.deep.include({ type: 'batch-summary', total: 4, synced: 4 });
      // Lazy listing: members were still running when the total became known (the summary is not the first to tell).
      expect(items.slice(at + 1).some((i) => i.type === 'member-done')).to.equal(true);
    });
  });

  it('does not count the members of a user the listing skipped (their members were never listed)', () => {
    ts.run(() => {
      const gone = httpError('NotFound', 404, '/users/USR-2/members');
      const { client } = fakeClient(api(ts, ['USR-1', 'USR-2', 'USR-3'], (u) => (u === 'USR-2' ? gone : [`MBR-${u}`])) as never, { scheduler: ts });
      const items = run(ts, client, 1);
      expect(items.filter((i) => i.type === 'listing-skipped' || i.type === 'listing-done')).to.deep.equal([
        { type: 'listing-skipped', userGuid: 'USR-2', error: gone },
        { type: 'listing-done', total: 2 },
      ]);
    });
  });

  it('is not said when the listing failed (listing-failed tells that), nor for inputs the caller listed', () => {
    ts.run(() => {
      const boom = httpError('BadRequest', 400, '/users');
      const base = api(ts, ['USR-1'], (u) => [`MBR-${u}`]);
      const { client } = fakeClient({
        ...base,
        users: { list$: (q: { page: number }) => ts.createColdObservable('-(a|)', { a: q.page === 1 ? R(page([{ guid: 'USR-1' }], 1, 2)) : L(boom) }) },
      } as never, { scheduler: ts });
      const failed = run(ts, client, 1);
      expect(failed.filter((i) => i.type === 'listing-done')).to.deep.equal([]);
      expect(failed.filter((i) => i.type === 'listing-failed')).to.deep.equal([{ type: 'listing-failed', error: boom }]);

      const { client: other } = fakeClient(base as never, { scheduler: ts });
      const items: BatchItem[] = [];
      fetchStatementsForMany$(other, [{ userGuid: 'USR-1', memberGuid: 'MBR-1' }], { polling: POLICY, scheduler: ts, random: () => 1 }).subscribe((i) => items.push(i));
      ts.flush();
      expect(items.at(-1)).to.deep.include({ type: 'batch-summary', total: 1 });
      expect(items.filter((i) => i.type === 'listing-done')).to.deep.equal([]);
    });
  });
});

import { expect } from 'chai';
import * as E from 'fp-ts/lib/Either.js';
import { finalize, of } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { MemberRef } from '../../lib/api/refs.js';
import type { Member, MemberStatus } from '../../lib/codecs/index.js';
import { fetchStatementsForMany$, needsUserAction, type BatchItem, type BatchSummary } from '../../lib/workflow/batch.js';
import { fakeClient, httpError, L, R } from '../helpers/fake-client.js';
import { POLICY, TEXT_CHALLENGE } from './fixtures.js';

const page = <A>(items: A[], current: number, total: number) =>
  ({ items, pagination: { current_page: current, per_page: 100, total_entries: items.length, total_pages: total } });

/** A member whose status sequence depends on its guid: MBR-ok connects, MBR-mfa is challenged, MBR-denied fails. */
const memberApi = (ts: TestScheduler) => {
  const statusOf = (guid: string): MemberStatus => {
    if (guid.includes('mfa')) return { guid, connection_status: 'CHALLENGED', is_being_aggregated: true, challenges: [TEXT_CHALLENGE] };
    if (guid.includes('denied')) return { guid, connection_status: 'DENIED', is_being_aggregated: false };
    return { guid, connection_status: 'CONNECTED', is_being_aggregated: false };
  };
  return {
    members: {
      status$: (ref: MemberRef) => ts.createColdObservable('-(a|)', { a: R(statusOf(ref.memberGuid)) }),
      read$: (ref: MemberRef) => ts.createColdObservable('-(a|)', { a: R({ guid: ref.memberGuid, connection_status_message: 'Bad password' } as Member) }),
    },
    statements: {
      fetch$: (ref: MemberRef) => (ref.memberGuid.includes('gone')
        ? ts.createColdObservable('-(a|)', { a: L(httpError('NotFound', 404, '/x', 'POST')) })
        // 202 while the job already runs (so the first status is believed: see job-evidence)
        : ts.createColdObservable('-(a|)', { a: R({ guid: ref.memberGuid, is_being_aggregated: true } as Member) })),
      all$: (ref: MemberRef) => ts.createColdObservable('-(a|)', { a: R({ guid: `STA-${ref.memberGuid}` }) }),
    },
  };
};

const summaryOf = (items: BatchItem[]): BatchSummary => {
  const last = items[items.length - 1];
  if (last?.type !== 'batch-summary') throw new Error('no summary last');
  return last;
};

describe('workflow/fetchStatementsForMany$', () => {
  let ts: TestScheduler;
  beforeEach(() => {
    ts = new TestScheduler((a, b) => { expect(a).to.deep.equal(b); });
  });

  it('runs every member, tags events, never lets one failure or challenge stop the others, and summarises', () => {
    ts.run(() => {
      const { client } = fakeClient(memberApi(ts) as never, { scheduler: ts });
      const inputs: MemberRef[] = ['MBR-ok-1', 'MBR-mfa', 'MBR-denied', 'MBR-gone', 'MBR-ok-2'].map((memberGuid) => ({ userGuid: 'USR-1', memberGuid }));
      const items: BatchItem[] = [];
      fetchStatementsForMany$(client, inputs, { concurrency: 2, polling: POLICY, scheduler: ts, random: () => 1 }).subscribe((i) => items.push(i));
      ts.flush();
      const s = summaryOf(items);
      expect(s).to.deep.include({ total: 5, synced: 2, needsUserAction: 2, failed: 1, statements: 2 });
      expect(s.needingAction.map((p) => [p.memberGuid, p.errorTag])).to.have.deep.members([['MBR-mfa', 'MfaRequired'], ['MBR-denied', 'ConnectionFailed']]);
      expect(s.failures.map((p) => [p.memberGuid, p.errorTag])).to.deep.equal([['MBR-gone', 'NotFound']]);
      const ok2 = items.filter((i) => i.type === 'member' && i.target.key === 'USR-1/MBR-ok-2');
      expect(ok2.map((i) => (i.type === 'member' && E.isRight(i.event) ? i.event.right.type : '?'))).to.deep.equal([
        'statements-job-started', 'status', 'connected', 'statement-listed', 'done',
      ]);
      const dones = items.filter((i) => i.type === 'member-done').map((i) => (i.type === 'member-done' ? `${i.target.memberGuid}:${i.outcome}` : ''));
      expect(dones).to.have.members(['MBR-ok-1:synced', 'MBR-mfa:needs-user-action', 'MBR-denied:needs-user-action', 'MBR-gone:failed', 'MBR-ok-2:synced']);
      expect(JSON.parse(JSON.stringify(items))).to.deep.equal(items);
    });
  });

  it('keeps at most `concurrency` members in flight', () => {
    ts.run(() => {
      let inFlight = 0;
      let peak = 0;
      const api = memberApi(ts);
      const wrapped = {
        ...api,
        statements: {
          ...api.statements,
          fetch$: (ref: MemberRef) => {
            inFlight += 1;
            peak = Math.max(peak, inFlight);
            return api.statements.fetch$(ref);
          },
          all$: (ref: MemberRef) => api.statements.all$(ref).pipe(finalize(() => { inFlight -= 1; })),
        },
      };
      const { client } = fakeClient(wrapped as never, { scheduler: ts });
      const inputs = Array.from({ length: 9 }, (_, i) => ({ userGuid: 'USR-1', memberGuid: `MBR-ok-${i}` }));
      const items: BatchItem[] = [];
      fetchStatementsForMany$(client, of(...inputs), { concurrency: 3, polling: POLICY, scheduler: ts, random: () => 1 }).subscribe((i) => items.push(i));
      ts.flush();
      expect(summaryOf(items).synced).to.equal(9);
      expect(peak).to.equal(3);
    });
  });

  it("'all-members' lists lazily: the next page is fetched only when the members in hand are taken", () => {
    ts.run(() => {
      const order: string[] = [];
      const api = memberApi(ts);
      const { client } = fakeClient({
        ...api,
        users: {
          list$: (q: { page: number }) => {
            order.push(`users p${q.page}`);
            return ts.createColdObservable('-(a|)', {
              a: R(q.page === 1 ? page([{ guid: 'USR-A' }, { guid: 'USR-B' }], 1, 2) : page([{ guid: 'USR-C' }], 2, 2)),
            });
          },
        },
        members: {
          ...api.members,
          list$: (ref: { userGuid: string }, q: { page: number }) => {
            order.push(`members ${ref.userGuid} p${q.page}`);
            const guids = ref.userGuid === 'USR-A' ? (q.page === 1 ? ['MBR-ok-a1'] : ['MBR-ok-a2']) : [`MBR-ok-${ref.userGuid}`];
            const pages = ref.userGuid === 'USR-A' ? 2 : 1;
            return ts.createColdObservable('-(a|)', { a: R(page(guids.map((guid) => ({ guid })), q.page, pages)) });
          },
        },
        statements: {
          ...api.statements,
          fetch$: (ref: MemberRef) => {
            order.push(`sync ${ref.memberGuid}`);
            return api.statements.fetch$(ref);
          },
        },
      } as never, { scheduler: ts });
      const items: BatchItem[] = [];
      fetchStatementsForMany$(client, 'all-members', { concurrency: 1, polling: POLICY, scheduler: ts, random: () => 1 }).subscribe((i) => items.push(i));
      ts.flush();
      expect(order).to.deep.equal([
        'users p1', 'members USR-A p1', 'sync MBR-ok-a1', 'members USR-A p2', 'sync MBR-ok-a2',
        'members USR-B p1', 'sync MBR-ok-USR-B', 'users p2', 'members USR-C p1', 'sync MBR-ok-USR-C',
      ]);
      expect(summaryOf(items)).to.deep.include({ total: 4, synced: 4, listingError: null });
    });
  });

  it("'all-members' with concurrent workers: every member once, every page fetched once", () => {
    ts.run(() => {
      const api = memberApi(ts);
      const listed: string[] = [];
      const users = Array.from({ length: 7 }, (_, i) => ({ guid: `USR-${i}` }));
      const { client } = fakeClient({
        ...api,
        users: { list$: (q: { page: number }) => ts.createColdObservable('-(a|)', { a: R(page(q.page === 1 ? users : [], q.page, 1)) }) },
        members: {
          ...api.members,
          list$: (ref: { userGuid: string }) => {
            listed.push(ref.userGuid);
            return ts.createColdObservable('-(a|)', { a: R(page([{ guid: `MBR-ok-${ref.userGuid}` }], 1, 1)) });
          },
        },
      } as never, { scheduler: ts });
      const items: BatchItem[] = [];
      fetchStatementsForMany$(client, 'all-members', { concurrency: 3, polling: POLICY, scheduler: ts, random: () => 1 }).subscribe((i) => items.push(i));
      ts.flush();
      expect(listed).to.deep.equal(users.map((u) => u.guid));
      const synced = items.flatMap((i) => (i.type === 'member-done' ? [i.target.memberGuid] : []));
      expect(synced).to.have.length(7);
      expect(new Set(synced).size).to.equal(7);
    });
  });

  it("'all-members': a failed listing page is reported; the members already listed were synced", () => {
    ts.run(() => {
      const api = memberApi(ts);
      const boom = httpError('ServerError', 500, '/users');
      const { client } = fakeClient({
        ...api,
        users: {
          list$: (q: { page: number }) => ts.createColdObservable('-(a|)', { a: q.page === 1 ? R(page([{ guid: 'USR-A' }], 1, 2)) : L(boom) }),
        },
        members: { ...api.members, list$: () => ts.createColdObservable('-(a|)', { a: R(page([{ guid: 'MBR-ok-1' }], 1, 1)) }) },
      } as never, { scheduler: ts });
      const items: BatchItem[] = [];
      fetchStatementsForMany$(client, 'all-members', { concurrency: 2, polling: POLICY, scheduler: ts, random: () => 1 }).subscribe((i) => items.push(i));
      ts.flush();
      expect(items.filter((i) => i.type === 'listing-failed')).to.deep.equal([{ type: 'listing-failed', error: boom }]);
      expect(summaryOf(items)).to.deep.include({ total: 1, synced: 1, listingError: boom });
    });
  });

  it('classifies errors that need the user', () => {
    const ref = { method: 'GET', path: '/x', memberGuid: 'MBR-1', message: '' };
    expect(needsUserAction({ ...ref, _tag: 'ConnectionFailed', connectionStatus: 'LOCKED' })).to.equal(true);
    expect(needsUserAction({ ...ref, _tag: 'ConnectionFailed', connectionStatus: 'DEGRADED' })).to.equal(false);
    expect(needsUserAction({ ...ref, _tag: 'MfaRequired', challengeTypes: [] })).to.equal(true);
    expect(needsUserAction(httpError('ServerError', 503))).to.equal(false);
  });
});

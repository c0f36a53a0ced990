import { expect } from 'chai';
import * as E from 'fp-ts/lib/Either.js';
import { defer, finalize, of, tap } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { MemberRef } from '../../lib/api/refs.js';
import type { Member, MemberStatus } from '../../lib/codecs/index.js';
import type { MxError } from '../../lib/core/errors.js';
import type { StatementSink } from '../../lib/workflow/sink.js';
import { createRateLimiter } from '../../lib/http/rate-limiter.js';
import { fetchStatementsForMany$, isTransientFailure, needsUserAction, type BatchInput, type BatchItem, type BatchSummary } from '../../lib/workflow/batch.js';
import { fakeClient, httpError, L, R } from '../helpers/fake-client.js';
import { MXBANK_OAUTH, POLICY, TEXT_CHALLENGE, USER } from './fixtures.js';

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

  it('with a client rate limit, is bound by the rate, not a fixed number: members waiting on their job do not hold others back', () => {
    const peaks = { inFlight: 0, starting: 0 };
    ts.run(() => {
      const seen = new Set<string>();
      const started = new Set<string>();
      const jobAt = new Map<string, number>();
      let inFlight = 0;
      const track = () => {
        peaks.inFlight = Math.max(peaks.inFlight, inFlight);
        peaks.starting = Math.max(peaks.starting, seen.size - started.size);
      };
      const api = memberApi(ts);
      const { client: fake } = fakeClient({
        ...api,
        members: {
          ...api.members,
          // each member's job takes 1 s (virtual) from its start
          status$: (ref: MemberRef) => {
            if (!seen.has(ref.memberGuid)) {
              seen.add(ref.memberGuid);
              inFlight += 1;
              track();
            }
            const at = jobAt.get(ref.memberGuid);
            const working = at === undefined || ts.now() - at < 1000;
            return ts.createColdObservable('-(a|)', { a: R({ guid: ref.memberGuid, connection_status: 'CONNECTED', is_being_aggregated: at !== undefined && working }) });
          },
        },
        statements: {
          ...api.statements,
          fetch$: (ref: MemberRef) => ts.createColdObservable('-(a|)', { a: R({ guid: ref.memberGuid } as Member) }).pipe(tap(() => {
            jobAt.set(ref.memberGuid, ts.now());
            started.add(ref.memberGuid);
          })),
          all$: (ref: MemberRef) => api.statements.all$(ref).pipe(finalize(() => { inFlight -= 1; })),
        },
      } as never, { scheduler: ts });
      const limiter = createRateLimiter({ requestsPerSecond: 10 }, ts);
      const client = { ...fake, transport: { limiter } as unknown as typeof fake.transport };
      const inputs = Array.from({ length: 60 }, (_, i) => ({ userGuid: 'USR-1', memberGuid: `MBR-ok-${i}` }));
      const items: BatchItem[] = [];
      fetchStatementsForMany$(client, inputs, { polling: { ...POLICY, deadlineMs: 60_000 }, scheduler: ts, random: () => 1 }).subscribe((i) => items.push(i));
      ts.flush();
      expect(summaryOf(items)).to.deep.include({ total: 60, synced: 60 });
      // one second of requests (10 at 10 req/s) is the most that may be starting at once
      expect(peaks.starting).to.be.at.most(10);
    });
    expect(peaks.inFlight).to.be.greaterThan(30);
  });

  it('an OAuth member waiting for its person no longer counts as starting: the members after it start at once', () => {
    ts.run(() => {
      const doneAt = new Map<string, number>();
      const api = memberApi(ts);
      const window = 'https://int-app.moneydesktop.com/oauth/predirect_to/MBR-O/one-time-token';
      const oauthMember = { guid: 'MBR-O', user_guid: 'USR-1', institution_code: 'mx_bank_oauth', is_oauth: true, connection_status: 'PENDING', successfully_aggregated_at: null };
      const { client: fake } = fakeClient({
        ...api,
        users: { create$: () => ts.createColdObservable('-(u|)', { u: R(USER) }) },
        institutions: { read$: () => ts.createColdObservable('-(i|)', { i: R(MXBANK_OAUTH) }) },
        members: {
          ...api.members,
          create$: () => ts.createColdObservable('-(m|)', { m: R(oauthMember) }),
          oauthWindow$: () => ts.createColdObservable('-(w|)', { w: R({ guid: 'MBR-O', oauth_window_uri: window }) }),
          // the people behind the OAuth members never decide
          status$: (ref: MemberRef) => (ref.memberGuid === 'MBR-O'
            ? ts.createColdObservable('-(a|)', { a: R({ guid: 'MBR-O', connection_status: 'PENDING', is_being_aggregated: false }) })
            : api.members.status$(ref)),
        },
      } as never, { scheduler: ts });
      // a limiter of 1 req/s: at most max(4, 1) = 4 members starting at once
      const client = { ...fake, transport: { limiter: createRateLimiter({ requestsPerSecond: 1 }, ts) } as unknown as typeof fake.transport };
      const oauth = Array.from({ length: 4 }, (_, i): BatchInput => ({ user: { id: `person-${i}` }, institution: { code: 'mx_bank_oauth' } }));
      const inputs: BatchInput[] = [...oauth, { userGuid: 'USR-1', memberGuid: 'MBR-ok-1' }];
      const items: BatchItem[] = [];
      fetchStatementsForMany$(client, inputs, {
        maxPasses: 1, polling: POLICY, oauth: { pendingTimeoutMs: 60_000 }, scheduler: ts, random: () => 1,
      }).subscribe((i) => {
        items.push(i);
        if (i.type === 'member-done') doneAt.set(i.target.key, ts.now());
      });
      ts.flush();
      expect(items.filter((i) => i.type === 'member' && E.isRight(i.event) && i.event.right.type === 'oauth-required')).to.have.length(4);
      // before, MBR-ok-1 waited for a start slot until an OAuth member's 60-s window ran out
      expect(doneAt.get('USR-1/MBR-ok-1')).to.be.below(1000);
      expect(summaryOf(items)).to.deep.include({ total: 5, synced: 1 });
    });
  });

  it('with a client rate limit, still keeps an explicit concurrency as a cap', () => {
    let peak = 0;
    ts.run(() => {
      let inFlight = 0;
      const api = memberApi(ts);
      const { client: fake } = fakeClient({
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
      } as never, { scheduler: ts });
      const client = { ...fake, transport: { limiter: createRateLimiter({ requestsPerSecond: 100 }, ts) } as unknown as typeof fake.transport };
      const items: BatchItem[] = [];
      const inputs = Array.from({ length: 12 }, (_, i) => ({ userGuid: 'USR-1', memberGuid: `MBR-ok-${i}` }));
      fetchStatementsForMany$(client, inputs, { concurrency: 3, polling: POLICY, scheduler: ts, random: () => 1 }).subscribe((i) => items.push(i));
      ts.flush();
      expect(summaryOf(items).synced).to.equal(12);
    });
    expect(peak).to.equal(3);
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

  /** Two pages of users: the first lists USR-A (one member, MBR-ok-1), the second always fails with `boom`. */
  const secondUsersPageFails = (boom: MxError) => {
    const api = memberApi(ts);
    return fakeClient({
      ...api,
      users: {
        list$: (q: { page: number }) => ts.createColdObservable('-(a|)', { a: q.page === 1 ? R(page([{ guid: 'USR-A' }], 1, 2)) : L(boom) }),
      },
      members: { ...api.members, list$: () => ts.createColdObservable('-(a|)', { a: R(page([{ guid: 'MBR-ok-1' }], 1, 1)) }) },
    } as never, { scheduler: ts }).client;
  };

  it("'all-members': a page of users refused for good is reported at once; the members already listed were synced", () => {
    ts.run(() => {
      const boom = httpError('BadRequest', 400, '/users');
      const client = secondUsersPageFails(boom);
      const items: BatchItem[] = [];
      fetchStatementsForMany$(client, 'all-members', { concurrency: 2, polling: POLICY, scheduler: ts, random: () => 1 }).subscribe((i) => items.push(i));
      ts.flush();
      expect(items.filter((i) => i.type === 'listing-failed')).to.deep.equal([{ type: 'listing-failed', error: boom }]);
      expect(items.filter((i) => i.type === 'listing-retry')).to.deep.equal([]);
      expect(summaryOf(items)).to.deep.include({ total: 1, synced: 1, listingError: boom });
    });
  });

  it("'all-members': a user whose members cannot be listed for good (deleted mid-run) is skipped; the listing goes on", () => {
    ts.run(() => {
      const api = memberApi(ts);
      const gone = httpError('NotFound', 404, '/users/USR-3/members');
      const users = ['USR-1', 'USR-2', 'USR-3', 'USR-4', 'USR-5'].map((guid) => ({ guid }));
      const { client } = fakeClient({
        ...api,
        users: { list$: (q: { page: number }) => ts.createColdObservable('-(a|)', { a: R(page(q.page === 1 ? users : [], q.page, 1)) }) },
        members: {
          ...api.members,
          list$: (ref: { userGuid: string }) => ts.createColdObservable('-(a|)', {
            a: ref.userGuid === 'USR-3' ? L(gone) : R(page([{ guid: `MBR-ok-${ref.userGuid}` }], 1, 1)),
          }),
        },
      } as never, { scheduler: ts });
      const items: BatchItem[] = [];
      fetchStatementsForMany$(client, 'all-members', { concurrency: 1, polling: POLICY, scheduler: ts, random: () => 1 }).subscribe((i) => items.push(i));
      ts.flush();
      expect(items.filter((i) => i.type === 'listing-skipped')).to.deep.equal([{ type: 'listing-skipped', userGuid: 'USR-3', error: gone }]);
      expect(items.filter((i) => i.type === 'listing-failed' || i.type === 'listing-retry')).to.deep.equal([]);
      const synced = items.flatMap((i) => (i.type === 'member-done' && i.outcome === 'synced' ? [i.target.memberGuid] : []));
      expect(synced).to.deep.equal(['MBR-ok-USR-1', 'MBR-ok-USR-2', 'MBR-ok-USR-4', 'MBR-ok-USR-5']);
      const s = summaryOf(items);
      expect(s).to.deep.include({ total: 4, synced: 4, listingError: null });
      expect(s.skippedUsers).to.deep.equal([{ key: 'USR-3', userGuid: 'USR-3', memberGuid: null, errorTag: 'NotFound', message: gone.message }]);
    });
  });

  it("'all-members': a page that keeps failing with 429s is asked again (Retry-After honoured), so no member is dropped", () => {
    ts.run(() => {
      const api = memberApi(ts);
      const limited = { ...httpError('RateLimited', 429, '/users'), retryAfterMs: 300 } as MxError;
      let calls = 0;
      const { client } = fakeClient({
        ...api,
        users: {
          list$: (q: { page: number }) => {
            calls += 1;
            if (q.page === 2 && calls < 6) return ts.createColdObservable('-(a|)', { a: L(limited) });
            return ts.createColdObservable('-(a|)', { a: R(page([{ guid: `USR-${q.page}` }], q.page, 2)) });
          },
        },
        members: { ...api.members, list$: (ref: { userGuid: string }) => ts.createColdObservable('-(a|)', { a: R(page([{ guid: `MBR-ok-${ref.userGuid}` }], 1, 1)) }) },
      } as never, { scheduler: ts });
      const items: BatchItem[] = [];
      fetchStatementsForMany$(client, 'all-members', { concurrency: 2, polling: POLICY, scheduler: ts, random: () => 1 }).subscribe((i) => items.push(i));
      ts.flush();
      const retries = items.flatMap((i) => (i.type === 'listing-retry' ? [[i.attempt, i.delayMs]] : []));
      // the client's backoff (5, 10, 20, 40 ms here) is shorter than Retry-After: 300 ms each time
      expect(retries).to.deep.equal([[1, 300], [2, 300], [3, 300], [4, 300]]);
      expect(summaryOf(items)).to.deep.include({ total: 2, synced: 2, listingError: null });
    });
  });

  it("'all-members': a page failing until the run's deadline ends the listing then, with the members listed synced", () => {
    ts.run(() => {
      const boom = httpError('ServerError', 503, '/users');
      const client = secondUsersPageFails(boom);
      const items: BatchItem[] = [];
      let endedAt = -1;
      fetchStatementsForMany$(client, 'all-members', { deadlineMs: 1000, polling: POLICY, scheduler: ts, random: () => 1 })
        .subscribe({ next: (i) => items.push(i), complete: () => { endedAt = ts.now(); } });
      ts.flush();
      expect(items.filter((i) => i.type === 'listing-retry').length).to.be.greaterThan(10);
      expect(items.filter((i) => i.type === 'listing-failed')).to.deep.equal([{ type: 'listing-failed', error: boom }]);
      expect(summaryOf(items)).to.deep.include({ total: 1, synced: 1, listingError: boom });
      expect(endedAt).to.be.within(1000, 1002);
    });
  });

  it('tries a member that failed transiently again in a later pass, and says how many passes it took', () => {
    ts.run(() => {
      const api = memberApi(ts);
      const reset: MxError = { _tag: 'NetworkError', method: 'GET', path: '/statements', message: 'socket hang up', code: 'ECONNRESET' };
      const lists = new Map<string, number>();
      const { client } = fakeClient({
        ...api,
        statements: {
          ...api.statements,
          all$: (ref: MemberRef) => {
            const n = (lists.get(ref.memberGuid) ?? 0) + 1;
            lists.set(ref.memberGuid, n);
            // MBR-ok-flaky fails its first two passes; MBR-ok-down always fails
            const fails = ref.memberGuid === 'MBR-ok-down' || (ref.memberGuid === 'MBR-ok-flaky' && n <= 2);
            return ts.createColdObservable('-(a|)', { a: fails ? L(reset) : R({ guid: `STA-${ref.memberGuid}` }) });
          },
        },
      } as never, { scheduler: ts });
      const inputs = ['MBR-ok-1', 'MBR-ok-flaky', 'MBR-ok-down', 'MBR-gone'].map((memberGuid) => ({ userGuid: 'USR-1', memberGuid }));
      const items: BatchItem[] = [];
      fetchStatementsForMany$(client, inputs, { maxPasses: 4, passDelayMs: 100, polling: POLICY, scheduler: ts, random: () => 1 }).subscribe((i) => items.push(i));
      ts.flush();
      const retries = items.flatMap((i) => (i.type === 'member-retry' ? [`${i.target.memberGuid}:${i.pass}:${i.delayMs}:${i.error._tag}`] : []));
      expect(retries).to.have.members([
        'MBR-ok-flaky:1:100:NetworkError', 'MBR-ok-flaky:2:200:NetworkError',
        'MBR-ok-down:1:100:NetworkError', 'MBR-ok-down:2:200:NetworkError', 'MBR-ok-down:3:400:NetworkError',
      ]);
      const dones = items.flatMap((i) => (i.type === 'member-done' ? [`${i.target.memberGuid}:${i.outcome}:${i.pass}`] : []));
      // a 404 is not transient: no later pass
      expect(dones).to.have.members(['MBR-ok-1:synced:1', 'MBR-ok-flaky:synced:3', 'MBR-ok-down:failed:4', 'MBR-gone:failed:1']);
      expect(summaryOf(items)).to.deep.include({ total: 4, synced: 2, failed: 2, passes: 4, retried: 2, deadlineReached: false });
    });
  });

  it('starts no later pass past the deadline: the member ends with the failure it had', () => {
    ts.run(() => {
      const api = memberApi(ts);
      const busy = httpError('ServerError', 503, '/statements');
      const { client } = fakeClient({
        ...api,
        statements: { ...api.statements, all$: () => ts.createColdObservable('-(a|)', { a: L(busy) }) },
      } as never, { scheduler: ts });
      const items: BatchItem[] = [];
      fetchStatementsForMany$(client, [{ userGuid: 'USR-1', memberGuid: 'MBR-ok-1' }], { deadlineMs: 500, passDelayMs: 200, polling: POLICY, scheduler: ts, random: () => 1 })
        .subscribe((i) => items.push(i));
      ts.flush();
      // pass 1 ends at ~4 ms, pass 2 at ~208 ms; a third pass would start at ~608 ms, past the deadline
      expect(items.filter((i) => i.type === 'member-retry')).to.have.length(1);
      expect(items.filter((i) => i.type === 'member-done')).to.deep.equal([
        { type: 'member-done', target: { index: 0, key: 'USR-1/MBR-ok-1', userGuid: 'USR-1', memberGuid: 'MBR-ok-1' }, outcome: 'failed', error: busy, pass: 2, fresh: false },
      ]);
      expect(summaryOf(items)).to.deep.include({ failed: 1, passes: 2, retried: 1 });
    });
  });

  it('skips the statements job of a member whose last one is younger than maxAge, and records a job that ended well', () => {
    const recorded: string[] = [];
    ts.run(() => {
      const api = memberApi(ts);
      const hash = 'ab'.repeat(32);
      const { client, calls } = fakeClient({
        ...api,
        statements: { ...api.statements, all$: (ref: MemberRef) => ts.createColdObservable('-(a|)', { a: R({ guid: `STA-${ref.memberGuid}`, content_hash: hash }) }) },
      } as never, { scheduler: ts });
      // the run starts at 0: MBR-ok-fresh had a job 1 s before, MBR-ok-stale 3 s before, MBR-ok-new never
      const jobs = new Map<string, number>([['MBR-ok-fresh', -1000], ['MBR-ok-stale', -3000]]);
      const sink: StatementSink = {
        has$: (t) => of(E.right({ location: `saved/${t.statement.guid}`, bytes: 1, sha256: hash })),
        save$: () => { throw new Error('no download expected: every statement is saved'); },
        lastStatementsJob$: (m) => of(E.right(jobs.get(m.memberGuid))),
        recordStatementsJob$: (m, at) => defer(() => {
          recorded.push(`${m.memberGuid}@${at}`);
          return of(E.right(undefined));
        }),
      };
      const inputs = ['MBR-ok-fresh', 'MBR-ok-stale', 'MBR-ok-new'].map((memberGuid) => ({ userGuid: 'USR-1', memberGuid }));
      const items: BatchItem[] = [];
      fetchStatementsForMany$(client, inputs, { maxAge: 2000, download: { sink }, polling: POLICY, scheduler: ts, random: () => 1 }).subscribe((i) => items.push(i));
      ts.flush();
      const callsOf = (guid: string) => calls.filter((c) => JSON.stringify(c.args).includes(guid)).map((c) => c.name);
      expect(callsOf('MBR-ok-fresh')).to.deep.equal(['statements.all$']);
      expect(callsOf('MBR-ok-stale')).to.include.members(['statements.fetch$', 'members.status$', 'statements.all$']);
      const fresh = items.filter((i) => i.type === 'member' && i.target.memberGuid === 'MBR-ok-fresh').map((i) => (i.type === 'member' && E.isRight(i.event) ? i.event.right.type : '?'));
      expect(fresh).to.deep.equal(['statement-listed', 'statement-skipped', 'done']);
      const dones = items.flatMap((i) => (i.type === 'member-done' ? [`${i.target.memberGuid}:${i.outcome}:${String(i.fresh)}`] : []));
      expect(dones).to.have.members(['MBR-ok-fresh:synced:true', 'MBR-ok-stale:synced:false', 'MBR-ok-new:synced:false']);
      expect(summaryOf(items)).to.deep.include({ total: 3, synced: 3, fresh: 1, skipped: 3, statements: 3 });
    });
    expect(recorded.map((r) => r.split('@')[0])).to.have.members(['MBR-ok-stale', 'MBR-ok-new']);
  });

  it("a 'too soon' job (202 but nothing runs) is reported, not retried nor recorded as a statements job: the member lists what MX has and counts as synced", () => {
    const recorded: number[] = [];
    ts.run(() => {
      const api = memberApi(ts);
      const last = '2026-12-01T01:00:00.000Z';
      const stale = { guid: 'MBR-ok-soon', connection_status: 'CONNECTED', is_being_aggregated: false, successfully_aggregated_at: last, aggregated_at: last };
      const { client, calls } = fakeClient({
        ...api,
        members: { ...api.members, status$: () => ts.createColdObservable('-(a|)', { a: R(stale) }) },
        statements: {
          ...api.statements,
          fetch$: () => ts.createColdObservable('-(a|)', { a: R(stale as Member) }),
          all$: () => ts.createColdObservable('-(a|)', { a: R({ guid: 'STA-1', content_hash: 'ab'.repeat(32) }) }),
        },
      } as never, { scheduler: ts });
      const sink: StatementSink = {
        has$: (t) => of(E.right({ location: `saved/${t.statement.guid}`, bytes: 1, sha256: 'ab'.repeat(32) })),
        save$: () => { throw new Error('nothing to download'); },
        lastStatementsJob$: () => of(E.right(undefined)),
        recordStatementsJob$: (_m, at) => defer(() => {
          recorded.push(at);
          return of(E.right(undefined));
        }),
      };
      const items: BatchItem[] = [];
      fetchStatementsForMany$(client, [{ userGuid: 'USR-1', memberGuid: 'MBR-ok-soon' }], { download: { sink }, polling: POLICY, scheduler: ts, random: () => 1 })
        .subscribe((i) => items.push(i));
      ts.flush();
      const types = items.flatMap((i) => (i.type === 'member' && E.isRight(i.event) ? [i.event.right.type] : []));
      expect(types).to.include('statements-job-unconfirmed');
      expect(calls.filter((c) => c.name === 'statements.fetch$')).to.have.length(1);
      expect(summaryOf(items)).to.deep.include({ synced: 1, passes: 1, retried: 0 });
    });
    // MX's last successful aggregation may not have been a statements job: nothing is recorded for maxAge, so the
    // next run asks for a statements job again instead of counting the member fresh
    expect(recorded).to.deep.equal([]);
  });

  it('refuses maxAge without a sink that records statements jobs, and bad numbers', () => {
    const { client } = fakeClient({}, { scheduler: ts });
    const sink: StatementSink = { has$: () => of(E.right(undefined)), save$: () => of(E.right({ location: '', bytes: 0, sha256: '' })) };
    const errorOf = (o: object) => {
      let e: unknown;
      fetchStatementsForMany$(client, [], o).subscribe({ error: (err: unknown) => { e = err; } });
      return String(e);
    };
    expect(errorOf({ maxAge: 1000, download: { sink } })).to.match(/maxAge: needs download.sink with lastStatementsJob\$/);
    expect(errorOf({ maxAge: 1000 })).to.match(/maxAge/);
    expect(errorOf({ maxPasses: 0 })).to.match(/maxPasses/);
    expect(errorOf({ deadlineMs: -1 })).to.match(/deadlineMs/);
    expect(errorOf({ concurrency: 1.5 })).to.match(/concurrency/);
  });

  it('unsubscribing cancels every member, the retry timers and the deadline: no request and no item after it', () => {
    ts.run(() => {
      const api = memberApi(ts);
      const busy = httpError('ServerError', 503, '/statements');
      const { client, calls } = fakeClient({
        ...api,
        statements: { ...api.statements, all$: () => ts.createColdObservable('-(a|)', { a: L(busy) }) },
      } as never, { scheduler: ts });
      const items: BatchItem[] = [];
      const inputs = Array.from({ length: 6 }, (_, i) => ({ userGuid: 'USR-1', memberGuid: `MBR-ok-${i}` }));
      const sub = fetchStatementsForMany$(client, inputs, { concurrency: 2, passDelayMs: 100, polling: POLICY, scheduler: ts, random: () => 1 })
        .subscribe((i) => items.push(i));
      let callsAtCancel = -1;
      let itemsAtCancel = -1;
      ts.schedule(() => {
        sub.unsubscribe();
        callsAtCancel = calls.length;
        itemsAtCancel = items.length;
      }, 150);
      ts.flush();
      expect(callsAtCancel).to.be.greaterThan(0);
      expect(items.some((i) => i.type === 'member-retry')).to.equal(true);
      expect(calls.length).to.equal(callsAtCancel);
      expect(items.length).to.equal(itemsAtCancel);
      expect(ts.now()).to.be.below(1000); // the 6-h deadline timer did not keep virtual time going
    });
  });

  it('classifies errors that need the user', () => {
    const ref = { method: 'GET', path: '/x', memberGuid: 'MBR-1', message: '' };
    expect(needsUserAction({ ...ref, _tag: 'ConnectionFailed', connectionStatus: 'LOCKED' })).to.equal(true);
    expect(needsUserAction({ ...ref, _tag: 'ConnectionFailed', connectionStatus: 'DEGRADED' })).to.equal(false);
    expect(needsUserAction({ ...ref, _tag: 'MfaRequired', challengeTypes: [] })).to.equal(true);
    expect(needsUserAction(httpError('ServerError', 503))).to.equal(false);
  });

  it('counts a PDF stopped for being too slow as transient (a later pass may pass), one over the size cap as final', () => {
    const limit = (l: 'size' | 'duration' | 'throughput'): MxError =>
      ({ _tag: 'DownloadLimitExceeded', method: 'GET', path: '/x.pdf', message: '', limit: l, receivedBytes: 0, elapsedMs: 30_000 });
    expect(isTransientFailure(limit('throughput'))).to.equal(true);
    expect(isTransientFailure(limit('duration'))).to.equal(true);
    expect(isTransientFailure(limit('size'))).to.equal(false);
  });
});

/**
 * One Retry-After rule and one cap (review 27), wherever a 429 is waited out: the transport's retries, a status
 * poll, the member listing of a batch. The wait is the server's Retry-After when it is longer than the caller's
 * backoff; a Retry-After beyond `retry.maxRetryAfterMs` is never slept: the RateLimited error stands.
 */
import { expect } from 'chai';
import { TestScheduler } from 'rxjs/testing';
import type { MemberStatus } from '../../lib/codecs/index.js';
import { DEFAULT_RETRY } from '../../lib/core/config.js';
import type { MxError } from '../../lib/core/errors.js';
import { retryAfterWait } from '../../lib/http/retry-decision.js';
import { allMembersCursor } from '../../lib/workflow/member-cursor.js';
import { pollUntil$ } from '../../lib/workflow/polling.js';
import { resolvePollPolicy } from '../../lib/workflow/policy.js';
import { fakeClient, L, R } from '../helpers/fake-client.js';

const limited = (retryAfterMs?: number): MxError =>
  ({ _tag: 'RateLimited', status: 429, method: 'GET', path: '/users', message: 'GET /users → 429', ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) }) as MxError;

describe('http/retry-decision: retryAfterWait, the one Retry-After rule', () => {
  it('waits the longer of the backoff and Retry-After, and refuses a Retry-After past the cap', () => {
    expect(retryAfterWait(limited(2500), 400, 60_000)).to.equal(2500);
    expect(retryAfterWait(limited(100), 400, 60_000)).to.equal(400);
    expect(retryAfterWait(limited(), 400, 60_000)).to.equal(400);
    expect(retryAfterWait(limited(60_000), 400, 60_000)).to.equal(60_000);
    expect(retryAfterWait(limited(60_001), 400, 60_000)).to.equal(undefined);
    const server: MxError = { _tag: 'ServerError', status: 503, method: 'GET', path: '/x', message: '' } as MxError;
    expect(retryAfterWait(server, 400, 60_000)).to.equal(400);
  });
});

describe('one Retry-After cap for every wait', () => {
  let ts: TestScheduler;
  beforeEach(() => {
    ts = new TestScheduler((a, b) => { expect(a).to.deep.equal(b); });
  });

  it('a status poll: a Retry-After past maxRetryAfterMs ends the polling with the RateLimited at once', () => {
    ts.run(({ cold }) => {
      const seen: Array<[number, string]> = [];
      pollUntil$<MemberStatus>(() => cold('-(a|)', { a: L(limited(2 * 60 * 60_000)) }), {
        policy: resolvePollPolicy({ firstDelayMs: 10, minIntervalMs: 0, intervalMs: 10, deadlineMs: 10 * 60 * 60_000 }),
        isEnd: () => true, scheduler: ts, random: () => 1, onDeadline: () => limited(), maxRetryAfterMs: DEFAULT_RETRY.maxRetryAfterMs,
      }).subscribe({ error: (e: { error?: MxError }) => seen.push([ts.now(), e.error?._tag ?? 'bug']) });
      ts.flush();
      expect(seen).to.deep.equal([[11, 'RateLimited']]);
    });
  });

  it('the member listing: a Retry-After past maxRetryAfterMs is not slept until the run’s deadline; the listing ends with it', () => {
    ts.run(({ cold }) => {
      const { client, calls } = fakeClient({ users: { list$: () => cold('-(a|)', { a: L(limited(2 * 60 * 60_000)) }) } }, { scheduler: ts });
      const cursor = allMembersCursor(client, { retryUntil: 10 * 60 * 60_000, scheduler: ts });
      const seen: Array<[number, string]> = [];
      cursor.next$.subscribe((item) => seen.push([ts.now(), item.kind]));
      ts.flush();
      expect(seen).to.deep.equal([[1, 'end']]);
      expect(cursor.error()).to.deep.include({ _tag: 'RateLimited', retryAfterMs: 2 * 60 * 60_000 });
      expect(calls.filter((c) => c.name === 'users.list$')).to.have.length(1);
    });
  });

  it('the member listing: a Retry-After within the cap is waited when longer than the backoff', () => {
    ts.run(({ cold }) => {
      let n = 0;
      const users = () => (n++ === 0
        ? cold('-(a|)', { a: L(limited(30_000)) })
        : cold('-(a|)', { a: R({ items: [], pagination: { current_page: 1, per_page: 100, total_entries: 0, total_pages: 1 } }) }));
      const { client } = fakeClient({ users: { list$: users } }, { scheduler: ts });
      const seen: Array<[number, string]> = [];
      allMembersCursor(client, { retryUntil: Infinity, scheduler: ts }).next$.subscribe((item) => seen.push([ts.now(), item.kind]));
      ts.flush();
      expect(seen).to.deep.equal([[1 + 30_000 + 1, 'end']]);
    });
  });
});


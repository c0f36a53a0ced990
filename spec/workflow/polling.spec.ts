import { expect } from 'chai';
import { map, take, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { MemberStatus } from '../../lib/codecs/index.js';
import {
  MX_POLLING, SANDBOX_POLLING, WEBHOOK_FAILSAFE_POLLING, basePollPolicy, pollDelay, resolvePollPolicy, type PollPolicy,
} from '../../lib/workflow/policy.js';
import { pollMemberStatus$, pollUntil$ } from '../../lib/workflow/polling.js';
import { fakeClient, httpError, L, R, sequence } from '../helpers/fake-client.js';

const ref = { userGuid: 'USR-1', memberGuid: 'MBR-1' };
const working: MemberStatus = { guid: 'MBR-1', connection_status: 'CONNECTED', is_being_aggregated: true };
const done: MemberStatus = { guid: 'MBR-1', connection_status: 'CONNECTED', is_being_aggregated: false };
const unknown: MemberStatus = { guid: 'MBR-1', connection_status: 'BRAND_NEW_STATUS', is_being_aggregated: true };
const denied: MemberStatus = { guid: 'MBR-1', connection_status: 'DENIED', is_being_aggregated: false };

/** first poll at 10; gaps 10, 20, 40, … (random = 1); deadline 1000. */
const policy: Partial<PollPolicy> = {
  firstDelayMs: 10, minIntervalMs: 0, intervalMs: 10, factor: 2, maxIntervalMs: 1000, deadlineMs: 1000, maxErrors: 2,
};

describe('workflow/polling', () => {
  let ts: TestScheduler;
  beforeEach(() => {
    ts = new TestScheduler((a, b) => { expect(JSON.parse(JSON.stringify(a))).to.deep.equal(JSON.parse(JSON.stringify(b))); });
  });

  describe('policy', () => {
    it("defaults to MX's ≥ 3 s between polls whatever the base URL: a loopback URL no longer picks the fast profile", () => {
      expect(resolvePollPolicy()).to.deep.equal(MX_POLLING);
      expect(MX_POLLING.firstDelayMs).to.be.at.least(3000);
      for (let n = 1; n < 30; n++) {
        expect(pollDelay(n, MX_POLLING, () => 0)).to.be.at.least(3000);
        expect(pollDelay(n, MX_POLLING, () => 0.999)).to.be.at.most(30_000);
      }
    });

    it('starts from SANDBOX_POLLING only when the server said it is the sandbox, and from the failsafe with wakeups', () => {
      expect(basePollPolicy({ sandbox: false }, false)).to.equal(MX_POLLING);
      expect(basePollPolicy({ sandbox: true }, false)).to.equal(SANDBOX_POLLING);
      expect(basePollPolicy({ sandbox: true }, true)).to.equal(WEBHOOK_FAILSAFE_POLLING);
      expect(basePollPolicy({ sandbox: false }, true)).to.equal(WEBHOOK_FAILSAFE_POLLING);
      expect(resolvePollPolicy({ deadlineMs: 5000 }, SANDBOX_POLLING)).to.deep.equal({ ...SANDBOX_POLLING, deadlineMs: 5000 });
      expect(WEBHOOK_FAILSAFE_POLLING.firstDelayMs).to.be.greaterThan(MX_POLLING.maxIntervalMs / 2);
    });

    it('fills jobStartGraceMs from the base profile when a caller’s policy has none', () => {
      const { jobStartGraceMs: _drop, ...noGrace } = SANDBOX_POLLING;
      expect(resolvePollPolicy({}, noGrace).jobStartGraceMs).to.equal(MX_POLLING.jobStartGraceMs);
      expect(resolvePollPolicy({ jobStartGraceMs: 7 }, SANDBOX_POLLING).jobStartGraceMs).to.equal(7);
      expect(() => resolvePollPolicy({ jobStartGraceMs: -1 })).to.throw(RangeError, /jobStartGraceMs/);
      // unchosen, it leaves half of a short deadline for the job itself; chosen, it stands
      expect(resolvePollPolicy({ deadlineMs: 5000 }).jobStartGraceMs).to.equal(2500);
      expect(resolvePollPolicy({ deadlineMs: 5000, jobStartGraceMs: 4000 }).jobStartGraceMs).to.equal(4000);
    });

    it('grows by the factor, is capped, and jitters within [exp/2, exp] above the floor', () => {
      const p = resolvePollPolicy(policy);
      expect([1, 2, 3, 4].map((n) => pollDelay(n, p, () => 1))).to.deep.equal([10, 20, 40, 80]);
      expect([1, 2, 3, 4].map((n) => pollDelay(n, p, () => 0))).to.deep.equal([5, 10, 20, 40]);
      expect(pollDelay(30, p, () => 1)).to.equal(1000);
      expect(pollDelay(1, { ...p, minIntervalMs: 8 }, () => 0)).to.equal(8);
    });

    it('refuses a policy that can never work', () => {
      expect(() => resolvePollPolicy({ factor: 0.5 })).to.throw(RangeError, /factor/);
      expect(() => resolvePollPolicy({ minIntervalMs: 10, maxIntervalMs: 5 })).to.throw(RangeError, /maxIntervalMs/);
    });
  });

  describe('pollUntil$ (marbles)', () => {
    it('waits firstDelay, then backs off exponentially, and ends on (and with) the end value', () => {
      ts.run(({ cold, expectObservable, expectSubscriptions }) => {
        const calls = [cold('-(a|)', { a: R('w') }), cold('-(a|)', { a: R('w') }), cold('-(a|)', { a: R('d') })];
        const get = sequence(...calls);
        const ticks = pollUntil$(get, {
          policy: resolvePollPolicy(policy),
          isEnd: (s) => s === 'd',
          scheduler: ts,
          random: () => 1,
          onDeadline: () => httpError('ServerError', 500),
        }).pipe(map((t) => `${t.value}${t.attempt}:${t.nextDelayMs}`));
        // poll 1 at 10 (answer 11), gap 10 → poll 2 at 21 (answer 22), gap 20 → poll 3 at 42 (answer 43)
        expectObservable(ticks).toBe('11ms a 10ms b 20ms (c|)', { a: 'w1:10', b: 'w2:20', c: 'd3:null' });
        expectSubscriptions(calls[0]!.subscriptions).toBe('10ms ^!');
        expectSubscriptions(calls[1]!.subscriptions).toBe('21ms ^!');
        expectSubscriptions(calls[2]!.subscriptions).toBe('42ms ^!');
      });
    });

    it('never overlaps polls: a slow answer pushes the next poll back', () => {
      ts.run(({ cold, expectObservable, expectSubscriptions }) => {
        const slow = cold('30ms (a|)', { a: R('w') });
        const next = cold('-(a|)', { a: R('d') });
        const ticks = pollUntil$(sequence(slow, next), {
          policy: resolvePollPolicy(policy),
          isEnd: (s) => s === 'd',
          scheduler: ts,
          random: () => 1,
          onDeadline: () => httpError('ServerError', 500),
        }).pipe(map((t) => t.value));
        expectObservable(ticks).toBe('40ms a 10ms (b|)', { a: 'w', b: 'd' });
        expectSubscriptions(slow.subscriptions).toBe('10ms ^ 29ms !');
        expectSubscriptions(next.subscriptions).toBe('50ms ^!');
      });
    });
  });

  describe('pollUntil$ with wakeups (marbles)', () => {
    const opts = (ts: TestScheduler, wakeup$: Observable<unknown>) => ({
      policy: resolvePollPolicy({ ...policy, firstDelayMs: 100, intervalMs: 100, minIntervalMs: 0 }),
      isEnd: (s: string) => s === 'd',
      scheduler: ts,
      random: () => 1,
      onDeadline: () => httpError('ServerError', 500),
      wakeup$,
    });

    it('a wakeup ends the wait at once (first delay and later gaps); without one the timer does', () => {
      ts.run(({ cold, hot, expectObservable, expectSubscriptions }) => {
        const wakeups = hot('20ms w 50ms w');
        const calls = [cold('-(a|)', { a: R('w') }), cold('-(a|)', { a: R('w') }), cold('-(a|)', { a: R('d') })];
        const ticks = pollUntil$(sequence(...calls), opts(ts, wakeups)).pipe(map((t) => t.value));
        // wakeup at 20 → poll 1 (→21); wakeup at 71 → poll 2 (→72); no wakeup → the 200 gap → poll 3 at 272 (→273)
        expectObservable(ticks).toBe('21ms a 50ms b 200ms (c|)', { a: 'w', b: 'w', c: 'd' });
        expectSubscriptions(calls[1]!.subscriptions).toBe('71ms ^!');
        expectSubscriptions(calls[2]!.subscriptions).toBe('272ms ^!');
        expectSubscriptions(wakeups.subscriptions).toBe(['^ 272ms !', '^ 19ms !', '21ms ^ 49ms !', '72ms ^ 199ms !']);
      });
    });

    it('a wakeup that arrives while a poll is in flight makes the next wait zero (one early poll, not more)', () => {
      ts.run(({ cold, hot, expectObservable }) => {
        const wakeups = hot('105ms (ww)');
        const calls = [cold('10ms (a|)', { a: R('w') }), cold('-(a|)', { a: R('w') }), cold('-(a|)', { a: R('d') })];
        const ticks = pollUntil$(sequence(...calls), opts(ts, wakeups)).pipe(map((t) => t.value));
        // poll 1 at 100 (in flight until 110; two wakeups at 105) → poll 2 at once (→111) → the 200 gap → poll 3 at 311 (→312)
        expectObservable(ticks).toBe('110ms a b 200ms (c|)', { a: 'w', b: 'w', c: 'd' });
      });
    });
  });

  describe('pollUntil$: a wakeup never polls sooner than minIntervalMs after the previous poll (review 7)', () => {
    const floored = (ts: TestScheduler, wakeup$: Observable<unknown>, lastPollAt?: number) => ({
      policy: resolvePollPolicy({ ...policy, firstDelayMs: 100, intervalMs: 100, minIntervalMs: 100, deadlineMs: 1000 }),
      isEnd: () => false,
      scheduler: ts,
      random: () => 1,
      onDeadline: () => httpError('ServerError', 500),
      wakeup$,
      ...(lastPollAt !== undefined ? { lastPollAt } : {}),
    });

    it('a wakeup stream that replays its last value (BehaviorSubject, shareReplay) paces the polls at minIntervalMs instead of spinning', () => {
      ts.run(({ cold }) => {
        const replaying = cold('w'); // every subscription gets a value at once
        const at: number[] = [];
        pollUntil$(() => cold('-(a|)', { a: R('w') }), floored(ts, replaying)).subscribe({ next: () => at.push(ts.now()), error: () => undefined });
        ts.flush();
        // the first wait ends at once (no poll yet), then one poll per 100 ms until the deadline
        expect(at).to.deep.equal([1, 102, 203, 304, 405, 506, 607, 708, 809, 910]);
      });
    });

    it('a flood of wakeups polls at most once per minIntervalMs; a wakeup after a long quiet polls at once', () => {
      ts.run(({ cold, hot }) => {
        const flood = hot(`${'w '.repeat(200)}700ms w`);
        const at: number[] = [];
        pollUntil$(() => cold('-(a|)', { a: R('w') }), floored(ts, flood)).subscribe({ next: () => at.push(ts.now()), error: () => undefined });
        ts.flush();
        // a wakeup every ms until 199: polls at 0, 101 and 202 only; then the timer (400 after 203); the wakeup at 900,
        // long after that poll, polls at once
        expect(at).to.deep.equal([1, 102, 203, 604, 901]);
      });
    });

    it('the floor counts from a poll made before this polling began (the previous phase of the run)', () => {
      ts.run(({ cold }) => {
        const at: number[] = [];
        ts.schedule(() => {
          pollUntil$(() => cold('-(a|)', { a: R('w') }), floored(ts, cold('w'), 470)).pipe(take(1)).subscribe(() => at.push(ts.now()));
        }, 500);
        ts.flush();
        expect(at).to.deep.equal([571]);
      });
    });
  });

  describe('pollMemberStatus$ (marbles, fake client)', () => {
    it('keeps to MX_POLLING against a loopback base URL until the server says it is the sandbox', () => {
      ts.run(({ cold, expectObservable }) => {
        const hints = { sandbox: false };
        const { client } = fakeClient({
          members: { status$: () => cold('(a|)', { a: R(done) }) },
        }, { scheduler: ts, baseUrl: 'http://127.0.0.1:4010', hints });
        expectObservable(pollMemberStatus$(client, ref).pipe(map((r) => r._tag))).toBe(`${MX_POLLING.firstDelayMs}ms (a|)`, { a: 'Right' });
        // decided when polling starts: once an answer named the sandbox, a later poll picks the fast profile
        ts.schedule(() => {
          hints.sandbox = true;
        }, 5000);
        expectObservable(pollMemberStatus$(client, ref).pipe(map((r) => r._tag)), '6000ms ^')
          .toBe(`${6000 + SANDBOX_POLLING.firstDelayMs}ms (a|)`, { a: 'Right' });
      });
    });

    it('ignores wakeups for other members', () => {
      ts.run(({ cold, hot, expectObservable }) => {
        const wakeups = hot<{ memberGuid: string }>('5ms a 5ms b', { a: { memberGuid: 'MBR-2' }, b: { memberGuid: 'MBR-1' } });
        const { client } = fakeClient({ members: { status$: () => cold('(a|)', { a: R(done) }) } }, { scheduler: ts });
        const out = pollMemberStatus$(client, ref, { polling: { ...policy, firstDelayMs: 100 }, wakeups }).pipe(map((r) => r._tag));
        expectObservable(out).toBe('11ms (a|)', { a: 'Right' }); // MBR-2's wakeup at 5 is not ours; MBR-1's at 11 is
      });
    });


    it('treats unknown statuses as transient and stops on a terminal one', () => {
      ts.run(({ cold, expectObservable }) => {
        const { client } = fakeClient({
          members: { status$: sequence(cold('-(a|)', { a: R(unknown) }), cold('-(a|)', { a: R(denied) })) },
        }, { scheduler: ts });
        const out = pollMemberStatus$(client, ref, { polling: policy, random: () => 1 }).pipe(
          map((r) => (r._tag === 'Right' ? `${r.right.value.connection_status}/${r.right.nextDelayMs}` : r.left._tag)),
        );
        expectObservable(out).toBe('11ms a 10ms (b|)', { a: 'BRAND_NEW_STATUS/10', b: 'DENIED/null' });
      });
    });

    it('ends with PollTimeout at the deadline, cancelling the call in flight', () => {
      ts.run(({ cold, expectObservable, expectSubscriptions }) => {
        const calls = [cold('-(a|)', { a: R(working) }), cold('-(a|)', { a: R(working) }), cold('20ms (a|)', { a: R(working) })];
        const { client } = fakeClient({ members: { status$: sequence(...calls) } }, { scheduler: ts });
        const out = pollMemberStatus$(client, ref, { polling: { ...policy, deadlineMs: 50 }, random: () => 1 });
        expectObservable(out).toBe('11ms a 10ms b 27ms (c|)', {
          a: R({ value: working, attempt: 1, nextDelayMs: 10 }),
          b: R({ value: working, attempt: 2, nextDelayMs: 20 }),
          c: L({
            _tag: 'PollTimeout', method: 'GET', path: '/users/USR-1/members/MBR-1/status', memberGuid: 'MBR-1', deadlineMs: 50,
            lastStatus: 'CONNECTED', message: 'member MBR-1 reached no end state within 50 ms (last status CONNECTED)',
          }),
        });
        expectSubscriptions(calls[2]!.subscriptions).toBe('42ms ^ 7ms !');
      });
    });

    it('tolerates retryable status errors up to maxErrors in a row, and stops on the next one', () => {
      ts.run(({ cold, expectObservable }) => {
        const e503 = httpError('ServerError', 503);
        const { client } = fakeClient({
          members: {
            status$: sequence(
              cold('-(a|)', { a: L(e503) }), cold('-(a|)', { a: R(working) }),
              cold('-(a|)', { a: L(e503) }), cold('-(a|)', { a: L(e503) }), cold('-(a|)', { a: L(e503) }),
            ),
          },
        }, { scheduler: ts });
        const out = pollMemberStatus$(client, ref, { polling: policy, random: () => 1 }).pipe(
          map((r) => (r._tag === 'Right' ? `ok${r.right.attempt}` : r.left._tag)),
        );
        // 10: error (11) → retry after pollDelay(0+1)=10 → 21: ok (22) → gap pollDelay(1)=10 → 32: error (33)
        // → retry 1 after pollDelay(1+1)=20 → 53: error (54) → retry 2 after pollDelay(1+2)=40 → 94: error (95) → Left
        expectObservable(out).toBe('22ms a 72ms (b|)', { a: 'ok1', b: 'ServerError' });
      });
    });

    it('returns a non-retryable status error at once', () => {
      ts.run(({ cold, expectObservable }) => {
        const e404 = httpError('NotFound', 404);
        const { client } = fakeClient({ members: { status$: sequence(cold('-(a|)', { a: L(e404) })) } }, { scheduler: ts });
        expectObservable(pollMemberStatus$(client, ref, { polling: policy })).toBe('11ms (a|)', { a: L(e404) });
      });
    });

    it('unsubscribing mid-poll tears down the call in flight and schedules nothing more', () => {
      ts.run(({ cold, expectObservable, expectSubscriptions }) => {
        const first = cold('-(a|)', { a: R(working) });
        const second = cold('5ms (a|)', { a: R(done) });
        const { client, calls } = fakeClient({ members: { status$: sequence(first, second) } }, { scheduler: ts });
        const out = pollMemberStatus$(client, ref, { polling: policy, random: () => 1 }).pipe(map((r) => r._tag));
        expectObservable(out, '^ 23ms !').toBe('11ms a', { a: 'Right' });
        expectSubscriptions(second.subscriptions).toBe('21ms ^ 2ms !');
        ts.flush();
        expect(calls).to.have.length(2);
      });
    });
  });
});

import { expect } from 'chai';
import { map } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { MemberStatus } from '../../lib/codecs/index.js';
import { MX_POLLING, SANDBOX_POLLING, isLoopbackUrl, pollDelay, resolvePollPolicy, type PollPolicy } from '../../lib/workflow/policy.js';
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
    ts = new TestScheduler((a, b) => { expect(a).to.deep.equal(b); });
  });

  describe('policy', () => {
    it('defaults to ≥ 3 s between polls against MX hosts and a fast profile on loopback', () => {
      expect(resolvePollPolicy('https://int-api.mx.com')).to.deep.equal(MX_POLLING);
      expect(resolvePollPolicy('http://127.0.0.1:4010')).to.deep.equal(SANDBOX_POLLING);
      expect(isLoopbackUrl('http://localhost:1')).to.equal(true);
      expect(MX_POLLING.firstDelayMs).to.be.at.least(3000);
      for (let n = 1; n < 30; n++) {
        expect(pollDelay(n, MX_POLLING, () => 0)).to.be.at.least(3000);
        expect(pollDelay(n, MX_POLLING, () => 0.999)).to.be.at.most(30_000);
      }
    });

    it('grows by the factor, is capped, and jitters within [exp/2, exp] above the floor', () => {
      const p = resolvePollPolicy('https://x.test', policy);
      expect([1, 2, 3, 4].map((n) => pollDelay(n, p, () => 1))).to.deep.equal([10, 20, 40, 80]);
      expect([1, 2, 3, 4].map((n) => pollDelay(n, p, () => 0))).to.deep.equal([5, 10, 20, 40]);
      expect(pollDelay(30, p, () => 1)).to.equal(1000);
      expect(pollDelay(1, { ...p, minIntervalMs: 8 }, () => 0)).to.equal(8);
    });

    it('refuses a policy that can never work', () => {
      expect(() => resolvePollPolicy('https://x.test', { factor: 0.5 })).to.throw(RangeError, /factor/);
      expect(() => resolvePollPolicy('https://x.test', { minIntervalMs: 10, maxIntervalMs: 5 })).to.throw(RangeError, /maxIntervalMs/);
    });
  });

  describe('pollUntil$ (marbles)', () => {
    it('waits firstDelay, then backs off exponentially, and ends on (and with) the end value', () => {
      ts.run(({ cold, expectObservable, expectSubscriptions }) => {
        const calls = [cold('-(a|)', { a: R('w') }), cold('-(a|)', { a: R('w') }), cold('-(a|)', { a: R('d') })];
        const get = sequence(...calls);
        const ticks = pollUntil$(get, {
          policy: resolvePollPolicy('https://x.test', policy),
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
          policy: resolvePollPolicy('https://x.test', policy),
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

  describe('pollMemberStatus$ (marbles, fake client)', () => {
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

/**
 * Webhooks wake polling (contract 5): `wakeups` ends a status poll's wait for that member at once (the status is
 * still read from the API, no sooner than minIntervalMs after the previous poll), and while webhooks arrive the
 * default pace is the slow WEBHOOK_FAILSAFE_POLLING.
 */
import { expect } from 'chai';
import * as E from 'fp-ts/lib/Either.js';
import { BehaviorSubject, map, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { MemberWakeup } from '../../lib/workflow/input.js';
import { fetchStatements$ } from '../../lib/workflow/fetch-statements.js';
import { MX_POLLING, SANDBOX_POLLING, WEBHOOK_FAILSAFE_POLLING, WEBHOOK_SILENCE_MS } from '../../lib/workflow/policy.js';
import { fakeClient, R, sequence } from '../helpers/fake-client.js';
import { ACCEPTED, DONE, REF, STALE, STATEMENT, WORKING } from './fixtures.js';

describe('workflow: wakeups (webhooks) cut a poll’s wait short', () => {
  let ts: TestScheduler;
  beforeEach(() => {
    ts = new TestScheduler((a, b) => { expect(JSON.parse(JSON.stringify(a))).to.deep.equal(JSON.parse(JSON.stringify(b))); });
  });

  const client = (cold: TestScheduler['createColdObservable'], statuses = [DONE], hints = { sandbox: false }) => fakeClient({
    members: { status$: sequence(...statuses.map((s) => cold('-(a|)', { a: R(s) }))) },
    statements: { fetch$: () => cold('-(m|)', { m: R(ACCEPTED) }), all$: () => cold('(s|)', { s: R(STATEMENT) }) },
  }, { scheduler: ts, hints });
  const kinds = map((r: E.Either<unknown, { type: string }>) => (E.isRight(r) ? r.right.type : 'Left'));

  it('with wakeups the pace is the failsafe: no wakeup → the first poll only after WEBHOOK_FAILSAFE_POLLING.firstDelayMs', () => {
    ts.run(({ cold, hot, expectObservable }) => {
      const wakeups = hot<MemberWakeup>('-');
      const { client: c } = client(cold, [DONE], { sandbox: true }); // even against the sandbox, wakeups pick the failsafe
      const out = fetchStatements$(c, { member: REF, wakeups, scheduler: ts, random: () => 1 }).pipe(kinds);
      const at = 1 + WEBHOOK_FAILSAFE_POLLING.firstDelayMs + 1;
      expectObservable(out).toBe(`-a ${at - 2}ms (bcde|)`, { a: 'statements-job-started', b: 'status', c: 'connected', d: 'statement-listed', e: 'done' });
    });
  });

  it('a wakeup for the member ends the wait at once: one poll per member when the webhook comes after the job', () => {
    ts.run(({ cold, hot, expectObservable, expectSubscriptions }) => {
      const wakeups = hot<MemberWakeup>('4000ms a 999ms b', { a: { memberGuid: 'MBR-OTHER' }, b: { memberGuid: 'MBR-1' } });
      const { client: c, calls } = client(cold);
      const out = fetchStatements$(c, { member: REF, wakeups, scheduler: ts, random: () => 1 }).pipe(kinds);
      // job at 1; another member's webhook at 4000 is ignored; ours at 5000 → poll → 5001
      expectObservable(out).toBe('-a 4999ms (bcde|)', { a: 'statements-job-started', b: 'status', c: 'connected', d: 'statement-listed', e: 'done' });
      // one subscription for the whole phase (a wakeup during a request counts), one for the wait it ended
      expectSubscriptions(wakeups.subscriptions).toBe(['1ms ^ 4999ms !', '1ms ^ 4998ms !']);
      ts.flush();
      expect(calls.filter((x) => x.name === 'members.status$')).to.have.length(1);
    });
  });

  it('a wakeup still needs evidence: a webhook about a stale state reads it, and polling goes on', () => {
    ts.run(({ cold, hot }) => {
      const wakeups = hot<MemberWakeup>('100ms a 99ms b', { a: { memberGuid: 'MBR-1' }, b: { memberGuid: 'MBR-1' } });
      const { client: c, calls } = client(cold, [STALE, DONE]);
      const seen: string[] = [];
      fetchStatements$(c, { member: REF, wakeups, scheduler: ts, random: () => 1 }).pipe(kinds).subscribe((k) => seen.push(`${k}@${ts.now()}`));
      ts.flush();
      // the second wakeup (200) polls no sooner than minIntervalMs (10 s) after the first poll's answer (101)
      expect(seen).to.deep.equal(['statements-job-started@1', 'status@101', 'status@10102', 'connected@10102', 'statement-listed@10102', 'done@10102']);
      expect(calls.filter((x) => x.name === 'members.status$')).to.have.length(2);
    });
  });

  it('a wakeups stream that replays its last value (BehaviorSubject) does not make polling spin: one poll per minIntervalMs at most', () => {
    ts.run(({ cold }) => {
      const wakeups = new BehaviorSubject<MemberWakeup>({ memberGuid: 'MBR-1' });
      const { client: c, calls } = fakeClient({
        members: { status$: () => cold('-(a|)', { a: R(WORKING) }) },
        statements: { fetch$: () => cold('-(m|)', { m: R(ACCEPTED) }) },
      }, { scheduler: ts });
      const sub = fetchStatements$(c, { member: REF, wakeups, scheduler: ts, random: () => 1 }).subscribe();
      ts.schedule(() => sub.unsubscribe(), 60_000);
      ts.flush();
      // woken at once after the job started (1 → 2), then no closer than WEBHOOK_FAILSAFE_POLLING.minIntervalMs
      expect(calls.filter((x) => x.name === 'members.status$')).to.have.length(1 + Math.floor((60_000 - 2) / WEBHOOK_FAILSAFE_POLLING.minIntervalMs));
    });
  });

  describe('the failsafe pace lasts while webhooks arrive (review 19)', () => {
    /** Runs one member on a shared wakeups stream from `start`, and tells when its first status poll answered. */
    const firstPollAt = (cold: TestScheduler['createColdObservable'], wakeups: Observable<MemberWakeup>, start: number, statuses = [DONE]): (() => number | undefined) => {
      let at: number | undefined;
      ts.schedule(() => {
        const { client: c } = client(cold, statuses);
        fetchStatements$(c, { member: REF, wakeups, scheduler: ts, random: () => 1 }).subscribe((r) => {
          if (at === undefined && E.isRight(r) && r.right.type === 'status') at = ts.now();
        });
      }, start);
      return () => at;
    };

    it('a stream silent for WEBHOOK_SILENCE_MS (a receiver MX never calls) gives later polling phases the normal pace', () => {
      ts.run(({ cold, hot }) => {
        const wakeups = hot<MemberWakeup>('-');
        const first = firstPollAt(cold, wakeups, 0);
        const later = firstPollAt(cold, wakeups, WEBHOOK_SILENCE_MS + 30_000);
        ts.flush();
        expect(first()).to.equal(1 + WEBHOOK_FAILSAFE_POLLING.firstDelayMs + 1); // a fresh stream: webhooks may come
        expect(later()).to.equal(WEBHOOK_SILENCE_MS + 30_000 + 1 + MX_POLLING.firstDelayMs + 1); // nothing came: MX's pace
      });
    });

    it('while wakeups keep coming (for any member), new phases keep the failsafe pace', () => {
      ts.run(({ cold, hot }) => {
        const wakeups = hot<MemberWakeup>(`${'60000ms w '.repeat(10)}`, { w: { memberGuid: 'MBR-OTHER' } });
        // another member's run, polling (its job is long) while the other member's webhooks come in
        firstPollAt(cold, wakeups, 0, Array.from({ length: 60 }, () => WORKING));
        const later = firstPollAt(cold, wakeups, WEBHOOK_SILENCE_MS + 30_000);
        ts.flush();
        expect(later()).to.equal(WEBHOOK_SILENCE_MS + 30_000 + 1 + WEBHOOK_FAILSAFE_POLLING.firstDelayMs + 1);
      });
    });
  });

  it('a polling override that contradicts a profile the run may pick later is resolved for it, never a RangeError mid-run (review 8)', () => {
    ts.run(({ cold, hot }) => {
      const wakeups = hot<MemberWakeup>('-');
      const { client: c, calls } = client(cold, [WORKING, DONE]);
      const seen: string[] = [];
      // maxIntervalMs 5000 is below the failsafe's minIntervalMs (10 s): the caller's bound wins
      fetchStatements$(c, { member: REF, wakeups, polling: { maxIntervalMs: 5000 }, scheduler: ts, random: () => 1 })
        .pipe(kinds).subscribe({ next: (k) => seen.push(`${k}@${ts.now()}`), error: (e: unknown) => seen.push(`bug:${String(e)}`) });
      ts.flush();
      expect(seen).to.deep.equal([
        'statements-job-started@1', `status@${1 + WEBHOOK_FAILSAFE_POLLING.firstDelayMs + 1}`, `status@${1 + WEBHOOK_FAILSAFE_POLLING.firstDelayMs + 1 + 5000 + 1}`,
        `connected@${1 + WEBHOOK_FAILSAFE_POLLING.firstDelayMs + 5002}`, `statement-listed@${1 + WEBHOOK_FAILSAFE_POLLING.firstDelayMs + 5002}`, `done@${1 + WEBHOOK_FAILSAFE_POLLING.firstDelayMs + 5002}`,
      ]);
      expect(calls.filter((x) => x.name === 'members.status$')).to.have.length(2);
    });
    // a caller's own contradiction is refused at subscription, before anything is requested
    const { client: c, calls } = fakeClient({});
    let bug: unknown;
    fetchStatements$(c, { member: REF, polling: { minIntervalMs: 10, maxIntervalMs: 5 } }).subscribe({ error: (e: unknown) => { bug = e; } });
    expect(bug).to.be.instanceOf(RangeError);
    expect(calls).to.have.length(0);
  });

  it('the caller’s polling wins over the failsafe', () => {
    ts.run(({ cold, hot, expectObservable }) => {
      const wakeups = hot<MemberWakeup>('-');
      const { client: c } = client(cold);
      const out = fetchStatements$(c, { member: REF, wakeups, polling: SANDBOX_POLLING, scheduler: ts, random: () => 1 }).pipe(kinds);
      expectObservable(out).toBe(`-a ${SANDBOX_POLLING.firstDelayMs}ms (bcde|)`, { a: 'statements-job-started', b: 'status', c: 'connected', d: 'statement-listed', e: 'done' });
    });
  });

  it('unsubscribing releases the wakeup subscription with everything else', () => {
    ts.run(({ cold, hot, expectSubscriptions }) => {
      const wakeups = hot<MemberWakeup>('-');
      const { client: c } = client(cold);
      expectSubscriptions(wakeups.subscriptions).toBe(['1ms ^ 98ms !', '1ms ^ 98ms !']);
      const sub = fetchStatements$(c, { member: REF, wakeups, scheduler: ts }).subscribe();
      ts.schedule(() => sub.unsubscribe(), 100);
    });
  });
});

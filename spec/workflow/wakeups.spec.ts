/**
 * Webhooks wake polling (contract 5): `wakeups` ends a status poll's wait for that member at once (the status is
 * still read from the API), and with wakeups the default pace is the slow WEBHOOK_FAILSAFE_POLLING.
 */
import { expect } from 'chai';
import * as E from 'fp-ts/lib/Either.js';
import { map } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { MemberWakeup } from '../../lib/workflow/input.js';
import { fetchStatements$ } from '../../lib/workflow/fetch-statements.js';
import { SANDBOX_POLLING, WEBHOOK_FAILSAFE_POLLING } from '../../lib/workflow/policy.js';
import { fakeClient, R, sequence } from '../helpers/fake-client.js';
import { ACCEPTED, DONE, REF, STALE, STATEMENT } from './fixtures.js';

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
      expect(seen).to.deep.equal(['statements-job-started@1', 'status@101', 'status@201', 'connected@201', 'statement-listed@201', 'done@201']);
      expect(calls.filter((x) => x.name === 'members.status$')).to.have.length(2);
    });
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

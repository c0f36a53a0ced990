import { expect } from 'chai';
import { TestScheduler } from 'rxjs/testing';
import type { StatementEvent } from '../../lib/workflow/events.js';
import { addToRunSummary, emptyRunSummary, withRunSummary } from '../../lib/workflow/run-summary.js';
import { REF, STATEMENT } from './fixtures.js';

const events: StatementEvent[] = [
  { type: 'statements-job-started', userGuid: 'USR-1', memberGuid: 'MBR-1', joined: false, waitedForOtherJobs: 0 },
  { type: 'status', memberGuid: 'MBR-1', connectionStatus: 'CHALLENGED', isBeingAggregated: true, attempt: 1, nextDelayMs: null },
  { type: 'challenge-answered', memberGuid: 'MBR-1', round: 1, challengeGuids: ['CRD-1'] },
  { type: 'status', memberGuid: 'MBR-1', connectionStatus: 'CONNECTED', isBeingAggregated: false, attempt: 2, nextDelayMs: null },
  { type: 'connected', memberGuid: 'MBR-1', polls: 2, mfaRounds: 1 },
  { type: 'statement-listed', memberGuid: 'MBR-1', statement: STATEMENT },
  { type: 'statement-listed', memberGuid: 'MBR-1', statement: { ...STATEMENT, guid: 'STA-2' } },
  { type: 'statement-downloaded', memberGuid: 'MBR-1', statementGuid: 'STA-1', bytes: 1000, sha256: 'a', location: 'memory:1' },
  { type: 'statement-skipped', memberGuid: 'MBR-1', statementGuid: 'STA-2', bytes: 500, sha256: 'b', location: 'memory:2' },
];

describe('workflow/run-summary: done is derived from the run’s events', () => {
  it('folds polls, MFA rounds, statements, downloads (with bytes) and skips (without)', () => {
    expect(events.reduce(addToRunSummary, emptyRunSummary(REF, true))).to.deep.equal({
      userGuid: 'USR-1', memberGuid: 'MBR-1', statements: 2, downloaded: 1, skipped: 1, bytes: 1000, polls: 2, mfaRounds: 1, downloadEnabled: true,
    });
  });

  it('withRunSummary passes the events on and appends done once they complete; nothing after a failure', () => {
    const ts = new TestScheduler((a, b) => { expect(a).to.deep.equal(b); });
    ts.run(({ cold, expectObservable }) => {
      const summary = { ...emptyRunSummary(REF, false), polls: 1 };
      expectObservable(cold('-a-|', { a: events[1]! }).pipe(withRunSummary(REF, false))).toBe('-a-(d|)', { a: events[1]!, d: { type: 'done', summary } });
      expectObservable(cold('-a-#', { a: events[1]! }).pipe(withRunSummary(REF, false))).toBe('-a-#', { a: events[1]! });
    });
  });
});

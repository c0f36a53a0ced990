/**
 * The code of docs/recipes/marble-testing.md, run as a spec so the recipe stays true.
 */
import { expect } from 'chai';
import * as E from 'fp-ts/lib/Either.js';
import { EMPTY, Subject, concatMap, filter, map, scan, startWith, take, tap, timeout, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { ChallengeAnswer, ChallengedEvent, MxError, StatementEvent } from '../../../lib/index.js';

// ---- the user's code under test ---------------------------------------------------------------------------

/** What a screen shows about a run. */
interface Progress {
  readonly step: string;
  readonly saved: number;
  readonly error: string | null;
}

/** Folds the workflow's results into a view model. */
const progress = (results$: Observable<E.Either<MxError, StatementEvent>>): Observable<Progress> =>
  results$.pipe(
    scan<E.Either<MxError, StatementEvent>, Progress>(
      (p, r) =>
        E.isLeft(r)
          ? { ...p, step: 'failed', error: r.left._tag }
          : r.right.type === 'statement-downloaded'
            ? { ...p, saved: p.saved + 1 }
            : { ...p, step: r.right.type },
      { step: 'starting', saved: 0, error: null },
    ),
    startWith({ step: 'starting', saved: 0, error: null }),
  );

/**
 * For each challenge round, waits for the user's answer (at most `giveUpMs`) and sends it on `mfa`. If the user
 * does not answer in time, `mfa` completes, and the workflow ends the run with `MfaRequired`.
 */
const answerChallenges = (
  results$: Observable<E.Either<MxError, StatementEvent>>,
  answer$: Observable<string>,
  mfa: Subject<ChallengeAnswer[]>,
  giveUpMs: number,
): Observable<ChallengeAnswer[]> =>
  results$.pipe(
    filter(E.isRight),
    map((r) => r.right),
    filter((ev): ev is ChallengedEvent => ev.type === 'challenged'),
    concatMap((ev) =>
      answer$.pipe(
        take(1),
        timeout({ first: giveUpMs, with: () => (mfa.complete(), EMPTY) }),
        map((value) => ev.challenges.map((c) => ({ guid: c.guid, value }))),
      ),
    ),
    tap((answers) => mfa.next(answers)),
  );

// ---- the tests ----------------------------------------------------------------------------------------------

const ev = {
  user: E.right<MxError, StatementEvent>({ type: 'user-ready', userGuid: 'USR-1', userId: 'u', created: true }),
  challenged: E.right<MxError, StatementEvent>({ type: 'challenged', memberGuid: 'MBR-1', round: 1, challenges: [{ guid: 'CRD-1', type: 'TEXT' }] }),
  saved: E.right<MxError, StatementEvent>({
    type: 'statement-downloaded', memberGuid: 'MBR-1', statementGuid: 'STA-1', bytes: 10, sha256: 'ab', location: 'memory:MBR-1/STA-1',
  }),
  denied: E.left<MxError, StatementEvent>({
    _tag: 'ConnectionFailed', method: 'GET', path: '/users/USR-1/members/MBR-1/status', message: 'DENIED', memberGuid: 'MBR-1', connectionStatus: 'DENIED',
  }),
};

describe('recipe: marble-testing your own code', () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => {
      expect(actual).to.deep.equal(expected);
    });
  });

  it('folds events into a view model', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const results$ = cold('-u--s--s--d|', { u: ev.user, s: ev.saved, d: ev.denied });
      expectObservable(progress(results$)).toBe('ab--c--d--e|', {
        a: { step: 'starting', saved: 0, error: null },
        b: { step: 'user-ready', saved: 0, error: null },
        c: { step: 'user-ready', saved: 1, error: null },
        d: { step: 'user-ready', saved: 2, error: null },
        e: { step: 'failed', saved: 2, error: 'ConnectionFailed' },
      });
    });
  });

  it('answers a challenge when the user types', () => {
    scheduler.run(({ cold, hot, expectObservable }) => {
      const mfa = new Subject<ChallengeAnswer[]>();
      const results$ = cold('--c-|', { c: ev.challenged });
      const typed$ = hot('-----a', { a: 'correct' });
      expectObservable(answerChallenges(results$, typed$, mfa, 60_000)).toBe('-----(x|)', { x: [{ guid: 'CRD-1', value: 'correct' }] });
    });
  });

  it('gives up after a minute without an answer: the answers complete', () => {
    scheduler.run(({ cold, hot, expectObservable }) => {
      const mfa = new Subject<ChallengeAnswer[]>();
      let gaveUpAt = -1;
      mfa.subscribe({ complete: () => (gaveUpAt = scheduler.now()) });
      const results$ = cold('--c-|', { c: ev.challenged });
      expectObservable(answerChallenges(results$, hot('-'), mfa, 60_000)).toBe('-- 60000ms |');
      scheduler.flush();
      expect(gaveUpAt).to.equal(60_002);
    });
  });
});

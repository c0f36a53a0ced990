/**
 * The `done` summary of a run, derived from the run's own events: a pure fold, and the operator that appends
 * its result as the last event.
 *
 * @module
 */
import { connect, map, merge, reduce, type OperatorFunction } from 'rxjs';
import type { MemberRef } from '../api/refs.js';
import type { DoneEvent, RunSummary, StatementEvent } from './events.js';

/**
 * The summary of a run that has done nothing yet.
 *
 * @example
 * ```ts
 * import { emptyRunSummary } from './run-summary.js';
 * emptyRunSummary({ userGuid: 'USR-1', memberGuid: 'MBR-1' }, false).polls; // 0
 * ```
 */
export const emptyRunSummary = (ref: MemberRef, downloadEnabled: boolean): RunSummary => ({
  userGuid: ref.userGuid,
  memberGuid: ref.memberGuid,
  statements: 0,
  downloaded: 0,
  skipped: 0,
  bytes: 0,
  polls: 0,
  mfaRounds: 0,
  downloadEnabled,
});

/**
 * Adds one event to a summary: every `status` is a poll, every `challenge-answered` an MFA round, every
 * `statement-listed` a statement; downloads and skips count with their bytes (skipped bytes are not counted).
 *
 * @example
 * ```ts
 * import { addToRunSummary } from './run-summary.js';
 * import { emptyRunSummary } from './run-summary.js';
 * const s = addToRunSummary(emptyRunSummary({ userGuid: 'USR-1', memberGuid: 'MBR-1' }, true),
 *   { type: 'statement-downloaded', memberGuid: 'MBR-1', statementGuid: 'STA-1', bytes: 2048, sha256: 'ab', location: 'memory:STA-1' });
 * s.downloaded; // 1
 * s.bytes;      // 2048
 * ```
 */
export const addToRunSummary = (s: RunSummary, ev: StatementEvent): RunSummary => {
  switch (ev.type) {
    case 'status':
      return { ...s, polls: s.polls + 1 };
    case 'challenge-answered':
      return { ...s, mfaRounds: s.mfaRounds + 1 };
    case 'statement-listed':
      return { ...s, statements: s.statements + 1 };
    case 'statement-downloaded':
      return { ...s, downloaded: s.downloaded + 1, bytes: s.bytes + ev.bytes };
    case 'statement-skipped':
      return { ...s, skipped: s.skipped + 1 };
    default:
      return s;
  }
};

/**
 * Passes a run's events on and, once they completed, emits `done` with their summary (nothing after a failure).
 *
 * @example
 * ```ts
 * import { of } from 'rxjs';
 * import { type StatementEvent } from 'mx-statements-rx';
 * import { withRunSummary } from './run-summary.js';
 * of<StatementEvent>({ type: 'connected', memberGuid: 'MBR-1', polls: 1, mfaRounds: 0 })
 *   .pipe(withRunSummary({ userGuid: 'USR-1', memberGuid: 'MBR-1' }, false))
 *   .subscribe((ev) => console.log(ev.type)); // connected, done
 * ```
 */
export const withRunSummary = (ref: MemberRef, downloadEnabled: boolean): OperatorFunction<StatementEvent, StatementEvent> =>
  connect((events) => merge(
    events,
    events.pipe(
      reduce(addToRunSummary, emptyRunSummary(ref, downloadEnabled)),
      map((summary): DoneEvent => ({ type: 'done', summary })),
    ),
  ));

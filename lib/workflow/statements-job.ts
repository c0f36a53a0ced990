/**
 * Step 5: `POST …/fetch_statements`. A 202 while a statements job runs joins it; a 409 (a job of another type
 * runs) waits for that job to end, then starts, at most `jobConflictRetries` times.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import { catchError, concat, concatMap, defer, map, of, throwError, type Observable } from 'rxjs';
import type { MemberRef } from '../api/refs.js';
import type { MemberStatus } from '../codecs/index.js';
import { errorOf, unwrap } from './either.js';
import type { StatementsJobStartedEvent, StatusEvent } from './events.js';
import type { WorkflowContext } from './input.js';
import { pollTimeout, pollUntil$, type PollTick } from './polling.js';
import { retryStep } from './retry-step.js';

/** Counts status polls across the phases of one run, so `status.attempt` keeps growing. */
export interface PollCounter {
  polls: number;
}

/**
 * The `status` event of one poll of `ref`, numbered by `counter` (which it advances).
 *
 * @example
 * ```ts
 * import { statusEvent } from './statements-job.js';
 * const counter = { polls: 0 };
 * statusEvent({ userGuid: 'USR-1', memberGuid: 'MBR-1' }, counter, { value: { guid: 'MBR-1', connection_status: 'CONNECTED' }, attempt: 1, nextDelayMs: 3000 });
 * // { type: 'status', memberGuid: 'MBR-1', connectionStatus: 'CONNECTED', isBeingAggregated: null, attempt: 1, nextDelayMs: 3000 }
 * ```
 */
export const statusEvent = (ref: MemberRef, counter: PollCounter, t: PollTick<MemberStatus>): StatusEvent => ({
  type: 'status',
  memberGuid: ref.memberGuid,
  connectionStatus: t.value.connection_status ?? null,
  isBeingAggregated: t.value.is_being_aggregated ?? null,
  attempt: (counter.polls += 1),
  nextDelayMs: t.nextDelayMs,
});

/**
 * Emits `status` events while waiting out other jobs, then one `statements-job-started`. When a job may
 * already be running (a reused or existing member), the status is read first so `joined` can be told.
 */
export const startStatementsJob$ = (
  ctx: WorkflowContext,
  ref: MemberRef,
  mayBeRunning: boolean,
  counter: PollCounter,
): Observable<StatementsJobStartedEvent | StatusEvent> =>
  defer(() => {
    const { members, statements } = ctx.client;
    const running$ = mayBeRunning
      ? members.status$(ref).pipe(map((r) => E.isRight(r) && r.right.is_being_aggregated === true))
      : of(false);

    const waitIdle$: Observable<StatusEvent> = pollUntil$(() => members.status$(ref), {
      policy: ctx.polling,
      isEnd: (s) => s.is_being_aggregated !== true,
      scheduler: ctx.scheduler,
      random: ctx.random,
      onDeadline: pollTimeout(ref),
      maxRetryAfterMs: ctx.client.config.retry.maxRetryAfterMs,
    }).pipe(
      map((t) => statusEvent(ref, counter, t)),
    );

    const post$ = (waited: number, joined: boolean): Observable<StatementsJobStartedEvent | StatusEvent> =>
      defer(() => statements.fetch$(ref)).pipe(
        unwrap(),
        retryStep(ctx),
        map((): StatementsJobStartedEvent => ({
          type: 'statements-job-started',
          userGuid: ref.userGuid,
          memberGuid: ref.memberGuid,
          joined,
          waitedForOtherJobs: waited,
        })),
        catchError((err: unknown) =>
          errorOf(err)?._tag === 'Conflict' && waited < ctx.jobConflictRetries
            ? concat(waitIdle$, defer(() => post$(waited + 1, false)))
            : throwError(() => err)),
      );

    return running$.pipe(concatMap((wasRunning) => post$(0, wasRunning)));
  });

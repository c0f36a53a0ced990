/**
 * Status polling with backoff, jitter and an overall deadline, driven by an injectable scheduler.
 *
 * @module
 */
import type * as E from 'fp-ts/lib/Either.js';
import {
  EMPTY, asyncScheduler, concat, concatMap, defer, map, repeat, retry, takeUntil, takeWhile, throwError, timer,
  type Observable, type SchedulerLike,
} from 'rxjs';
import { memberPath, type MemberRef } from '../api/refs.js';
import type { MxClient } from '../api/client.js';
import type { MemberStatus } from '../codecs/index.js';
import { isRetryable, type MxError } from '../core/errors.js';
import { MxFailure } from '../http/failure.js';
import { errorOf, toEither, unwrap } from './either.js';
import { pollDelay, resolvePollPolicy, type PollPolicy } from './policy.js';
import { memberPhase } from './phase.js';

/**
 * One poll's answer with its place in the sequence.
 *
 * @example
 * ```ts
 * import type { MemberStatus, PollTick } from 'mx-statements-rx';
 * const t: PollTick<MemberStatus> = { value: { guid: 'MBR-1', connection_status: 'CONNECTED' }, attempt: 2, nextDelayMs: 6000 };
 * ```
 */
export interface PollTick<S> {
  readonly value: S;
  /** 1-based, within this polling run. */
  readonly attempt: number;
  /** The wait before the next poll; `null` when this value ended the polling. */
  readonly nextDelayMs: number | null;
}

/** Options of {@link pollUntil$}. */
export interface PollUntilOptions<S> {
  readonly policy: PollPolicy;
  /** Polling stops after (and including) the first value for which this is true. */
  readonly isEnd: (value: S) => boolean;
  readonly scheduler?: SchedulerLike;
  readonly random?: () => number;
  /** Overrides `policy.deadlineMs`; `Infinity` for none (the caller bounds it some other way). */
  readonly deadlineMs?: number;
  /** The error for a missed deadline, given the last value seen. */
  readonly onDeadline: (last: S | undefined, deadlineMs: number) => MxError;
  /** Which failed calls are retried (up to `policy.maxErrors` in a row). Default: `isRetryable`. */
  readonly tolerate?: (error: MxError) => boolean;
  /** A 429's `Retry-After` is waited (when longer than the backoff) up to this; beyond it the error stands. Default 60 000. */
  readonly maxRetryAfterMs?: number;
}

/**
 * Polls `get` until `isEnd`, the internal form: values as {@link PollTick}s, expected failures as `MxFailure`
 * on the error channel. `timer(firstDelay)` → `defer(get)` + `repeat({ delay })` with backoff and jitter →
 * inclusive `takeWhile` → `takeUntil(timer(deadline))`, which then fails with `onDeadline`. Polls never overlap
 * (the next one is scheduled when the previous answered); unsubscribing cancels the timer and the call in flight.
 */
export const pollUntil$ = <S>(get: () => Observable<E.Either<MxError, S>>, o: PollUntilOptions<S>): Observable<PollTick<S>> =>
  defer(() => {
    const scheduler = o.scheduler ?? asyncScheduler;
    const random = o.random ?? Math.random;
    const tolerate = o.tolerate ?? isRetryable;
    const deadlineMs = o.deadlineMs ?? o.policy.deadlineMs;
    let n = 0;
    let nextDelay = o.policy.firstDelayMs;
    let last: S | undefined;
    let ended = false;

    const once$ = defer(get).pipe(
      unwrap<S>(),
      retry({
        count: o.policy.maxErrors,
        delay: (err: unknown, k: number) => {
          const e = errorOf(err);
          if (e === undefined || !tolerate(e)) return throwError(() => err);
          const backoff = pollDelay(n + k, o.policy, random);
          if (e._tag !== 'RateLimited' || e.retryAfterMs === undefined) return timer(backoff, scheduler);
          return e.retryAfterMs > (o.maxRetryAfterMs ?? 60_000)
            ? throwError(() => err)
            : timer(Math.max(backoff, e.retryAfterMs), scheduler);
        },
      }),
      map((value): PollTick<S> => {
        n += 1;
        last = value;
        ended = o.isEnd(value);
        nextDelay = ended ? 0 : pollDelay(n, o.policy, random);
        return { value, attempt: n, nextDelayMs: ended ? null : nextDelay };
      }),
    );

    const ticks$ = timer(o.policy.firstDelayMs, scheduler).pipe(
      concatMap(() => once$.pipe(repeat({ delay: () => timer(nextDelay, scheduler) }))),
      takeWhile((t) => t.nextDelayMs !== null, true),
    );
    const bounded$ = Number.isFinite(deadlineMs) ? ticks$.pipe(takeUntil(timer(deadlineMs, scheduler))) : ticks$;
    return concat(
      bounded$,
      defer(() => (ended ? EMPTY : throwError(() => new MxFailure(o.onDeadline(last, deadlineMs))))),
    );
  });

/**
 * Options of {@link pollMemberStatus$}.
 *
 * @example
 * ```ts
 * import type { PollMemberStatusOptions } from 'mx-statements-rx';
 * const o: PollMemberStatusOptions = { polling: { deadlineMs: 60_000 }, until: (s) => s.is_being_aggregated === false };
 * ```
 */
export interface PollMemberStatusOptions {
  /** Overrides of the policy (the default depends on the client's base URL: see `resolvePollPolicy`). */
  readonly polling?: Partial<PollPolicy>;
  /** Stop condition. Default: any phase but "working" (done, terminal or CHALLENGED). */
  readonly until?: (status: MemberStatus) => boolean;
  /** Default: the client's scheduler. */
  readonly scheduler?: SchedulerLike;
  /** Default: the client's random. */
  readonly random?: () => number;
}

/** The `PollTimeout` of a member's status polling. */
export const pollTimeout = (ref: MemberRef) => (last: MemberStatus | undefined, deadlineMs: number): MxError => ({
  _tag: 'PollTimeout',
  method: 'GET',
  path: `${memberPath(ref)}/status`,
  memberGuid: ref.memberGuid,
  deadlineMs,
  ...(last?.connection_status ? { lastStatus: last.connection_status } : {}),
  message: `member ${ref.memberGuid} reached no end state within ${deadlineMs} ms` +
    (last?.connection_status ? ` (last status ${last.connection_status})` : ''),
});

/**
 * Polls a member's status (`GET …/status`) with backoff and jitter until it leaves the "working" phase (done,
 * terminal or CHALLENGED, unless `until` says otherwise), as `Either` values: every poll as `Right(tick)`, and
 * on a missed deadline, or a failed call that is not retryable (or failed more than `maxErrors` times in a
 * row), one final `Left`. Cold; unsubscribing cancels the pending timer and the call in flight.
 *
 * @example
 * ```ts
 * import { createMxClient, pollMemberStatus$ } from 'mx-statements-rx';
 * const client = createMxClient({ baseUrl: 'http://127.0.0.1:4010', clientId: 'id', apiKey: 'key' });
 * pollMemberStatus$(client, { userGuid: 'USR-1', memberGuid: 'MBR-1' }, { polling: { deadlineMs: 60_000 } })
 *   .subscribe((r) => console.log(r));
 * ```
 */
export const pollMemberStatus$ = (
  client: MxClient,
  ref: MemberRef,
  options: PollMemberStatusOptions = {},
): Observable<E.Either<MxError, PollTick<MemberStatus>>> =>
  defer(() =>
    pollUntil$(() => client.members.status$(ref), {
      policy: resolvePollPolicy(client.config.baseUrl, options.polling),
      isEnd: options.until ?? ((s) => memberPhase(s) !== 'working'),
      scheduler: options.scheduler ?? client.config.scheduler,
      random: options.random ?? client.config.random,
      onDeadline: pollTimeout(ref),
      maxRetryAfterMs: client.config.retry.maxRetryAfterMs,
    }),
  ).pipe(toEither());

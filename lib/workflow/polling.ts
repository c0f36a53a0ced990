/**
 * Status polling with backoff, jitter, an overall deadline and optional wakeups, driven by an injectable
 * scheduler.
 *
 * @module
 */
import type * as E from 'fp-ts/lib/Either.js';
import {
  EMPTY, Observable, asyncScheduler, concat, concatMap, defer, map, of, race, repeat, retry, take, takeUntil, takeWhile,
  throwError, timer, using, type SchedulerLike,
} from 'rxjs';
import { memberPath, type MemberRef } from '../api/refs.js';
import type { MxClient } from '../api/client.js';
import type { MemberStatus } from '../codecs/index.js';
import { isRetryable, type MxError } from '../core/errors.js';
import { DEFAULT_RETRY } from '../core/config.js';
import { MxFailure } from '../http/failure.js';
import { retryAfterWait } from '../http/retry-decision.js';
import { errorOf, toEither, unwrap } from './either.js';
import { basePollPolicy, pollDelay, resolvePollPolicy, type PollPolicy } from './policy.js';
import { memberPhase } from './phase.js';
import type { MxObservable } from '../core/observable-either.js';
import { webhookActivity } from './webhook-activity.js';

/**
 * One poll's answer with its place in the sequence.
 *
 * @example
 * ```ts
 * import type { MemberStatus } from 'mx-statements-rx';
 * import type { PollTick } from './polling.js';
 * const t: PollTick<MemberStatus> = { value: { guid: 'MBR-1', connection_status: 'CONNECTED' }, attempt: 2, nextDelayMs: 6000 };
 * ```
 */
export interface PollTick<S> {
  readonly value: S;
  /** 1-based, within this polling run. */
  readonly attempt: number;
  /** The planned wait before the next poll (a wakeup may cut it short); `null` when this value ended the polling. */
  readonly nextDelayMs: number | null;
}

/** A {@link PollTick} with the state folded over every value so far (see {@link PollUntilOptions.fold}). */
export interface FoldedTick<S, W> extends PollTick<S> {
  readonly state: W;
}

/** Options of {@link pollUntil$}. */
export interface PollUntilOptions<S, W = undefined> {
  readonly policy: PollPolicy;
  /** Polling stops after (and including) the first value for which this is true, given the folded state. */
  readonly isEnd: (value: S, state: W) => boolean;
  /** State carried from poll to poll: `step(state, value)` for each value, starting at `seed`. */
  readonly fold?: { readonly seed: W; readonly step: (state: W, value: S) => W };
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
  /**
   * Each value ends the wait for the next poll early: at once, but never sooner than `policy.minIntervalMs`
   * after the previous poll's answer (a stream that replays its last value, or a flood of webhooks, cannot make
   * polling spin). Subscribed while the polling runs; a value that arrives while a poll is in flight makes the
   * next wait that short (at most one early poll per wait).
   */
  readonly wakeup$?: Observable<unknown>;
  /** When the previous poll (before this polling began: an earlier phase of the same run) answered, for that floor. */
  readonly lastPollAt?: number;
}

/**
 * Polls `get` until `isEnd`, the internal form: values as {@link FoldedTick}s, expected failures as `MxFailure`
 * on the error channel. `timer(firstDelay)` → `defer(get)` + `repeat({ delay })` with backoff and jitter →
 * inclusive `takeWhile` → `takeUntil(timer(deadline))`, which then fails with `onDeadline`. A wait races the
 * wakeups, when given (a wakeup's poll keeps `minIntervalMs` after the previous one). Polls never overlap (the next one is scheduled when the previous answered);
 * unsubscribing cancels the timer, the wakeup subscription and the call in flight.
 */
export const pollUntil$ = <S, W = undefined>(
  get: () => MxObservable<S>,
  o: PollUntilOptions<S, W>,
): Observable<FoldedTick<S, W>> =>
  defer(() => {
    const scheduler = o.scheduler ?? asyncScheduler;
    const random = o.random ?? Math.random;
    const tolerate = o.tolerate ?? isRetryable;
    const deadlineMs = o.deadlineMs ?? o.policy.deadlineMs;
    const wakeup$ = o.wakeup$;
    let n = 0;
    let nextDelay = o.policy.firstDelayMs;
    let last: S | undefined;
    let state = o.fold?.seed as W;
    let ended = false;
    let woken = false;
    let lastAnswerAt = o.lastPollAt;

    /** A wakeup's wait: what is left of `minIntervalMs` since the last answer (none before the first poll). */
    const early$ = (ms: number): Observable<unknown> => defer(() => {
      const left = lastAnswerAt === undefined ? 0 : Math.min(ms, o.policy.minIntervalMs - (scheduler.now() - lastAnswerAt));
      return left > 0 ? timer(left, scheduler) : of(0);
    });
    const wait$ = (ms: number): Observable<unknown> => {
      if (wakeup$ === undefined) return timer(ms, scheduler);
      return woken ? early$(ms) : race(timer(ms, scheduler), wakeup$.pipe(take(1), concatMap(() => early$(ms))));
    };

    const once$ = defer(() => {
      woken = false;
      return get();
    }).pipe(
      unwrap<S>(),
      retry({
        count: o.policy.maxErrors,
        delay: (err: unknown, k: number) => {
          const e = errorOf(err);
          if (e === undefined || !tolerate(e)) return throwError(() => err);
          const wait = retryAfterWait(e, pollDelay(n + k, o.policy, random), o.maxRetryAfterMs ?? DEFAULT_RETRY.maxRetryAfterMs);
          return wait === undefined ? throwError(() => err) : timer(wait, scheduler);
        },
      }),
      map((value): FoldedTick<S, W> => {
        n += 1;
        last = value;
        lastAnswerAt = scheduler.now();
        if (o.fold) state = o.fold.step(state, value);
        ended = o.isEnd(value, state);
        nextDelay = ended ? 0 : pollDelay(n, o.policy, random);
        return { value, attempt: n, nextDelayMs: ended ? null : nextDelay, state };
      }),
    );

    const ticks$ = defer(() => wait$(o.policy.firstDelayMs)).pipe(
      take(1),
      concatMap(() => once$.pipe(repeat({ delay: () => wait$(nextDelay) }))),
      takeWhile((t) => t.nextDelayMs !== null, true),
    );
    const bounded$ = Number.isFinite(deadlineMs) ? ticks$.pipe(takeUntil(timer(deadlineMs, scheduler))) : ticks$;
    const watched$ = wakeup$ === undefined
      ? bounded$
      : using(() => wakeup$.subscribe(() => {
        woken = true;
      }), () => bounded$);
    return concat(
      watched$,
      defer(() => (ended ? EMPTY : throwError(() => new MxFailure(o.onDeadline(last, deadlineMs))))),
    );
  });

/**
 * Options of {@link pollMemberStatus$}.
 *
 * @example
 * ```ts
 * import type { PollMemberStatusOptions } from './polling.js';
 * const o: PollMemberStatusOptions = { polling: { deadlineMs: 60_000 }, until: (s) => s.is_being_aggregated === false };
 * ```
 */
export interface PollMemberStatusOptions {
  /**
   * Overrides of the policy. The profile underneath: `WEBHOOK_FAILSAFE_POLLING` while webhooks arrive on
   * `wakeups` (a stream silent for 2 minutes is not), else `SANDBOX_POLLING` once the server said it is the sandbox
   * (`client.hints.sandbox`), else `MX_POLLING`.
   */
  readonly polling?: Partial<PollPolicy>;
  /** Stop condition. Default: any phase but "working" (done, terminal or CHALLENGED). */
  readonly until?: (status: MemberStatus) => boolean;
  /** Webhook hints: a value for this member ends a wait at once. */
  readonly wakeups?: Observable<{ readonly memberGuid: string }>;
  /** Default: the client's scheduler. */
  readonly scheduler?: SchedulerLike;
  /** Default: the client's random. */
  readonly random?: () => number;
}

/**
 * The `PollTimeout` of a member's status polling.
 *
 * @example
 * ```ts
 * import { pollTimeout } from './polling.js';
 * pollTimeout({ userGuid: 'USR-1', memberGuid: 'MBR-1' })(undefined, 60_000).message; // 'member MBR-1 reached no end state within 60000 ms'
 * ```
 */
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
 * row), one final `Left`. The profile is chosen at subscription. Cold; unsubscribing cancels the pending timer
 * and the call in flight. It reads statuses only: it does not tell a finished job from a stale status (the
 * workflow does, see the guide).
 *
 * @example
 * ```ts
 * import { createMxClient } from 'mx-statements-rx';
 * import { pollMemberStatus$ } from './polling.js';
 * const client = createMxClient({ baseUrl: 'http://127.0.0.1:4010', clientId: 'id', apiKey: 'key' });
 * pollMemberStatus$(client, { userGuid: 'USR-1', memberGuid: 'MBR-1' }, { polling: { deadlineMs: 60_000 } })
 *   .subscribe((r) => console.log(r));
 * ```
 */
export const pollMemberStatus$ = (
  client: MxClient,
  ref: MemberRef,
  options: PollMemberStatusOptions = {},
): MxObservable<PollTick<MemberStatus>> =>
  defer(() => {
    const until = options.until ?? ((s: MemberStatus) => memberPhase(s) !== 'working');
    const wakeups = options.wakeups;
    const scheduler = options.scheduler ?? client.config.scheduler;
    const webhooks = wakeups === undefined ? undefined : webhookActivity(wakeups, scheduler);
    return pollUntil$(() => client.members.status$(ref), {
      policy: resolvePollPolicy(options.polling, basePollPolicy(client.hints, webhooks?.arriving() ?? false)),
      isEnd: (s) => until(s),
      scheduler,
      random: options.random ?? client.config.random,
      onDeadline: pollTimeout(ref),
      maxRetryAfterMs: client.config.retry.maxRetryAfterMs,
      ...(wakeups !== undefined ? { wakeup$: forMember(wakeups, ref.memberGuid, webhooks?.seen) } : {}),
    }).pipe(map(({ value, attempt, nextDelayMs }): PollTick<MemberStatus> => ({ value, attempt, nextDelayMs })));
  }).pipe(toEither());

/**
 * The wakeups of one member; `onAny` is told of every wakeup on the stream (whatever its member: it shows that
 * webhooks arrive).
 *
 * @example
 * ```ts
 * import { Subject } from 'rxjs';
 * import { forMember } from './polling.js';
 * const hooks = new Subject<{ memberGuid: string }>();
 * forMember(hooks, 'MBR-1').subscribe(() => console.log('MBR-1 changed'));
 * ```
 */
export const forMember = (wakeups: Observable<{ readonly memberGuid: string }>, memberGuid: string, onAny?: () => void): Observable<unknown> =>
  new Observable<unknown>((subscriber) =>
    wakeups.subscribe({
      next: (w) => {
        onAny?.();
        if (w?.memberGuid === memberGuid) subscriber.next(w);
      },
      error: (e: unknown) => subscriber.error(e),
    }));

/**
 * One API call as one Observable: rate-limit token, request, timeout and retries, written as a small state
 * machine rather than a chain of operators, because it runs for every request and its cost is the library's
 * overhead per call (see `bench/README.md`, `overhead`).
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import { Observable, type SchedulerLike, type Subscriber, type Subscription } from 'rxjs';
import type { FetchInit, FetchLike, FetchResponseLike, RetryNotice, RetryPolicy } from '../core/config.js';
import { discardBody } from './body.js';
import type { MxError, Timeout } from '../core/errors.js';
import { statusFailure, toNetworkError, type WireRequest } from './exchange.js';
import { MxFailure, isMxFailure } from './failure.js';
import { requestPriorityOf, type RateLimiter, type RequestPriority } from './rate-limiter.js';
import { retryDelayFor } from './retry-decision.js';
import { unusableAnswer } from './unusable-answer.js';
import type { MxObservable } from '../core/observable-either.js';

/** What every call of one client shares. */
export interface CallContext {
  /** `undefined`: no rate limit. */
  readonly limiter: RateLimiter | undefined;
  readonly scheduler: SchedulerLike;
  readonly timeoutMs: number;
  readonly retry: RetryPolicy;
  readonly random: () => number;
  /** Told before each retry (what failed, the wait, the attempt numbers). */
  readonly onRetry?: (notice: RetryNotice) => void;
  /** Shown the head of every answer (any status), before it is read: where the client learns its hints. */
  readonly onResponse?: (res: FetchResponseLike) => void;
}

/**
 * One call: the request, and how the body of its 2xx answer is read. A {@link MxFailure} the reader throws is
 * that failure; anything else it throws is a network failure while reading the body.
 */
export type CallSpec<A, R = A> = {
  readonly fetch: FetchLike;
  readonly wire: WireRequest;
  /** Its place in the rate limiter's line; default {@link requestPriorityOf} its method and path. */
  readonly priority?: RequestPriority;
} & (
  | {
      /**
       * The body is read whole (`read`, the I/O), then turned into the one value passed on (`decode`, pure: a
       * `Left` is final, never retried). The timeout covers each attempt from request to the end of its body.
       */
      readonly mode: 'whole';
      readonly read: (res: FetchResponseLike) => Promise<R>;
      readonly decode: (raw: R) => E.Either<MxError, A>;
    }
  | {
      /**
       * The body is passed on in pieces as they arrive, through `emit`; `read` resolves once it is done. The
       * timeout restarts at every piece: a download may take long, but must not stall.
       */
      readonly mode: 'stream';
      readonly read: (res: FetchResponseLike, emit: (value: A) => void) => Promise<void>;
    }
);

/**
 * Runs a call: emits `Right` for each value its reader passes on and completes, or emits one `Left` with the
 * last failure once no retry is left. `build` makes the call's spec at each subscription. Each attempt waits
 * for a rate-limit token, sends its own request and is aborted when it times out or when the subscriber
 * unsubscribes (body reads included). A failure is retried as {@link retryDelayFor} says, after the delay, on
 * the context's scheduler; a failure after values were passed on is never retried (they would be repeated).
 * Errors that are not expected failures (bugs) go to the error channel.
 */
export const call$ = <A, R = A>(context: CallContext, build: () => CallSpec<A, R>): MxObservable<A> =>
  new Observable<E.Either<MxError, A>>((subscriber) => {
    const run = new CallRun(context, build(), subscriber);
    run.next();
    return () => run.stop();
  });

class CallRun<A, R> {
  private attempts = 0;
  /** The attempt in flight; `undefined` while waiting (token, retry delay) or once over. */
  private controller: AbortController | undefined;
  /** The body of the attempt in flight was read to its end: nothing left to abort. */
  private settled = false;
  /** Values passed on by the attempt in flight. */
  private passed = 0;
  /** The timeout of the attempt in flight, or the delay before the next one. */
  private timer: Subscription | undefined;
  /** Waiting for a rate-limit token. */
  private gate: Subscription | undefined;

  constructor(
    private readonly context: CallContext,
    private readonly spec: CallSpec<A, R>,
    private readonly subscriber: Subscriber<E.Either<MxError, A>>,
  ) {}

  /** Starts the next attempt, once the rate limiter allows it. */
  next(): void {
    this.attempts++;
    const { limiter } = this.context;
    if (limiter === undefined) this.send();
    else this.gate = limiter.acquire(this.spec.priority ?? requestPriorityOf(this.spec.wire.method, this.spec.wire.path)).subscribe(() => this.send());
  }

  /** Releases everything: the timer, the token wait, and the request unless its body was read to its end. */
  stop(): void {
    this.timer?.unsubscribe();
    this.gate?.unsubscribe();
    if (this.controller !== undefined && !this.settled) this.controller.abort();
    this.controller = undefined;
  }

  private send(): void {
    const controller = new AbortController();
    this.controller = controller;
    this.settled = false;
    this.passed = 0;
    this.armTimeout();
    // Expected failures never get here (the attempt turns them into `fail`): this is a bug, reported as one.
    this.attempt(controller).catch((err: unknown) => {
      if (!this.subscriber.closed) this.subscriber.error(err);
    });
  }

  private async attempt(controller: AbortController): Promise<void> {
    const { wire, fetch } = this.spec;
    const init: { -readonly [K in keyof FetchInit]: FetchInit[K] } = { method: wire.method, headers: wire.headers, signal: controller.signal, redirect: 'manual' };
    if (wire.body !== undefined) init.body = wire.body;
    let res: FetchResponseLike;
    try {
      res = await fetch(wire.url, init);
    } catch (err) {
      if (this.controller === controller) this.fail(new MxFailure(toNetworkError(wire, err), true));
      return;
    }
    this.context.onResponse?.(res);
    if (this.controller !== controller) return;
    const unusable = unusableAnswer(res, wire);
    if (unusable !== undefined) {
      discardBody(res.body);
      this.fail(unusable);
      return;
    }
    if (res.status < 200 || res.status > 299) {
      const failure = await statusFailure(res, wire, () => this.context.scheduler.now());
      if (this.controller === controller) this.fail(failure);
      return;
    }
    let raw: R | undefined;
    try {
      if (this.spec.mode === 'whole') raw = await this.spec.read(res);
      else await this.spec.read(res, (piece) => this.pass(piece, controller));
    } catch (err) {
      // A body that broke off after a 2xx head: the server did act on the request, so only a whole-body call may
      // be sent again, and only where its method allows (a GET, not a POST); a stream already passed pieces on.
      if (this.controller === controller) {
        // a reader that gave up early (a size cap, a length check) may have left the body unread
        discardBody(res.body);
        this.fail(isMxFailure(err) ? err : new MxFailure(toNetworkError(wire, err), this.spec.mode === 'whole'));
      }
      return;
    }
    if (this.controller !== controller) return;
    this.settled = true;
    this.timer?.unsubscribe();
    if (this.spec.mode === 'whole') this.subscriber.next(this.spec.decode(raw as R));
    this.subscriber.complete();
  }

  private pass(piece: A, controller: AbortController): void {
    if (this.controller !== controller) return;
    this.passed++;
    this.armTimeout();
    this.subscriber.next(E.right(piece));
  }

  private armTimeout(): void {
    this.timer?.unsubscribe();
    const { scheduler, timeoutMs } = this.context;
    this.timer = scheduler.schedule(() => this.guarded(() => {
      // The stalled attempt is dropped: aborted, and whatever it still delivers ignored.
      this.controller?.abort();
      this.controller = undefined;
      this.fail(new MxFailure(this.timeoutError(), this.passed === 0));
    }), timeoutMs);
  }

  private timeoutError(): Timeout {
    const { method, path } = this.spec.wire;
    const { timeoutMs } = this.context;
    return { _tag: 'Timeout', method, path, timeoutMs, message: `${method} ${path} got no answer within ${timeoutMs} ms` };
  }

  /** Retries after the policy's delay when it allows, else emits the failure and completes. */
  private fail(failure: MxFailure): void {
    this.timer?.unsubscribe();
    this.timer = undefined;
    // An error answer whose body was left unread is aborted, so its connection is released.
    this.controller?.abort();
    this.controller = undefined;
    const { retry, random, scheduler } = this.context;
    const delayMs = failure.retryable && this.attempts < retry.maxAttempts
      ? retryDelayFor(failure.error, this.spec.wire.method, this.attempts, retry, random)
      : undefined;
    if (delayMs === undefined) {
      this.subscriber.next(E.left(failure.error));
      this.subscriber.complete();
      return;
    }
    const { onRetry } = this.context;
    if (onRetry !== undefined) {
      const { method, path } = this.spec.wire;
      this.guarded(() => onRetry({ method, path, attempt: this.attempts, maxAttempts: retry.maxAttempts, delayMs, error: failure.error }));
      if (this.subscriber.closed) return;
    }
    this.timer = scheduler.schedule(() => this.guarded(() => this.next()), delayMs);
  }

  /** Runs a scheduled step; a throw there is a bug (a `random` that throws, say), reported on the error channel. */
  private guarded(step: () => void): void {
    try {
      step();
    } catch (err) {
      if (!this.subscriber.closed) this.subscriber.error(err);
    }
  }
}

import { Observable, timer, type SchedulerLike } from 'rxjs';
import type { RateLimitPolicy } from '../core/config.js';

/** A client-wide limiter: `acquire$` emits once (then completes) when the caller may send one request. */
export interface RateLimiter {
  readonly acquire$: Observable<void>;
}

/**
 * A token bucket as a generic cell rate algorithm: requests are spaced `1000 / requestsPerSecond` ms apart,
 * with up to `burst` of them allowed at once after a quiet period. Each subscription to `acquire$` books the
 * next free slot (first come, first served) and waits for it on `scheduler`, so virtual time drives it in
 * marble tests. A slot booked by a subscription that unsubscribes before its turn is handed back when no
 * later slot was booked since.
 *
 * @example
 * ```ts
 * import { asyncScheduler } from 'rxjs';
 * import { createRateLimiter } from 'mx-statements-rx';
 * const limiter = createRateLimiter({ requestsPerSecond: 10, burst: 2 }, asyncScheduler);
 * limiter.acquire$.subscribe(() => console.log('go'));
 * ```
 */
export const createRateLimiter = (policy: RateLimitPolicy, scheduler: SchedulerLike): RateLimiter => {
  const intervalMs = 1000 / policy.requestsPerSecond;
  const toleranceMs = (Math.max(1, policy.burst ?? 1) - 1) * intervalMs;
  let theoreticalArrival = -Infinity;

  const acquire$ = new Observable<void>((subscriber) => {
    const now = scheduler.now();
    const tat = Math.max(theoreticalArrival, now);
    const startAt = tat - toleranceMs;
    const booked = tat + intervalMs;
    theoreticalArrival = booked;
    const waitMs = Math.max(0, startAt - now);
    if (waitMs === 0) {
      subscriber.next();
      subscriber.complete();
      return undefined;
    }
    let granted = false;
    const sub = timer(waitMs, scheduler).subscribe(() => {
      granted = true;
      subscriber.next();
      subscriber.complete();
    });
    return () => {
      sub.unsubscribe();
      // Cancelled before its turn: hand the slot back if nobody booked after it.
      if (!granted && theoreticalArrival === booked) theoreticalArrival = tat;
    };
  });
  return { acquire$ };
};

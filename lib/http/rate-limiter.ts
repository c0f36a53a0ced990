/**
 * The client-wide rate limiter: requests wait for a slot, served by priority (then first come, first served),
 * so requests that finish work go before job starts and status polls when the rate is the bottleneck.
 *
 * @module
 */
import { Observable, Subject, type SchedulerLike, type Subscriber, type Subscription } from 'rxjs';
import type { RateLimitPolicy } from '../core/config.js';

/**
 * How urgent a request is when it waits for the rate limiter, most urgent first:
 * - `finish`: requests that finish work or feed it — PDF downloads, statement listings, user and member listings;
 * - `normal`: everything else (creating users and members, MFA answers, institution look-ups, …);
 * - `start`: starting a job on a member (`fetch_statements`, `aggregate`, …): it makes work that lasts seconds;
 * - `prefetch`: work done ahead while a member's job runs, only with rate to spare;
 * - `poll`: status polls. They take what nothing else needs, so when the limiter is saturated polling slows down
 *   by itself (a member has at most one poll waiting).
 *
 * @example
 * ```ts
 * import type { RequestPriority } from 'mx-statements-rx';
 * const p: RequestPriority = 'finish';
 * ```
 */
export type RequestPriority = 'finish' | 'normal' | 'start' | 'prefetch' | 'poll';

/**
 * Every {@link RequestPriority}, most urgent first.
 *
 * @example
 * ```ts
 * import { REQUEST_PRIORITIES } from './rate-limiter.js';
 * REQUEST_PRIORITIES.indexOf('finish') < REQUEST_PRIORITIES.indexOf('poll'); // true
 * ```
 */
export const REQUEST_PRIORITIES: ReadonlyArray<RequestPriority> = ['finish', 'normal', 'start', 'prefetch', 'poll'];

const RANK: Readonly<Record<RequestPriority, number>> = { finish: 0, normal: 1, start: 2, prefetch: 3, poll: 4 };

const JOB_ACTIONS = /\/members\/[^/]+\/(fetch_statements|aggregate|check_balance|identify|verify|extend_history|fetch_rewards|fetch_tax_documents)$/;

/**
 * The default priority of an MX request, from its method and path (the query is ignored): downloads and
 * listings `finish`, status reads `poll`, job starts `start`, the rest `normal`.
 *
 * @example
 * ```ts
 * import { requestPriorityOf } from './rate-limiter.js';
 * requestPriorityOf('GET', '/users/USR-1/members/MBR-1/statements/STA-1.pdf'); // 'finish'
 * requestPriorityOf('GET', '/users/USR-1/members/MBR-1/status'); // 'poll'
 * requestPriorityOf('POST', '/users/USR-1/members/MBR-1/fetch_statements'); // 'start'
 * ```
 */
export const requestPriorityOf = (method: string, path: string): RequestPriority => {
  const q = path.indexOf('?');
  const p = q < 0 ? path : path.slice(0, q);
  if (method === 'GET') {
    if (p.endsWith('/status')) return 'poll';
    if (p.endsWith('.pdf') || /\/statements(\/[^/]+)?$/.test(p) || p === '/users' || /^\/users\/[^/]+\/members$/.test(p)) return 'finish';
    return 'normal';
  }
  if (method === 'POST' && JOB_ACTIONS.test(p)) return 'start';
  return 'normal';
};

/**
 * What waits for the limiter right now.
 *
 * @example
 * ```ts
 * import type { RateLimiterBacklog } from 'mx-statements-rx';
 * const saturated = (b: RateLimiterBacklog) => b.waiting.finish + b.waiting.normal + b.waiting.start > 0;
 * ```
 */
export interface RateLimiterBacklog {
  /** Requests waiting for a slot, by priority. */
  readonly waiting: Readonly<Record<RequestPriority, number>>;
  /** Requests waiting, all priorities. */
  readonly total: number;
  /** How long the waiting requests take at the sustained rate, in ms (`total × 1000 / requestsPerSecond`). */
  readonly drainMs: number;
}

/**
 * A client-wide limiter: `acquire(priority)` emits once (then completes) when the caller may send one request.
 * Unsubscribing before that gives the place up.
 *
 * @example
 * ```ts
 * import { asyncScheduler } from 'rxjs';
 * import { createRateLimiter, type RateLimiter } from 'mx-statements-rx';
 * const limiter: RateLimiter = createRateLimiter({ requestsPerSecond: 20 }, asyncScheduler);
 * limiter.acquire('finish').subscribe(() => console.log('send the download now'));
 * ```
 */
export interface RateLimiter {
  /** The sustained rate it keeps to. */
  readonly requestsPerSecond: number;
  /** `acquire('normal')`. */
  readonly acquire$: Observable<void>;
  /** Waits for a slot at `priority` (default `normal`). Cold: the place in line is taken at subscription. */
  acquire(priority?: RequestPriority): Observable<void>;
  /** What waits now. */
  backlog(): RateLimiterBacklog;
  /** The backlog now, then again at every change (hot: it never completes). */
  readonly backlog$: Observable<RateLimiterBacklog>;
}

/**
 * Where the slots come from: books the next free slot and says how long until it, or hands the slot booked last
 * back. A local clock answers at once (a number); a shared one (several processes) may answer later (an
 * Observable of one number). The limiter books one slot at a time.
 *
 * @example
 * ```ts
 * import type { SlotClock } from './rate-limiter.js';
 * const unlimited: SlotClock = { book: () => 0, unbook: () => undefined };
 * ```
 */
export interface SlotClock {
  /** Books the next slot: the ms from now until it (0 or less: now). */
  book(): number | Observable<number>;
  /** Hands back the slot booked last, which nobody used (best effort for a shared clock). */
  unbook(): void;
}

/**
 * A token bucket as a generic cell rate algorithm, on `scheduler`'s clock: slots `1000 / requestsPerSecond` ms
 * apart, up to `burst` of them at once after a quiet period.
 *
 * @example
 * ```ts
 * import { asyncScheduler } from 'rxjs';
 * import { gcraClock } from './rate-limiter.js';
 * const clock = gcraClock({ requestsPerSecond: 10, burst: 2 }, asyncScheduler);
 * clock.book(); // 0: the first slot is now
 * ```
 */
export const gcraClock = (policy: RateLimitPolicy, scheduler: SchedulerLike): SlotClock => {
  const intervalMs = 1000 / policy.requestsPerSecond;
  const toleranceMs = (Math.max(1, policy.burst ?? 1) - 1) * intervalMs;
  let theoreticalArrival = -Infinity;
  let before = -Infinity;
  return {
    book: () => {
      const now = scheduler.now();
      const tat = Math.max(theoreticalArrival, now);
      before = theoreticalArrival;
      theoreticalArrival = tat + intervalMs;
      return tat - toleranceMs - now;
    },
    unbook: () => {
      theoreticalArrival = before;
    },
  };
};

interface Waiter {
  readonly subscriber: Subscriber<void>;
  readonly rank: number;
  /** Granted or gone: no longer counted. */
  settled: boolean;
}

/**
 * A priority limiter over any {@link SlotClock}: one slot is booked at a time, while someone waits; when it comes
 * it goes to the most urgent waiter then (first come, first served within a priority), so a download that
 * arrives during the wait goes before a poll that was there first. A slot whose waiters all left is handed back.
 * Timers run on `scheduler`, so virtual time drives it in marble tests.
 *
 * @example
 * ```ts
 * import { asyncScheduler } from 'rxjs';
 * import { createPriorityLimiter } from './rate-limiter.js';
 * import { gcraClock } from './rate-limiter.js';
 * const limiter = createPriorityLimiter(10, gcraClock({ requestsPerSecond: 10 }, asyncScheduler), asyncScheduler);
 * limiter.acquire('poll').subscribe(() => console.log('poll now'));
 * ```
 */
export const createPriorityLimiter = (requestsPerSecond: number, clock: SlotClock, scheduler: SchedulerLike): RateLimiter => {
  const intervalMs = 1000 / requestsPerSecond;
  const queues: Waiter[][] = REQUEST_PRIORITIES.map(() => []);
  const heads: number[] = REQUEST_PRIORITIES.map(() => 0);
  const counts: number[] = REQUEST_PRIORITIES.map(() => 0);
  let total = 0;
  /** The slot being booked (a shared clock's answer) or waited for. */
  let pending: Subscription | undefined;
  const changes = new Subject<RateLimiterBacklog>();

  const snapshot = (): RateLimiterBacklog => {
    const waiting = {} as Record<RequestPriority, number>;
    REQUEST_PRIORITIES.forEach((p, i) => {
      waiting[p] = counts[i]!;
    });
    return { waiting, total, drainMs: total * intervalMs };
  };
  const changed = (): void => {
    if (changes.observed) changes.next(snapshot());
  };

  const take = (): Waiter | undefined => {
    for (let r = 0; r < queues.length; r++) {
      if (counts[r] === 0) continue;
      const q = queues[r]!;
      while (heads[r]! < q.length) {
        const w = q[heads[r]!]!;
        heads[r]! += 1;
        if (w.settled) continue;
        if (heads[r]! > 64 && heads[r]! * 2 > q.length) {
          q.splice(0, heads[r]!);
          heads[r] = 0;
        }
        w.settled = true;
        counts[r]! -= 1;
        total -= 1;
        return w;
      }
    }
    return undefined;
  };

  const grant = (): void => {
    pending = undefined;
    const w = take();
    if (w === undefined) {
      clock.unbook();
      return;
    }
    changed();
    w.subscriber.next();
    w.subscriber.complete();
    pump();
  };

  const booked = (waitMs: number): void => {
    if (waitMs <= 0) grant();
    else pending = scheduler.schedule(grant, waitMs);
  };

  /** Waits for the slot `book()` gave: at once, after a timer, or once a shared clock answers. */
  const follow = (wait: number | Observable<number>): void => {
    if (typeof wait === 'number') {
      booked(wait);
      return;
    }
    let answered = false;
    const sub = wait.subscribe({
      next: (ms) => {
        if (answered) return;
        answered = true;
        pending = undefined;
        booked(ms);
      },
      error: () => {
        // A shared clock that failed: try again shortly rather than stall every request.
        if (answered) return;
        answered = true;
        pending = scheduler.schedule(() => {
          pending = undefined;
          pump();
        }, intervalMs);
      },
    });
    if (!answered) pending = sub;
  };

  /** Books the next slot when someone waits and no slot is booked yet. */
  const pump = (): void => {
    if (pending !== undefined || total === 0) return;
    follow(clock.book());
  };

  const leave = (w: Waiter): void => {
    if (w.settled) return;
    w.settled = true;
    counts[w.rank]! -= 1;
    total -= 1;
    changed();
    if (total === 0 && pending !== undefined) {
      pending.unsubscribe();
      pending = undefined;
      clock.unbook();
    }
  };

  const acquire = (priority: RequestPriority = 'normal'): Observable<void> =>
    new Observable<void>((subscriber) => {
      const rank = RANK[priority];
      if (rank === undefined) throw new RangeError(`rate limiter: unknown priority ${String(priority)}`);
      if (total === 0 && pending === undefined) {
        // Nobody waits and no slot is booked: the common case when the limit is not reached.
        const wait = clock.book();
        if (typeof wait === 'number' && wait <= 0) {
          subscriber.next();
          subscriber.complete();
          return undefined;
        }
        const w = enqueue(subscriber, rank);
        follow(wait);
        return () => leave(w);
      }
      const w = enqueue(subscriber, rank);
      pump();
      return () => leave(w);
    });

  const enqueue = (subscriber: Subscriber<void>, rank: number): Waiter => {
    const w: Waiter = { subscriber, rank, settled: false };
    queues[rank]!.push(w);
    counts[rank]! += 1;
    total += 1;
    changed();
    return w;
  };

  return {
    requestsPerSecond,
    acquire$: acquire('normal'),
    acquire,
    backlog: snapshot,
    backlog$: new Observable<RateLimiterBacklog>((subscriber) => {
      subscriber.next(snapshot());
      return changes.subscribe(subscriber);
    }),
  };
};

/**
 * The client's limiter for a {@link RateLimitPolicy}: `createPriorityLimiter` over a `gcraClock`.
 * Requests are spaced `1000 / requestsPerSecond` ms apart, with up to `burst` at once after a quiet period.
 *
 * @example
 * ```ts
 * import { asyncScheduler } from 'rxjs';
 * import { createRateLimiter } from 'mx-statements-rx';
 * const limiter = createRateLimiter({ requestsPerSecond: 10, burst: 2 }, asyncScheduler);
 * limiter.acquire$.subscribe(() => console.log('go'));
 * ```
 */
export const createRateLimiter = (policy: RateLimitPolicy, scheduler: SchedulerLike): RateLimiter =>
  createPriorityLimiter(policy.requestsPerSecond, gcraClock(policy, scheduler), scheduler);

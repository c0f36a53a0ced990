/**
 * One rate limit for a whole fleet: a generic cell rate algorithm kept in Redis (one Lua script per slot, on
 * Redis's own clock), behind each process's priority line.
 *
 * @module
 */
import { asyncScheduler, from, map, type Observable, type SchedulerLike } from 'rxjs';
import type { RateLimitPolicy } from '../../core/config.js';
import { createPriorityLimiter, type RateLimiter, type SlotClock } from '../../http/rate-limiter.js';
import { loadQueuePeers, type RedisScripting } from './peers.js';
import { queueName, rateKey, type SyncQueueLocation } from './names.js';

/**
 * Books the next slot: `tat` (the theoretical arrival time, µs on Redis's clock) moves one interval on; the
 * answer is how long (µs) until the slot and the booked value (for giving it back). Numbers are written with
 * `%.0f` so no precision is lost to Lua's number formatting.
 */
const BOOK = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local tolerance = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
local booked = tat + interval
redis.call('SET', KEYS[1], string.format('%.0f', booked), 'PX', math.floor((booked - now) / 1000) + 60000)
local wait = tat - tolerance - now
if wait < 0 then wait = 0 end
return { string.format('%.0f', wait), string.format('%.0f', booked), string.format('%.0f', tat) }
`;

/** Gives a slot back when nobody booked after it. */
const UNBOOK = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', 60000)
  return 1
end
return 0
`;

/**
 * A {@link SlotClock} shared through Redis by every process that uses the same `key`: each booking is one
 * `EVAL`, atomic, on Redis's clock (so the processes' own clocks do not matter).
 *
 * @example
 * ```ts
 * import { redisSlotClock } from './redis-rate-limiter.js';
 * declare const redis: Parameters<typeof redisSlotClock>[0];
 * const clock = redisSlotClock(redis, 'mx-statements:nightly:rate', { requestsPerSecond: 100 });
 * ```
 */
export const redisSlotClock = (redis: RedisScripting, key: string, policy: RateLimitPolicy): SlotClock => {
  const intervalUs = Math.round(1_000_000 / policy.requestsPerSecond);
  const toleranceUs = (Math.max(1, policy.burst ?? 1) - 1) * intervalUs;
  let last: { booked: string; before: string } | undefined;
  let cancelPending = false;
  const giveBack = (slot: { booked: string; before: string }): void => {
    redis.eval(UNBOOK, 1, key, slot.booked, slot.before).catch(() => undefined);
  };
  return {
    book: (): Observable<number> => {
      cancelPending = false;
      last = undefined;
      return from(redis.eval(BOOK, 1, key, intervalUs, toleranceUs)).pipe(
        map((reply) => {
          const [wait, booked, before] = reply as [string, string, string];
          last = { booked, before };
          if (cancelPending) {
            cancelPending = false;
            giveBack(last);
          }
          return Number(wait) / 1000;
        }),
      );
    },
    unbook: () => {
      if (last !== undefined) giveBack(last);
      else cancelPending = true;
      last = undefined;
    },
  };
};

/**
 * Options of {@link createRedisRateLimiter}.
 *
 * @example
 * ```ts
 * import type { RedisRateLimiterOptions } from 'mx-statements-rx/node';
 * const o: RedisRateLimiterOptions = { url: 'redis://127.0.0.1:6379', queue: 'nightly', requestsPerSecond: 100 };
 * ```
 */
export interface RedisRateLimiterOptions extends SyncQueueLocation, RateLimitPolicy {
  /** Timers of the local line. Default `asyncScheduler`. */
  readonly scheduler?: SchedulerLike;
}

/**
 * A {@link RateLimiter} backed by Redis, with its connection to close.
 *
 * @example
 * ```ts
 * import type { RedisRateLimiter } from 'mx-statements-rx/node';
 * declare const limiter: RedisRateLimiter;
 * process.once('beforeExit', () => void limiter.close());
 * ```
 */
export interface RedisRateLimiter extends RateLimiter {
  /** Ends its Redis connection (requests still waiting then wait for ever: close it after the client is done). */
  close(): Promise<void>;
}

/**
 * A rate limiter shared by every process that names the same Redis and queue: together they stay under
 * `requestsPerSecond` (each request books a slot in Redis), while each process still serves its own waiting
 * requests by priority. Pass it to `createMxClient({ rateLimiter })`; `close()` ends its Redis connection.
 *
 * @example
 * ```ts
 * import { createMxClient } from 'mx-statements-rx';
 * import { createRedisRateLimiter } from 'mx-statements-rx/node';
 * const limiter = await createRedisRateLimiter({ url: 'redis://127.0.0.1:6379', requestsPerSecond: 100 });
 * const client = createMxClient({ environment: 'production', clientId: 'id', apiKey: 'key', rateLimiter: limiter });
 * // … at the end: await limiter.close();
 * ```
 */
export const createRedisRateLimiter = async (options: RedisRateLimiterOptions): Promise<RedisRateLimiter> => {
  if (!(options.requestsPerSecond > 0) || !Number.isFinite(options.requestsPerSecond)) {
    throw new RangeError(`requestsPerSecond: must be a number > 0, got ${String(options.requestsPerSecond)}`);
  }
  const { Redis } = await loadQueuePeers();
  const redis = new Redis(options.url, { maxRetriesPerRequest: null, enableOfflineQueue: true, lazyConnect: false });
  // Connection trouble shows as slow slots (the line retries); keep ioredis from printing unhandled errors.
  redis.on('error', () => undefined);
  const clock = redisSlotClock(redis, rateKey(queueName(options)), options);
  const limiter = createPriorityLimiter(options.requestsPerSecond, clock, options.scheduler ?? asyncScheduler);
  return {
    ...limiter,
    close: async () => {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
};

/**
 * Names of the queue's things in Redis, and the defaults of a fleet.
 *
 * @module
 */

/**
 * Where a fleet meets: a Redis URL and a queue name. Every worker and the enqueuing process give the same two.
 *
 * @example
 * ```ts
 * import type { SyncQueueLocation } from 'mx-statements-rx/node';
 * const where: SyncQueueLocation = { url: 'redis://127.0.0.1:6379', queue: 'nightly' };
 * ```
 */
export interface SyncQueueLocation {
  /** `redis://[user:password@]host:port[/db]` (`rediss://` for TLS). */
  readonly url: string;
  /** The queue's name; several fleets may share one Redis under different names. Default `'mx-statements-sync'`. */
  readonly queue?: string;
}

/**
 * The default queue name.
 *
 * @example
 * ```ts
 * import { DEFAULT_SYNC_QUEUE } from './names.js';
 * DEFAULT_SYNC_QUEUE; // 'mx-statements-sync'
 * ```
 */
export const DEFAULT_SYNC_QUEUE = 'mx-statements-sync';

/** BullMQ's key prefix for our queues. */
export const BULL_PREFIX = 'mx-statements';

/** The queue name of a location, checked (BullMQ keys are joined with ":"). */
export const queueName = (where: SyncQueueLocation): string => {
  const name = where.queue ?? DEFAULT_SYNC_QUEUE;
  if (!/^[A-Za-z0-9._-]{1,100}$/.test(name)) throw new RangeError(`queue: use 1-100 letters, digits, ".", "_" or "-", got ${JSON.stringify(name)}`);
  return name;
};

/** The Redis keys of one run of one queue. */
export const runKeys = (queue: string, runId: string) => {
  const base = `${BULL_PREFIX}:${queue}:run:${runId}`;
  return {
    /** Hash: total, listed, startedAt, listingError, skippedUsers. */
    info: `${base}:info`,
    /** Hash: member guid → its final outcome (JSON), the first one recorded. */
    done: `${base}:done`,
    /** List: the outcomes in the order they were recorded (JSON), for watchers. */
    log: `${base}:log`,
    /** Hash: member guid → how many times an outcome was recorded (more than 1: processed twice). */
    completions: `${base}:completions`,
  };
};

/** The key of the fleet's shared rate limit. */
export const rateKey = (queue: string): string => `${BULL_PREFIX}:${queue}:rate`;

/** A BullMQ job id for a member of a run (BullMQ ids may not contain ":"). */
export const jobIdOf = (runId: string, memberGuid: string): string => `${runId}.${memberGuid.replace(/[^A-Za-z0-9_-]/g, '_')}`;

/** Runs are kept this long in Redis (then expire). */
export const RUN_TTL_SECONDS = 7 * 24 * 3600;

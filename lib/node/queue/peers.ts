/**
 * The optional peers of the queue, BullMQ and ioredis, loaded only when a queue is used, with a clear error when
 * they are missing. Only the few members used here are typed, so the library's types never need them installed.
 *
 * @module
 */

/**
 * What `redisSlotClock` needs of a Redis client: `EVAL` (an ioredis client has it).
 *
 * @example
 * ```ts
 * import type { RedisScripting } from 'mx-statements-rx/node';
 * const ping = (redis: RedisScripting) => redis.eval("return redis.call('PING')", 0);
 * ```
 */
export interface RedisScripting {
  /** Runs a Lua script with `numKeys` keys first, then the other arguments. */
  eval(script: string, numKeys: number, ...args: Array<string | number>): Promise<unknown>;
}

/** The ioredis client, as used here. */
export interface RedisClient extends RedisScripting {
  hset(key: string, values: Record<string, string | number>): Promise<unknown>;
  hgetall(key: string): Promise<Record<string, string>>;
  hvals(key: string): Promise<string[]>;
  lrange(key: string, start: number, stop: number): Promise<string[]>;
  expire(key: string, seconds: number): Promise<unknown>;
  quit(): Promise<unknown>;
  disconnect(): void;
  on(event: 'error', listener: (err: Error) => void): unknown;
}

/** A BullMQ job, as used here. */
export interface BullJob<D> {
  readonly id?: string;
  readonly data: D;
  readonly attemptsMade: number;
  readonly opts: { readonly attempts?: number };
  /** Whether the job is failed for good (no attempt left, or failed as unrecoverable). */
  isFailed(): Promise<boolean>;
}

/** A BullMQ queue, as used here. */
export interface BullQueue<D> {
  addBulk(jobs: ReadonlyArray<{ name: string; data: D; opts?: Record<string, unknown> }>): Promise<unknown>;
  getJobCounts(...types: string[]): Promise<Record<string, number>>;
  getWorkersCount(): Promise<number>;
  rateLimit(expireTimeMs: number): Promise<void>;
  obliterate(opts?: { force?: boolean }): Promise<void>;
  close(): Promise<void>;
}

/** A BullMQ worker, as used here. */
export interface BullWorker<D> {
  on(event: 'failed', listener: (job: BullJob<D> | undefined, error: Error) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  waitUntilReady(): Promise<unknown>;
  close(force?: boolean): Promise<void>;
}

/** The constructors used here. */
export interface QueuePeers {
  readonly Queue: new <D>(name: string, opts: Record<string, unknown>) => BullQueue<D>;
  readonly Worker: (new <D>(name: string, processor: (job: BullJob<D>) => Promise<unknown>, opts: Record<string, unknown>) => BullWorker<D>) & {
    RateLimitError(): Error;
  };
  readonly Redis: new (url: string, opts: Record<string, unknown>) => RedisClient;
}

/**
 * Thrown when the queue is used but BullMQ or ioredis is not installed.
 *
 * @example
 * ```ts
 * import { MissingQueuePeersError } from 'mx-statements-rx/node';
 * const explain = (e: unknown) => (e instanceof MissingQueuePeersError ? e.message : String(e));
 * ```
 */
export class MissingQueuePeersError extends Error {
  override readonly name = 'MissingQueuePeersError';
  constructor(readonly missing: ReadonlyArray<string>) {
    super(`the statement queue needs the optional package${missing.length > 1 ? 's' : ''} ${missing.join(' and ')}: npm install bullmq ioredis`);
  }
}

let loaded: Promise<QueuePeers> | undefined;

const tryImport = async (name: string): Promise<Record<string, unknown> | undefined> => {
  try {
    return (await import(name)) as Record<string, unknown>;
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') return undefined;
    throw err;
  }
};

/**
 * Loads BullMQ and ioredis once; rejects with {@link MissingQueuePeersError} naming what is missing.
 * `importer` is for specs (to prove the error).
 */
export const loadQueuePeers = (importer: (name: string) => Promise<Record<string, unknown> | undefined> = tryImport): Promise<QueuePeers> => {
  if (importer !== tryImport) return load(importer);
  loaded ??= load(importer).catch((err: unknown) => {
    loaded = undefined;
    throw err;
  });
  return loaded;
};

const load = async (importer: (name: string) => Promise<Record<string, unknown> | undefined>): Promise<QueuePeers> => {
  const [bullmq, ioredis] = await Promise.all([importer('bullmq'), importer('ioredis')]);
  const missing = [bullmq ? undefined : 'bullmq', ioredis ? undefined : 'ioredis'].filter((m): m is string => m !== undefined);
  if (missing.length > 0 || !bullmq || !ioredis) throw new MissingQueuePeersError(missing);
  const Redis = (ioredis.Redis ?? ioredis.default) as QueuePeers['Redis'];
  return { Queue: bullmq.Queue as QueuePeers['Queue'], Worker: bullmq.Worker as QueuePeers['Worker'], Redis };
};

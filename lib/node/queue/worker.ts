/**
 * `startSyncWorker`: one process of a fleet. It takes queued members from BullMQ and runs them through one
 * long-lived `fetchStatementsForMany$`, so the batch's pace, prefetch, freshness and passes apply, under the
 * fleet's shared rate limit.
 *
 * @module
 */
import { hostname } from 'node:os';
import * as E from 'fp-ts/lib/Either.js';
import { Subject, type Subscription } from 'rxjs';
import type { MxClient } from '../../api/client.js';
import type { MemberRef } from '../../api/refs.js';
import type { MxError } from '../../core/errors.js';
import type { FileSystemError } from '../fs-error.js';
import {
  fetchStatementsForMany$, isTransientFailure, type BatchItem, type BatchMemberDone, type BatchOptions,
} from '../../workflow/batch.js';
import type { RunSummary } from '../../workflow/events.js';
import type { SyncJobData } from './enqueue.js';
import { loadQueuePeers, type BullJob } from './peers.js';
import { BULL_PREFIX, queueName, type SyncQueueLocation } from './names.js';
import { recordOutcome, type FleetMemberOutcome } from './outcome.js';

/**
 * Options of {@link startSyncWorker}: where the fleet meets, the client (give it the fleet's shared rate limiter),
 * the batch options every member shares, and how the queue treats a lost worker.
 *
 * @example
 * ```ts
 * import type { SyncWorkerOptions } from 'mx-statements-rx/node';
 * declare const base: Pick<SyncWorkerOptions, 'client' | 'download'>;
 * const o: SyncWorkerOptions = { ...base, url: 'redis://127.0.0.1:6379', queue: 'nightly', maxAge: 20 * 60 * 60_000 };
 * ```
 */
export interface SyncWorkerOptions extends SyncQueueLocation, Omit<BatchOptions<FileSystemError>, 'concurrency' | 'deadlineMs'> {
  readonly client: MxClient;
  /** Members this process takes from the queue at once (the rate limit paces their requests). Default 100. */
  readonly concurrency?: number;
  /**
   * How long a member's lock lasts without renewal: a worker killed mid-run loses its members for about this
   * long, then another worker takes them again. Default 30 000.
   */
  readonly lockDurationMs?: number;
  /** How often this worker looks for members whose worker is gone. Default: `lockDurationMs`. */
  readonly stalledIntervalMs?: number;
  /** How many times a member may lose its worker before it counts as failed. Default 3. */
  readonly maxStalledCount?: number;
  /** Every item of this process's batch (member events, retries), for logs and progress. */
  readonly onItem?: (item: BatchItem<FileSystemError>) => void;
}

/**
 * A running worker.
 *
 * @example
 * ```ts
 * import type { SyncWorker } from 'mx-statements-rx/node';
 * declare const worker: SyncWorker;
 * process.once('SIGTERM', () => void worker.close());
 * await worker.closed;
 * ```
 */
export interface SyncWorker {
  /** `host:pid`, as recorded with each outcome. */
  readonly id: string;
  /** Members this process ended (recorded), by outcome. */
  stats(): { readonly synced: number; readonly needsUserAction: number; readonly failed: number; readonly requeued: number };
  /** Stops taking members, lets those in hand finish, then disconnects. */
  close(): Promise<void>;
  /** Resolves once closed (by `close()` or a fatal error). */
  readonly closed: Promise<void>;
}

interface Pending {
  readonly resolve: (done: BatchMemberDone<FileSystemError>) => void;
  readonly reject: (err: unknown) => void;
  summary?: RunSummary;
}

/**
 * Starts a worker of the fleet on `queue` at `url`. Each queued member runs through this process's batch: rate-
 * bound, `maxAge`, prefetch, passes. A member that still failed transiently after its passes goes back on the
 * queue (up to its attempts, with backoff), possibly to another worker; a 429 left after all that pauses the whole
 * queue (BullMQ's queue rate limit) for its `Retry-After`. A worker killed with kill -9 loses no member: its
 * locks expire and another worker takes them again; statements already saved are skipped (the manifest and
 * `content_hash` decide), so nothing is downloaded twice. Each final outcome is recorded once in Redis for
 * `watchSyncRun`.
 *
 * @example
 * ```ts
 * import { createMxClient } from 'mx-statements-rx';
 * import { createRedisRateLimiter, startSyncWorker, writeStatements } from 'mx-statements-rx/node';
 *
 * const where = { url: 'redis://127.0.0.1:6379', queue: 'nightly' };
 * const rateLimiter = await createRedisRateLimiter({ ...where, requestsPerSecond: 100 });
 * const client = createMxClient({ environment: 'production', clientId: 'id', apiKey: 'key', rateLimiter });
 * const worker = await startSyncWorker({ ...where, client, download: { sink: writeStatements('/shared/statements') } });
 * process.once('SIGTERM', () => void worker.close());
 * await worker.closed;
 * await rateLimiter.close();
 * ```
 */
export const startSyncWorker = async (options: SyncWorkerOptions): Promise<SyncWorker> => {
  const {
    url, queue: _queue, client, concurrency = 100, lockDurationMs = 30_000, stalledIntervalMs, maxStalledCount = 3, onItem,
    ...batchOptions
  } = options;
  const name = queueName(options);
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError(`concurrency: must be an integer ≥ 1, got ${String(concurrency)}`);
  const { Queue, Worker, Redis } = await loadQueuePeers();
  const id = `${hostname()}:${process.pid}`;
  const redis = new Redis(url, { maxRetriesPerRequest: null });
  redis.on('error', () => undefined);
  const queue = new Queue<SyncJobData>(name, { connection: redis, prefix: BULL_PREFIX });
  const stats = { synced: 0, needsUserAction: 0, failed: 0, requeued: 0 };

  // One batch for the whole life of the worker, fed one member per queue job.
  const feed = new Subject<MemberRef>();
  const pending = new Map<number, Pending>();
  let fed = 0;
  let broken: unknown;
  // Assigned once the worker exists (below); a fatal error before that only rejects the members in hand.
  let close: () => Promise<void> = async () => undefined;
  let closedResolve!: () => void;
  const closed = new Promise<void>((resolve) => {
    closedResolve = resolve;
  });
  const batch: Subscription = fetchStatementsForMany$(client, feed, { ...batchOptions, deadlineMs: Infinity }).subscribe({
    next: (item) => {
      onItem?.(item);
      if (item.type === 'member') {
        const p = pending.get(item.target.index);
        if (p && E.isRight(item.event) && item.event.right.type === 'done') p.summary = item.event.right.summary;
      } else if (item.type === 'member-done') {
        const p = pending.get(item.target.index);
        pending.delete(item.target.index);
        p?.resolve(item);
      }
    },
    error: (err: unknown) => {
      // A bug: every member in hand fails (the queue retries them), and this worker stops taking more.
      broken = err;
      for (const p of pending.values()) p.reject(err);
      pending.clear();
      void close();
    },
  });

  const runMember = (member: MemberRef): Promise<{ done: BatchMemberDone<FileSystemError>; summary: RunSummary | undefined }> =>
    new Promise((resolve, reject) => {
      if (broken !== undefined) return reject(broken);
      const entry: Pending = {
        resolve: (done) => resolve({ done, summary: entry.summary }),
        reject,
      };
      pending.set(fed++, entry);
      feed.next(member);
    });

  const outcomeOf = (data: SyncJobData, attempt: number, done: BatchMemberDone<FileSystemError> | undefined, summary: RunSummary | undefined, reason?: string): FleetMemberOutcome => ({
    runId: data.runId,
    key: `${data.member.userGuid}/${data.member.memberGuid}`,
    userGuid: data.member.userGuid,
    memberGuid: data.member.memberGuid,
    outcome: done?.outcome ?? 'failed',
    ...(done?.error ? { error: done.error } : {}),
    ...(reason !== undefined ? { reason } : {}),
    attempt,
    pass: done?.pass ?? 1,
    fresh: done?.fresh ?? false,
    statements: summary?.statements ?? 0,
    downloaded: summary?.downloaded ?? 0,
    skipped: summary?.skipped ?? 0,
    bytes: summary?.bytes ?? 0,
    worker: id,
  });

  const count = (o: FleetMemberOutcome) => {
    if (o.outcome === 'synced') stats.synced += 1;
    else if (o.outcome === 'needs-user-action') stats.needsUserAction += 1;
    else stats.failed += 1;
  };

  const processor = async (job: BullJob<SyncJobData>): Promise<FleetMemberOutcome> => {
    const attempt = job.attemptsMade + 1;
    const { done, summary } = await runMember(job.data.member);
    const error: MxError | FileSystemError | undefined = done.error;
    const attemptsLeft = attempt < (job.opts.attempts ?? 1);
    if (done.outcome === 'failed' && error !== undefined && isTransientFailure(error) && attemptsLeft) {
      stats.requeued += 1;
      if (error._tag === 'RateLimited') {
        // MX's own limit is lower than ours: pause the whole fleet for its Retry-After, and keep the member.
        await queue.rateLimit(error.retryAfterMs ?? 5000);
        throw Worker.RateLimitError();
      }
      throw new Error(`${error._tag}: ${error.message}`);
    }
    const outcome = outcomeOf(job.data, attempt, done, summary);
    await recordOutcome(redis, name, outcome);
    count(outcome);
    return outcome;
  };

  const workerRedis = new Redis(url, { maxRetriesPerRequest: null });
  workerRedis.on('error', () => undefined);
  const worker = new Worker<SyncJobData>(name, processor, {
    connection: workerRedis,
    prefix: BULL_PREFIX,
    concurrency,
    lockDuration: lockDurationMs,
    stalledInterval: stalledIntervalMs ?? lockDurationMs,
    maxStalledCount,
  });
  worker.on('error', () => undefined);
  // A member failed for good: out of queue attempts (its last failure thrown above), or failed by BullMQ as
  // unrecoverable with attempts left (its workers lost more than maxStalledCount times: "job stalled more than
  // allowable limit"). Redis says which; a job that will be tried again is not recorded.
  worker.on('failed', (job, err) => {
    if (job === undefined) return;
    void job.isFailed()
      .catch(() => job.attemptsMade >= (job.opts.attempts ?? 1))
      .then(async (final) => {
        if (!final) return;
        const outcome = outcomeOf(job.data, Math.max(1, job.attemptsMade), undefined, undefined, err.message);
        await recordOutcome(redis, name, outcome);
        count(outcome);
      })
      .catch(() => undefined);
  });
  await worker.waitUntilReady();

  let closing: Promise<void> | undefined;
  close = (): Promise<void> => {
    closing ??= (async () => {
      await worker.close();
      feed.complete();
      batch.unsubscribe();
      await queue.close();
      await workerRedis.quit().catch(() => workerRedis.disconnect());
      await redis.quit().catch(() => redis.disconnect());
      closedResolve();
    })();
    return closing;
  };

  return { id, stats: () => ({ ...stats }), close, closed };
};

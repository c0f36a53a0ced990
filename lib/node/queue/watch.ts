/**
 * `watchSyncRun`: the whole fleet's progress on one run and its final summary, read from what the workers record
 * in Redis (so it sees every worker, survives a restart of the watcher, and notices a member processed twice).
 *
 * @module
 */
import { Observable } from 'rxjs';
import type { MxError } from '../../core/errors.js';
import type { FileSystemError } from '../fs-error.js';
import type { BatchProblem, BatchSummary } from '../../workflow/batch.js';
import { needsUserAction } from '../../workflow/batch-outcome.js';
import type { CursorSkip } from '../../workflow/member-cursor.js';
import { loadQueuePeers, type BullQueue, type RedisClient } from './peers.js';
import { BULL_PREFIX, queueName, runKeys, type SyncQueueLocation } from './names.js';
import type { FleetMemberOutcome } from './outcome.js';
import type { SyncJobData } from './enqueue.js';

/**
 * One member ended, somewhere in the fleet.
 *
 * @example
 * ```ts
 * import type { FleetItem } from 'mx-statements-rx/node';
 * const failed = (i: FleetItem) => i.type === 'fleet-member-done' && i.outcome === 'failed';
 * ```
 */
export interface FleetMemberDone extends FleetMemberOutcome {
  readonly type: 'fleet-member-done';
}

/**
 * Where the run stands, for the whole fleet.
 *
 * @example
 * ```ts
 * import type { FleetProgress } from 'mx-statements-rx/node';
 * const line = (p: FleetProgress) => `${p.done}/${p.total ?? '?'} members (${p.active} running on ${p.workers} workers)`;
 * ```
 */
export interface FleetProgress {
  readonly type: 'fleet-progress';
  readonly runId: string;
  /** Members queued so far; `listed` says whether more may come. */
  readonly total: number;
  readonly listed: boolean;
  readonly done: number;
  readonly synced: number;
  readonly needsUserAction: number;
  readonly failed: number;
  /** The queue's jobs (of every run on it) by state. */
  readonly waiting: number;
  readonly active: number;
  readonly delayed: number;
  /** Workers connected to the queue now. */
  readonly workers: number;
}

/**
 * The end of a run: a `batch-summary` for the whole fleet, plus what only a fleet has.
 *
 * @example
 * ```ts
 * import type { FleetSummary } from 'mx-statements-rx/node';
 * const exactlyOnce = (s: FleetSummary) => s.synced === s.total && s.duplicates === 0;
 * ```
 */
export interface FleetSummary extends Omit<BatchSummary<FileSystemError>, 'type'> {
  readonly type: 'fleet-summary';
  readonly runId: string;
  /** Members whose outcome was recorded more than once (processed twice). 0 when every member ran exactly once to its end. */
  readonly duplicates: number;
  /** The most queue attempts any member took (1: no member went back on the queue). */
  readonly attempts: number;
  /** Distinct workers that ended members. */
  readonly workers: number;
}

/**
 * What {@link watchSyncRun} emits.
 *
 * @example
 * ```ts
 * import type { FleetItem } from 'mx-statements-rx/node';
 * const isEnd = (i: FleetItem) => i.type === 'fleet-summary';
 * ```
 */
export type FleetItem = FleetMemberDone | FleetProgress | FleetSummary;

/**
 * Options of {@link watchSyncRun}.
 *
 * @example
 * ```ts
 * import type { WatchSyncRunOptions } from 'mx-statements-rx/node';
 * const o: WatchSyncRunOptions = { url: 'redis://127.0.0.1:6379', runId: '20261201-030000-ab12cd', pollMs: 1000 };
 * ```
 */
export interface WatchSyncRunOptions extends SyncQueueLocation {
  readonly runId: string;
  /** How often Redis is read. Default 250 ms. */
  readonly pollMs?: number;
  /** A run not found in Redis for this long is reported as missing (an error). Default 10 000. */
  readonly missingRunMs?: number;
}

/** A run that does not show up in Redis within this long is reported as missing. */
const MISSING_RUN_MS = 10_000;

/**
 * Follows a run across the whole fleet: a `fleet-member-done` per member (in the order workers recorded them),
 * `fleet-progress` whenever the counts change, and a final `fleet-summary` once the listing ended and every
 * queued member has an outcome. Cold; unsubscribing stops reading and disconnects. A run that is not in Redis
 * (expired after 7 days, or never queued) errors after 10 s. It does not end while no worker runs: pair it with a
 * timeout if that may happen.
 *
 * @example
 * ```ts
 * import { watchSyncRun } from 'mx-statements-rx/node';
 * watchSyncRun({ url: 'redis://127.0.0.1:6379', queue: 'nightly', runId: '20261201-030000-ab12cd' }).subscribe((item) => {
 *   if (item.type === 'fleet-summary') console.log(`${item.synced}/${item.total} synced, ${item.duplicates} twice`);
 * });
 * ```
 */
export const watchSyncRun = (options: WatchSyncRunOptions): Observable<FleetItem> =>
  new Observable<FleetItem>((subscriber) => {
    const name = queueName(options);
    const keys = runKeys(name, options.runId);
    const pollMs = options.pollMs ?? 250;
    let redis: RedisClient | undefined;
    let queue: BullQueue<SyncJobData> | undefined;
    let timer: NodeJS.Timeout | undefined;
    let stopped = false;
    let offset = 0;
    let missing = 0;
    let lastProgress = '';
    let workersAt = 0;
    let workers = 0;
    const s = {
      total: 0, synced: 0, needsUserAction: 0, failed: 0, statements: 0, downloaded: 0, skipped: 0, bytes: 0, passes: 0,
      retried: 0, fresh: 0, attempts: 0, needingAction: [] as BatchProblem<FileSystemError>[], failures: [] as BatchProblem<FileSystemError>[], by: new Set<string>(),
    };

    const take = (o: FleetMemberOutcome): void => {
      s.by.add(o.worker);
      s.attempts = Math.max(s.attempts, o.attempt);
      s.passes = Math.max(s.passes, o.pass);
      if (o.pass > 1 || o.attempt > 1) s.retried += 1;
      if (o.fresh) s.fresh += 1;
      s.statements += o.statements;
      s.downloaded += o.downloaded;
      s.skipped += o.skipped;
      s.bytes += o.bytes;
      if (o.outcome === 'synced') {
        s.synced += 1;
        return;
      }
      const problem: BatchProblem<FileSystemError> = {
        key: o.key, userGuid: o.userGuid, memberGuid: o.memberGuid,
        errorTag: o.error?._tag ?? 'UnexpectedStatus', message: o.error?.message ?? o.reason ?? 'failed',
      };
      if (o.outcome === 'needs-user-action' || (o.error !== undefined && needsUserAction(o.error))) {
        s.needsUserAction += 1;
        if (s.needingAction.length < 1000) s.needingAction.push(problem);
      } else {
        s.failed += 1;
        if (s.failures.length < 1000) s.failures.push(problem);
      }
    };

    const tick = async (): Promise<void> => {
      if (stopped || redis === undefined || queue === undefined) return;
      const fresh = await redis.lrange(keys.log, offset, -1);
      offset += fresh.length;
      for (const line of fresh) {
        const o = JSON.parse(line) as FleetMemberOutcome;
        take(o);
        if (!stopped) subscriber.next({ type: 'fleet-member-done', ...o });
      }
      const info = await redis.hgetall(keys.info);
      if (info.runId === undefined) {
        // enqueueMembers writes the run before its first job: give a watcher started alongside a few seconds.
        missing += 1;
        if (missing * pollMs >= (options.missingRunMs ?? MISSING_RUN_MS)) {
          subscriber.error(new Error(`no run ${options.runId} on queue ${name} (expired, or never queued)`));
          return;
        }
      }
      const total = Number(info.total ?? 0);
      const listed = info.listed === '1';
      const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
      if (Date.now() - workersAt > 2000) {
        workers = await queue.getWorkersCount();
        workersAt = Date.now();
      }
      const done = s.synced + s.needsUserAction + s.failed;
      const progress: FleetProgress = {
        type: 'fleet-progress', runId: options.runId, total, listed, done, synced: s.synced, needsUserAction: s.needsUserAction,
        failed: s.failed, waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0), active: counts.active ?? 0,
        delayed: counts.delayed ?? 0, workers,
      };
      const key = JSON.stringify(progress);
      if (key !== lastProgress && !stopped) {
        lastProgress = key;
        subscriber.next(progress);
      }
      if (listed && done >= total) {
        const completions = await redis.hvals(keys.completions);
        const duplicates = completions.filter((n) => Number(n) > 1).length;
        const listingError = info.listingError ? JSON.parse(info.listingError) as MxError : null;
        const skippedUsers = info.skippedUsers ? (JSON.parse(info.skippedUsers) as CursorSkip[]).map((k): BatchProblem => ({
          key: k.userGuid, userGuid: k.userGuid, memberGuid: null, errorTag: k.error._tag, message: k.error.message,
        })) : [];
        if (stopped) return;
        subscriber.next({
          type: 'fleet-summary', runId: options.runId, total, synced: s.synced, needsUserAction: s.needsUserAction,
          failed: s.failed, statements: s.statements, downloaded: s.downloaded, skipped: s.skipped, bytes: s.bytes,
          listingError, needingAction: s.needingAction, failures: s.failures, passes: s.passes, retried: s.retried,
          fresh: s.fresh, notStarted: 0, deadlineReached: false, skippedUsers, duplicates, attempts: s.attempts, workers: s.by.size,
        });
        subscriber.complete();
        return;
      }
      timer = setTimeout(loop, pollMs);
    };
    const loop = (): void => {
      tick().catch((err: unknown) => {
        if (!stopped) subscriber.error(err);
      });
    };

    loadQueuePeers().then(({ Queue, Redis }) => {
      if (stopped) return;
      redis = new Redis(options.url, { maxRetriesPerRequest: null });
      redis.on('error', () => undefined);
      queue = new Queue<SyncJobData>(name, { connection: redis, prefix: BULL_PREFIX });
      loop();
    }, (err: unknown) => subscriber.error(err));

    return () => {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      const q = queue;
      const r = redis;
      void (async () => {
        await q?.close().catch(() => undefined);
        await r?.quit().catch(() => r.disconnect());
      })();
    };
  });

/**
 * `enqueueMembers`: puts one job per member of a run on the queue, for any number of workers to take.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { firstValueFrom } from 'rxjs';
import type { MxClient } from '../../api/client.js';
import type { MemberRef } from '../../api/refs.js';
import type { MxError } from '../../core/errors.js';
import { DEFAULT_BATCH_DEADLINE_MS, MAX_SUMMARY_PROBLEMS } from '../../workflow/batch.js';
import { allMembersCursor, type CursorRetry, type CursorSkip } from '../../workflow/member-cursor.js';
import { loadQueuePeers } from './peers.js';
import { BULL_PREFIX, RUN_TTL_SECONDS, jobIdOf, queueName, runKeys, type SyncQueueLocation } from './names.js';

/**
 * The data of one queued member.
 *
 * @example
 * ```ts
 * import type { SyncJobData } from 'mx-statements-rx/node';
 * const d: SyncJobData = { runId: '20261201-0300-ab12', member: { userGuid: 'USR-1', memberGuid: 'MBR-1' } };
 * ```
 */
export interface SyncJobData {
  readonly runId: string;
  readonly member: MemberRef;
}

/**
 * Options of {@link enqueueMembers}.
 *
 * @example
 * ```ts
 * import type { EnqueueMembersOptions } from 'mx-statements-rx/node';
 * const o: EnqueueMembersOptions = { url: 'redis://127.0.0.1:6379', members: [{ userGuid: 'USR-1', memberGuid: 'MBR-1' }] };
 * ```
 */
export interface EnqueueMembersOptions extends SyncQueueLocation {
  /** `'all-members'` (listed with `client`, user by user, lazily) or the members themselves. */
  readonly members: 'all-members' | Iterable<MemberRef> | AsyncIterable<MemberRef>;
  /** The client that lists 'all-members' (give it the fleet's shared rate limiter). */
  readonly client?: MxClient;
  /** The run's id. Default: the time and a random suffix. */
  readonly runId?: string;
  /** Queue attempts per member (a worker lost mid-run, or a transient failure left after its passes). Default 3. */
  readonly attempts?: number;
  /** The wait before a member's next queue attempt, doubled each time. Default 10 s. */
  readonly retryDelayMs?: number;
  /** How long a listing page that keeps failing (429, 5xx…) is asked again. Default 6 hours. */
  readonly listingDeadlineMs?: number;
  /** Told before each retry of a listing page. */
  readonly onListingRetry?: (retry: CursorRetry) => void;
  /** Told when a user's members could not be listed for good (e.g. the user was deleted): that user is skipped. */
  readonly onListingSkip?: (skip: CursorSkip) => void;
}

/**
 * What {@link enqueueMembers} did.
 *
 * @example
 * ```ts
 * import type { EnqueuedRun } from 'mx-statements-rx/node';
 * const line = (r: EnqueuedRun) => `run ${r.runId}: ${r.total} members queued${r.listingError ? ` (listing broke off: ${r.listingError.message})` : ''}`;
 * ```
 */
export interface EnqueuedRun {
  readonly runId: string;
  /** Distinct members queued. */
  readonly total: number;
  /** The listing error that ended 'all-members' early, if any (the members listed before are queued). */
  readonly listingError: MxError | null;
  /** Users 'all-members' skipped (their members could not be listed for good), up to 1 000; none are queued. */
  readonly skippedUsers: ReadonlyArray<CursorSkip>;
}

const CHUNK = 500;

/** A run id that sorts by time: `YYYYMMDD-HHMMSS-<6 hex>`. */
export const newRunId = (now = new Date()): string =>
  `${now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)}-${randomBytes(3).toString('hex')}`;

/**
 * Queues one job per distinct member for a new run (the run's total is known once the listing ends), to be
 * processed by `startSyncWorker` in any number of processes; `watchSyncRun` follows it. A member listed twice is
 * queued once; a user whose members cannot be listed for good (deleted mid-run) is skipped (`skippedUsers`) and
 * the listing goes on. Jobs are kept 7 days, then expire.
 *
 * @example
 * ```ts
 * import { createMxClient } from 'mx-statements-rx';
 * import { createRedisRateLimiter, enqueueMembers, watchSyncRun } from 'mx-statements-rx/node';
 *
 * const where = { url: 'redis://127.0.0.1:6379', queue: 'nightly' };
 * const rateLimiter = await createRedisRateLimiter({ ...where, requestsPerSecond: 100 });
 * const client = createMxClient({ environment: 'production', clientId: 'id', apiKey: 'key', rateLimiter });
 * const run = await enqueueMembers({ ...where, members: 'all-members', client });
 * watchSyncRun({ ...where, runId: run.runId }).subscribe((item) => {
 *   if (item.type === 'fleet-progress') console.log(`${item.done}/${item.total ?? '?'} members`);
 * });
 * ```
 */
export const enqueueMembers = async (options: EnqueueMembersOptions): Promise<EnqueuedRun> => {
  const name = queueName(options);
  const attempts = options.attempts ?? 3;
  if (!Number.isInteger(attempts) || attempts < 1) throw new RangeError(`attempts: must be an integer ≥ 1, got ${String(attempts)}`);
  if (options.members === 'all-members' && options.client === undefined) throw new TypeError("enqueueMembers: 'all-members' needs a client to list them");
  const runId = options.runId ?? newRunId();
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(runId)) throw new RangeError(`runId: use 1-64 letters, digits, "_" or "-", got ${JSON.stringify(runId)}`);
  const { Queue, Redis } = await loadQueuePeers();
  const redis = new Redis(options.url, { maxRetriesPerRequest: null });
  redis.on('error', () => undefined);
  const queue = new Queue<SyncJobData>(name, { connection: redis, prefix: BULL_PREFIX });
  const keys = runKeys(name, runId);
  const seen = new Set<string>();
  let chunk: MemberRef[] = [];
  let listingError: MxError | null = null;
  const skippedUsers: CursorSkip[] = [];
  const jobOptions = (m: MemberRef) => ({
    jobId: jobIdOf(runId, m.memberGuid),
    attempts,
    backoff: { type: 'exponential', delay: options.retryDelayMs ?? 10_000 },
    removeOnComplete: { age: RUN_TTL_SECONDS },
    removeOnFail: { age: RUN_TTL_SECONDS },
  });
  const flush = async () => {
    if (chunk.length === 0) return;
    await queue.addBulk(chunk.map((member) => ({ name: 'member', data: { runId, member }, opts: jobOptions(member) })));
    chunk = [];
    await redis.hset(keys.info, { total: seen.size });
  };
  const add = async (m: MemberRef) => {
    if (seen.has(m.memberGuid)) return;
    seen.add(m.memberGuid);
    chunk.push({ userGuid: m.userGuid, memberGuid: m.memberGuid });
    if (chunk.length >= CHUNK) await flush();
  };
  try {
    await redis.hset(keys.info, { runId, startedAt: new Date().toISOString(), total: 0, listed: 0 });
    await redis.expire(keys.info, RUN_TTL_SECONDS);
    if (options.members === 'all-members') {
      const client = options.client!;
      const cursor = allMembersCursor(client, {
        retryUntil: client.config.scheduler.now() + (options.listingDeadlineMs ?? DEFAULT_BATCH_DEADLINE_MS),
        ...(options.onListingRetry ? { onRetry: options.onListingRetry } : {}),
        onSkip: (skip) => {
          if (skippedUsers.length < MAX_SUMMARY_PROBLEMS) skippedUsers.push(skip);
          options.onListingSkip?.(skip);
        },
      });
      for (;;) {
        const next = await firstValueFrom(cursor.next$);
        if (next.kind === 'end') break;
        await add(next.ref);
      }
      listingError = cursor.error() ?? null;
    } else {
      for await (const m of options.members) await add(m);
    }
    await flush();
    await redis.hset(keys.info, {
      total: seen.size,
      listed: 1,
      ...(listingError ? { listingError: JSON.stringify(listingError) } : {}),
      ...(skippedUsers.length > 0 ? { skippedUsers: JSON.stringify(skippedUsers) } : {}),
    });
    return { runId, total: seen.size, listingError, skippedUsers };
  } finally {
    await queue.close();
    await redis.quit().catch(() => redis.disconnect());
  }
};

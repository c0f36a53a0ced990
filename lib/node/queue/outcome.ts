/**
 * A member's final outcome in a fleet run, as the worker that ended it records it in Redis (once per member:
 * the first record wins; a second one is only counted, so a member processed twice shows up).
 *
 * @module
 */
import type { MxError } from '../../core/errors.js';
import type { FileSystemError } from '../fs-error.js';
import type { MemberOutcome } from '../../workflow/batch.js';
import type { RedisClient } from './peers.js';
import { RUN_TTL_SECONDS, runKeys } from './names.js';

/**
 * How one member of a fleet run ended.
 *
 * @example
 * ```ts
 * import type { FleetMemberOutcome } from 'mx-statements-rx/node';
 * const line = (o: FleetMemberOutcome) => `${o.key}: ${o.outcome} (attempt ${o.attempt}, by ${o.worker})`;
 * ```
 */
export interface FleetMemberOutcome {
  readonly runId: string;
  /** `USR-…/MBR-…`. */
  readonly key: string;
  readonly userGuid: string;
  readonly memberGuid: string;
  readonly outcome: MemberOutcome;
  /** The workflow's error, unless synced (absent when the job failed outside the workflow: see `reason`). */
  readonly error?: MxError | FileSystemError;
  /** Why a job failed outside the workflow (a worker lost mid-run too often, a bug). */
  readonly reason?: string;
  /** The queue attempt that ended it (1: the first worker that took it). */
  readonly attempt: number;
  /** The workflow pass within that attempt (1: its first try). */
  readonly pass: number;
  /** Its statements job was skipped (`maxAge`). */
  readonly fresh: boolean;
  readonly statements: number;
  readonly downloaded: number;
  readonly skipped: number;
  readonly bytes: number;
  /** The worker that ended it: `host:pid`. */
  readonly worker: string;
}

const RECORD = `
local first = redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2])
if first == 1 then redis.call('RPUSH', KEYS[2], ARGV[2]) end
redis.call('HINCRBY', KEYS[3], ARGV[1], 1)
for i = 1, 3 do redis.call('EXPIRE', KEYS[i], tonumber(ARGV[3])) end
return first
`;

/** Records an outcome; resolves true when it was the member's first. */
export const recordOutcome = async (redis: RedisClient, queue: string, outcome: FleetMemberOutcome): Promise<boolean> => {
  const k = runKeys(queue, outcome.runId);
  const first = await redis.eval(RECORD, 3, k.done, k.log, k.completions, outcome.memberGuid, JSON.stringify(outcome), RUN_TTL_SECONDS);
  return Number(first) === 1;
};

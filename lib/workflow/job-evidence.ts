/**
 * Telling a job that ran from a stale status. Right after MX accepts a job (202), the status may still be the
 * previous job's CONNECTED and not aggregating: the new job starts a little later, or (asked "too soon") never.
 * Like MX's Connect widget, a run believes a status only with evidence that the job it follows ran: the member
 * was seen aggregating, or its `aggregated_at` / `successfully_aggregated_at` / `most_recent_job_guid` /
 * `connection_status` moved away from the baseline taken when the job was accepted.
 *
 * @module
 */
import type { ConnectionStatus, Member, MemberStatus } from '../codecs/index.js';
import { memberPhase } from './phase.js';

/**
 * The member as it stood when a job was accepted: the reference a later status is compared with. A field MX
 * did not send is `undefined` (nothing can be told from it); `null` is MX saying "never".
 *
 * @example
 * ```ts
 * import type { JobBaseline } from './job-evidence.js';
 * const b: JobBaseline = {
 *   at: 0, connectionStatus: 'CONNECTED', isBeingAggregated: false, aggregatedAt: '2026-12-01T10:00:00Z',
 *   successfullyAggregatedAt: '2026-12-01T10:00:40Z', jobGuid: 'JOB-1',
 * };
 * ```
 */
export interface JobBaseline {
  /** Scheduler time of the answer the baseline was taken from. */
  readonly at: number;
  readonly connectionStatus: ConnectionStatus | null | undefined;
  readonly isBeingAggregated: boolean | null | undefined;
  readonly aggregatedAt: string | null | undefined;
  readonly successfullyAggregatedAt: string | null | undefined;
  readonly jobGuid: string | null | undefined;
}

/** The job guid some answers carry: the member's, and a status when a server adds it (not in MX's status schema). */
const jobGuidOf = (s: object): string | null | undefined => {
  const v = (s as { most_recent_job_guid?: unknown }).most_recent_job_guid;
  return typeof v === 'string' || v === null ? v : undefined;
};

/**
 * The baseline of a member answer (the 202 of `fetch_statements`, or the member a window was opened for).
 *
 * @example
 * ```ts
 * import { jobBaseline } from './job-evidence.js';
 * jobBaseline({ guid: 'MBR-1', connection_status: 'CONNECTED', is_being_aggregated: false }, 0).aggregatedAt; // undefined
 * ```
 */
export const jobBaseline = (m: Member | MemberStatus, at: number): JobBaseline => ({
  at,
  connectionStatus: m.connection_status,
  isBeingAggregated: m.is_being_aggregated,
  aggregatedAt: m.aggregated_at,
  successfullyAggregatedAt: m.successfully_aggregated_at,
  jobGuid: jobGuidOf(m),
});

/** A later value than `before`: a new value where MX said "never", or a different one (not an earlier time). */
const moved = (before: string | null | undefined, now: string | null | undefined): boolean => {
  if (before === undefined || typeof now !== 'string' || now === '' || now === before) return false;
  if (before === null) return true;
  const [a, b] = [Date.parse(before), Date.parse(now)];
  return Number.isNaN(a) || Number.isNaN(b) ? true : b > a;
};

/**
 * Whether a status shows that a job ran since the baseline: aggregating now, or a timestamp, the job guid or
 * the connection status moved.
 *
 * @example
 * ```ts
 * import { jobBaseline } from './job-evidence.js';
 * import { showsJobSince } from './job-evidence.js';
 * const before = jobBaseline({ guid: 'MBR-1', connection_status: 'CONNECTED', is_being_aggregated: false, aggregated_at: '2026-12-01T10:00:00Z' }, 0);
 * showsJobSince(before, { connection_status: 'CONNECTED', is_being_aggregated: false, aggregated_at: '2026-12-01T10:00:00Z' }); // false: stale
 * showsJobSince(before, { connection_status: 'CONNECTED', is_being_aggregated: false, aggregated_at: '2026-12-01T11:30:00Z' }); // true
 * ```
 */
export const showsJobSince = (
  b: JobBaseline,
  s: Pick<MemberStatus, 'connection_status' | 'is_being_aggregated' | 'aggregated_at' | 'successfully_aggregated_at'>,
): boolean =>
  s.is_being_aggregated === true ||
  moved(b.aggregatedAt, s.aggregated_at) ||
  moved(b.successfullyAggregatedAt, s.successfully_aggregated_at) ||
  moved(b.jobGuid, jobGuidOf(s)) ||
  (b.connectionStatus !== undefined && typeof s.connection_status === 'string' && s.connection_status !== b.connectionStatus);

/**
 * What one status means for the job a run follows, given whether the job showed itself yet (`evidence`) and
 * whether the grace for that is over:
 * - `running`: keep polling (working, or a CONNECTED / failed status not yet believed);
 * - `challenged`: MFA (CHALLENGED is always current: a job waits on the answers);
 * - `done`: CONNECTED, not aggregating, with evidence;
 * - `failed`: a terminal status, with evidence or after the grace (then it is the member's state as it stands);
 * - `unconfirmed`: CONNECTED and not aggregating, but no sign of the job within the grace: MX most likely
 *   started none (a 202 "too soon").
 *
 * @example
 * ```ts
 * import { readJob } from './job-evidence.js';
 * readJob({ connection_status: 'CONNECTED', is_being_aggregated: false }, false, false); // 'running' (maybe stale)
 * readJob({ connection_status: 'CONNECTED', is_being_aggregated: false }, true, false);  // 'done'
 * readJob({ connection_status: 'CONNECTED', is_being_aggregated: false }, false, true);  // 'unconfirmed'
 * ```
 */
export const readJob = (
  s: Pick<MemberStatus, 'connection_status' | 'is_being_aggregated'>,
  evidence: boolean,
  graceOver: boolean,
): JobReading => {
  switch (memberPhase(s)) {
    case 'challenged':
      return 'challenged';
    case 'done':
      return evidence ? 'done' : graceOver ? 'unconfirmed' : 'running';
    case 'terminal':
      return evidence || graceOver ? 'failed' : 'running';
    default:
      return 'running';
  }
};

/**
 * The readings of {@link readJob}.
 *
 * @example
 * ```ts
 * import type { JobReading } from './job-evidence.js';
 * const r: JobReading = 'unconfirmed';
 * ```
 */
export type JobReading = 'running' | 'challenged' | 'done' | 'failed' | 'unconfirmed';

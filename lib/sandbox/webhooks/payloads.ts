/**
 * MX's webhook bodies (mx-api-today.md §5): STATEMENT after a completed statement fetch, AGGREGATION after an
 * aggregation, CONNECTION_STATUS only for the statuses a person must act on.
 *
 * @module
 */
import type { JobRecord, MemberRecord, UserRecord } from '../state.js';

/**
 * The `connection_status` values MX sends a CONNECTION_STATUS webhook for (never CONNECTED or PENDING).
 *
 * @example
 * ```ts
 * import { ACTIONABLE_STATUSES } from './payloads.js';
 *
 * ACTIONABLE_STATUSES.has('CHALLENGED'); // true
 * ```
 */
export const ACTIONABLE_STATUSES: ReadonlySet<string> = new Set([
  'CHALLENGED',
  'DENIED',
  'EXPIRED',
  'IMPAIRED',
  'IMPEDED',
  'LOCKED',
  'PREVENTED',
  'REJECTED',
]);

/**
 * `connection_status_id` by status: the order of v20250224's enum, which matches MX's published ids for the
 * first six (CREATED 0 … LOCKED 5; CHALLENGED 3 as in MX's example). The later ids are not published by MX.
 */
export const CONNECTION_STATUS_IDS: Readonly<Record<string, number>> = Object.fromEntries(
  [
    'CREATED', 'PREVENTED', 'DENIED', 'CHALLENGED', 'REJECTED', 'LOCKED', 'CONNECTED', 'IMPEDED', 'RECONNECTED', 'DEGRADED',
    'DISCONNECTED', 'DISCONTINUED', 'CLOSED', 'DELAYED', 'FAILED', 'UPDATED', 'DISABLED', 'IMPORTED', 'RESUMED', 'EXPIRED',
    'IMPAIRED', 'PENDING',
  ].map((status, id) => [status, id]),
);

/**
 * A STATEMENT webhook body.
 *
 * @example
 * ```ts
 * import type { StatementWebhook } from 'mx-statements-rx/sandbox';
 *
 * const hook: StatementWebhook = {
 *   action: 'member_data_updated', completed_at: 1531947410, completed_on: '2018-07-18',
 *   member_guid: 'MBR-1', statements_created_count: 3, type: 'STATEMENT', user_guid: 'USR-1',
 * };
 * ```
 */
export interface StatementWebhook {
  readonly action: 'member_data_updated';
  readonly completed_at: number;
  readonly completed_on: string;
  readonly member_guid: string;
  readonly statements_created_count: number;
  readonly type: 'STATEMENT';
  readonly user_guid: string;
}

/**
 * An AGGREGATION webhook body.
 *
 * @example
 * ```ts
 * import type { AggregationWebhook } from 'mx-statements-rx/sandbox';
 *
 * const hook: AggregationWebhook = {
 *   action: 'member_data_updated', completed_at: 1531947410, completed_on: '2018-07-18', is_background: false,
 *   job_guid: 'JOB-1', member_guid: 'MBR-1', transactions_created_count: 0, transactions_updated_count: 0,
 *   type: 'AGGREGATION', user_guid: 'USR-1', user_id: null,
 * };
 * ```
 */
export interface AggregationWebhook {
  readonly action: 'member_data_updated';
  readonly completed_at: number;
  readonly completed_on: string;
  readonly is_background: boolean;
  readonly job_guid: string;
  readonly member_guid: string;
  readonly transactions_created_count: number;
  readonly transactions_updated_count: number;
  readonly type: 'AGGREGATION';
  readonly user_guid: string;
  readonly user_id: string | null;
}

/**
 * A CONNECTION_STATUS webhook body.
 *
 * @example
 * ```ts
 * import type { ConnectionStatusWebhook } from 'mx-statements-rx/sandbox';
 *
 * const hook: ConnectionStatusWebhook = {
 *   action: 'CHANGED', connection_status: 'CHALLENGED', connection_status_id: 3,
 *   connection_status_message: 'MX Bank is asking for additional authentication', member_guid: 'MBR-1',
 *   type: 'CONNECTION_STATUS', user_guid: 'USR-1',
 * };
 * ```
 */
export interface ConnectionStatusWebhook {
  readonly action: 'CHANGED';
  readonly connection_status: string;
  readonly connection_status_id: number;
  readonly connection_status_message: string;
  readonly member_guid: string;
  readonly type: 'CONNECTION_STATUS';
  readonly user_guid: string;
}

/**
 * Any webhook the sandbox sends.
 *
 * @example
 * ```ts
 * import type { SandboxWebhook } from 'mx-statements-rx/sandbox';
 *
 * const typeOf = (hook: SandboxWebhook) => hook.type; // 'STATEMENT' | 'AGGREGATION' | 'CONNECTION_STATUS'
 * ```
 */
export type SandboxWebhook = StatementWebhook | AggregationWebhook | ConnectionStatusWebhook;

const completed = (nowMs: number) => ({
  completed_at: Math.floor(nowMs / 1000),
  completed_on: new Date(nowMs).toISOString().slice(0, 10),
});

/**
 * The STATEMENT webhook of a completed statements job.
 *
 * @example
 * ```ts
 * import type { MemberRecord } from '../state.js';
 * import { statementWebhook } from './payloads.js';
 * declare const member: MemberRecord;
 *
 * statementWebhook(member, 6, Date.now()).statements_created_count; // 6
 * ```
 */
export function statementWebhook(member: MemberRecord, created: number, nowMs: number): StatementWebhook {
  return {
    action: 'member_data_updated',
    ...completed(nowMs),
    member_guid: member.guid,
    statements_created_count: created,
    type: 'STATEMENT',
    user_guid: member.userGuid,
  };
}

/**
 * The AGGREGATION webhook of a completed job that aggregated (the sandbox has no transactions: the counts are 0).
 *
 * @example
 * ```ts
 * import type { JobRecord, MemberRecord, UserRecord } from '../state.js';
 * import { aggregationWebhook } from './payloads.js';
 * declare const member: MemberRecord;
 * declare const user: UserRecord;
 * declare const job: JobRecord;
 *
 * aggregationWebhook(member, user, job, Date.now()).job_guid; // 'JOB-…'
 * ```
 */
export function aggregationWebhook(member: MemberRecord, user: UserRecord, job: JobRecord, nowMs: number): AggregationWebhook {
  return {
    action: 'member_data_updated',
    ...completed(nowMs),
    is_background: false,
    job_guid: job.guid,
    member_guid: member.guid,
    transactions_created_count: 0,
    transactions_updated_count: 0,
    type: 'AGGREGATION',
    user_guid: member.userGuid,
    user_id: user.id,
  };
}

/**
 * The CONNECTION_STATUS webhook of a member's current status, or undefined when MX sends none for it.
 *
 * @example
 * ```ts
 * import type { MemberRecord } from '../state.js';
 * import { connectionStatusWebhook } from './payloads.js';
 * declare const member: MemberRecord; // CHALLENGED
 *
 * connectionStatusWebhook(member)?.connection_status_id; // 3
 * ```
 */
export function connectionStatusWebhook(member: MemberRecord): ConnectionStatusWebhook | undefined {
  const status = member.connectionStatus;
  if (!ACTIONABLE_STATUSES.has(status)) return undefined;
  return {
    action: 'CHANGED',
    connection_status: status,
    connection_status_id: CONNECTION_STATUS_IDS[status] ?? -1,
    connection_status_message: member.connectionStatusMessage,
    member_guid: member.guid,
    type: 'CONNECTION_STATUS',
    user_guid: member.userGuid,
  };
}

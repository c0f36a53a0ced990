/**
 * The member status object (`MemberStatusResponse` in the spec), from readMemberStatus: what to poll.
 *
 * @module
 */
import * as t from 'io-ts';
import { Challenge } from './challenge.js';
import { ConnectionStatus } from './connection-status.js';
import { nullable } from './nullable.js';

/**
 * A member's aggregation status: `guid` (MBR-…) is required; `connection_status` (open enum),
 * `is_being_aggregated`, `challenges` and the rest are optional and nullable.
 *
 * @example
 * ```ts
 * import { MemberStatus } from './member-status.js';
 * MemberStatus.decode({ guid: 'MBR-1', connection_status: 'CHALLENGED', is_being_aggregated: true, challenges: [] });
 * ```
 */
export const MemberStatus = t.intersection(
  [
    t.type({ guid: t.string }),
    t.partial({
      connection_status: nullable(ConnectionStatus),
      is_being_aggregated: nullable(t.boolean),
      is_authenticated: nullable(t.boolean),
      aggregated_at: nullable(t.string),
      successfully_aggregated_at: nullable(t.string),
      has_processed_accounts: nullable(t.boolean),
      has_processed_account_numbers: nullable(t.boolean),
      has_processed_transactions: nullable(t.boolean),
      challenges: nullable(t.array(Challenge)),
    }),
  ],
  'MemberStatus',
);
/**
 * A decoded {@link MemberStatus}.
 *
 * @example
 * ```ts
 * import type { MemberStatus } from 'mx-statements-rx';
 * const s: MemberStatus = { guid: 'MBR-1', is_being_aggregated: false };
 * ```
 */
export type MemberStatus = t.TypeOf<typeof MemberStatus>;

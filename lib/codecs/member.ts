/**
 * The MX member object (`MemberResponse` in the spec): a user's connection to one institution.
 *
 * @module
 */
import * as t from 'io-ts';
import { ConnectionStatus } from './connection-status.js';
import { nullable } from './nullable.js';

/** `most_recent_job_guid` / `most_recent_job_detail_text`: the spec says boolean, MX sends a string or null. */
const JobField = t.union([t.string, t.boolean, t.null], 'string | boolean | null');

/**
 * An MX member: `guid` (MBR-…) is required; everything else is optional and nullable; `connection_status`
 * accepts unknown strings; unknown fields pass through.
 *
 * @example
 * ```ts
 * import { Member } from 'mx-statements-rx';
 * Member.decode({ guid: 'MBR-1', connection_status: 'CONNECTED', is_being_aggregated: false }); // right({ … })
 * ```
 */
export const Member = t.intersection(
  [
    t.type({ guid: t.string }),
    t.partial({
      id: nullable(t.string),
      name: nullable(t.string),
      user_guid: nullable(t.string),
      user_id: nullable(t.string),
      institution_code: nullable(t.string),
      institution_guid: nullable(t.string),
      connection_status: nullable(ConnectionStatus),
      connection_status_message: nullable(t.string),
      is_being_aggregated: nullable(t.boolean),
      aggregated_at: nullable(t.string),
      successfully_aggregated_at: nullable(t.string),
      background_aggregation_is_disabled: nullable(t.boolean),
      is_managed_by_user: nullable(t.boolean),
      is_manual: nullable(t.boolean),
      is_oauth: nullable(t.boolean),
      oauth_window_uri: nullable(t.string),
      needs_updated_credentials: nullable(t.boolean),
      metadata: nullable(t.string),
      most_recent_job_guid: JobField,
      most_recent_job_detail_code: nullable(t.number),
      most_recent_job_detail_text: JobField,
      use_cases: nullable(t.array(t.string)),
    }),
  ],
  'Member',
);
/**
 * A decoded {@link Member}.
 *
 * @example
 * ```ts
 * import type { Member } from 'mx-statements-rx';
 * const m: Member = { guid: 'MBR-1', connection_status: 'CONNECTED' };
 * ```
 */
export type Member = t.TypeOf<typeof Member>;

/**
 * The MX member object (`MemberResponse` in the spec): a user's connection to one institution.
 *
 * @module
 */
import * as t from 'io-ts';
import { ConnectionStatus } from './connection-status.js';
import { nullable } from './nullable.js';

/** `most_recent_job_detail_text`: both specs say boolean, MX sends a string or null. */
const JobField = t.union([t.string, t.boolean, t.null], 'string | boolean | null');

/**
 * `most_recent_job_guid` as a string (`JOB-…`) or `null`. v20111101's spec types it boolean by mistake
 * (v20250224 corrects it to a string): a boolean decodes as `null`, since it names no job.
 *
 * @example
 * ```ts
 * import { JobGuid } from './member.js';
 * JobGuid.decode('JOB-1'); // right('JOB-1')
 * JobGuid.decode(false);   // right(null)
 * ```
 */
export const JobGuid = new t.Type<string | null, string | null, unknown>(
  'JobGuid',
  (u): u is string | null => typeof u === 'string' || u === null,
  (u, c) => (typeof u === 'string' || u === null ? t.success(u) : typeof u === 'boolean' ? t.success(null) : t.failure(u, c)),
  (a) => a,
);

/**
 * An MX member (the same object in v20111101 and v20250224): `guid` (MBR-…) is required; everything else is
 * optional and nullable; `connection_status` accepts unknown strings; `most_recent_job_guid` is a string or
 * `null`; unknown fields (such as rc20260430's `self` link) pass through.
 *
 * @example
 * ```ts
 * import { Member } from './member.js';
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
      most_recent_job_guid: JobGuid,
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

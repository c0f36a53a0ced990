/**
 * The MX statement object (`StatementResponse` in the spec). It has no period or account name fields.
 *
 * @module
 */
import * as t from 'io-ts';
import { nullable } from './nullable.js';

/**
 * A statement: `guid` (STA-…) is required; `content_hash` (SHA-256 hex of the PDF), `uri` (a path relative to
 * the host), the owning guids and timestamps are optional and nullable.
 *
 * @example
 * ```ts
 * import { Statement } from './statement.js';
 * Statement.decode({ guid: 'STA-1', account_guid: 'ACT-1', content_hash: null }); // right({ … })
 * ```
 */
export const Statement = t.intersection(
  [
    t.type({ guid: t.string }),
    t.partial({
      account_guid: nullable(t.string),
      member_guid: nullable(t.string),
      user_guid: nullable(t.string),
      content_hash: nullable(t.string),
      created_at: nullable(t.string),
      updated_at: nullable(t.string),
      uri: nullable(t.string),
    }),
  ],
  'Statement',
);
/**
 * A decoded {@link Statement}.
 *
 * @example
 * ```ts
 * import type { Statement } from 'mx-statements-rx';
 * const s: Statement = { guid: 'STA-1', content_hash: null };
 * ```
 */
export type Statement = t.TypeOf<typeof Statement>;

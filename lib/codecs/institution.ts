/**
 * The MX institution object (`InstitutionResponse` in the spec).
 *
 * @module
 */
import * as t from 'io-ts';
import { nullable } from './nullable.js';

/**
 * An MX institution: `code` (e.g. `mxbank`) is required; everything else is optional and nullable.
 *
 * @example
 * ```ts
 * import { Institution } from 'mx-statements-rx';
 * Institution.decode({ code: 'mxbank', name: 'MX Bank', supports_account_statement: true }); // right({ … })
 * ```
 */
export const Institution = t.intersection(
  [
    t.type({ code: t.string }),
    t.partial({
      name: nullable(t.string),
      url: nullable(t.string),
      iso_country_code: nullable(t.string),
      medium_logo_url: nullable(t.string),
      small_logo_url: nullable(t.string),
      forgot_password_url: nullable(t.string),
      forgot_username_url: nullable(t.string),
      trouble_signing_in_url: nullable(t.string),
      instructional_text: nullable(t.string),
      instructional_text_steps: nullable(t.array(t.string)),
      is_disabled_by_client: nullable(t.boolean),
      supports_account_identification: nullable(t.boolean),
      supports_account_statement: nullable(t.boolean),
      supports_account_verification: nullable(t.boolean),
      supports_oauth: nullable(t.boolean),
      supports_tax_document: nullable(t.boolean),
      supports_transaction_history: nullable(t.boolean),
    }),
  ],
  'Institution',
);
/**
 * A decoded {@link Institution}.
 *
 * @example
 * ```ts
 * import type { Institution } from 'mx-statements-rx';
 * const i: Institution = { code: 'mxbank', name: 'MX Bank' };
 * ```
 */
export type Institution = t.TypeOf<typeof Institution>;

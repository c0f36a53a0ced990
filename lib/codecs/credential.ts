/**
 * The credential an institution asks for (`CredentialResponse` in the spec), from listInstitutionCredentials.
 *
 * @module
 */
import * as t from 'io-ts';
import { nullable } from './nullable.js';

/**
 * A credential field: `guid` (CRD-…) is required; `field_name` (e.g. `LOGIN`), `label`, `display_order`,
 * `field_type` and `type` (e.g. `TEXT`) are optional and nullable.
 *
 * @example
 * ```ts
 * import { Credential } from './credential.js';
 * Credential.decode({ guid: 'CRD-1', field_name: 'LOGIN', label: 'Username', display_order: 1 }); // right({ … })
 * ```
 */
export const Credential = t.intersection(
  [
    t.type({ guid: t.string }),
    t.partial({
      field_name: nullable(t.string),
      label: nullable(t.string),
      display_order: nullable(t.number),
      field_type: nullable(t.string),
      type: nullable(t.string),
    }),
  ],
  'Credential',
);
/**
 * A decoded {@link Credential}.
 *
 * @example
 * ```ts
 * import type { Credential } from 'mx-statements-rx';
 * const c: Credential = { guid: 'CRD-1', field_name: 'LOGIN' };
 * ```
 */
export type Credential = t.TypeOf<typeof Credential>;

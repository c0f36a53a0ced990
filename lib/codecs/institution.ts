/**
 * The MX institution object (`InstitutionResponse` in both specs). One codec reads both dialects: v20111101's
 * `supports_*` flags and v20250224's `supported_products[]`, `guid`, `created_at` and `is_hidden`.
 *
 * @module
 */
import * as t from 'io-ts';
import { nullable } from './nullable.js';
import { knownGuard, openStringEnum } from './open-enum.js';

// -------------------------------------------------------------------------------------
// products
// -------------------------------------------------------------------------------------

/**
 * The products v20250224 names (`SupportedProducts` in its spec). The spec's `supported_products` query enum
 * says `history` where the schema says `transaction_history`; both are listed.
 *
 * @example
 * ```ts
 * import { KNOWN_SUPPORTED_PRODUCTS } from './institution.js';
 * KNOWN_SUPPORTED_PRODUCTS.includes('statements'); // true
 * ```
 */
export const KNOWN_SUPPORTED_PRODUCTS = [
  'account_verification', 'identity_verification', 'transactions', 'transaction_history', 'history', 'statements',
  'investments', 'rewards',
] as const;

/**
 * One of the {@link KNOWN_SUPPORTED_PRODUCTS}.
 *
 * @example
 * ```ts
 * import type { KnownSupportedProduct } from 'mx-statements-rx';
 * const p: KnownSupportedProduct = 'statements';
 * ```
 */
export type KnownSupportedProduct = (typeof KNOWN_SUPPORTED_PRODUCTS)[number];

/**
 * A product as MX names it in v20250224: a known one, or any other string (kept as is).
 *
 * @example
 * ```ts
 * import type { SupportedProduct } from './institution.js';
 * const p: SupportedProduct = 'statements';
 * ```
 */
export type SupportedProduct = KnownSupportedProduct | (string & {});

/**
 * Decodes any string as a {@link SupportedProduct}.
 *
 * @example
 * ```ts
 * import { SupportedProduct } from './institution.js';
 * SupportedProduct.decode('tax_documents'); // right('tax_documents')
 * ```
 */
export const SupportedProduct = openStringEnum<KnownSupportedProduct>('SupportedProduct', KNOWN_SUPPORTED_PRODUCTS);

/**
 * Whether a value is one of the {@link KNOWN_SUPPORTED_PRODUCTS}.
 *
 * @example
 * ```ts
 * import { isKnownSupportedProduct } from './institution.js';
 * isKnownSupportedProduct('statements'); // true
 * ```
 */
export const isKnownSupportedProduct: (u: unknown) => u is KnownSupportedProduct = knownGuard(KNOWN_SUPPORTED_PRODUCTS);

// -------------------------------------------------------------------------------------
// institution
// -------------------------------------------------------------------------------------

/**
 * An MX institution: `code` (e.g. `mxbank`) is required; everything else is optional and nullable. v20111101
 * sends the `supports_*` flags, v20250224 `supported_products` (plus `guid`, `created_at`, `is_hidden`); both
 * send `supports_oauth`.
 *
 * @example
 * ```ts
 * import { Institution } from './institution.js';
 * Institution.decode({ code: 'mxbank', name: 'MX Bank', supports_account_statement: true }); // v20111101
 * Institution.decode({ code: 'mxbank', guid: 'INS-1', supported_products: ['statements'] }); // v20250224
 * ```
 */
export const Institution = t.intersection(
  [
    t.type({ code: t.string }),
    t.partial({
      guid: nullable(t.string),
      name: nullable(t.string),
      url: nullable(t.string),
      created_at: nullable(t.string),
      iso_country_code: nullable(t.string),
      is_hidden: nullable(t.boolean),
      medium_logo_url: nullable(t.string),
      small_logo_url: nullable(t.string),
      forgot_password_url: nullable(t.string),
      forgot_username_url: nullable(t.string),
      trouble_signing_in_url: nullable(t.string),
      instructional_text: nullable(t.string),
      instructional_text_steps: nullable(t.array(t.string)),
      is_disabled_by_client: nullable(t.boolean),
      supported_products: nullable(t.array(SupportedProduct)),
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

/**
 * Whether an institution supports statements, in either dialect: `supported_products` (v20250224) when MX sent
 * it, else `supports_account_statement` (v20111101); `undefined` when the answer says neither (a slimmer
 * response), so the caller decides.
 *
 * @example
 * ```ts
 * import { supportsStatements } from 'mx-statements-rx';
 * supportsStatements({ code: 'a', supported_products: ['transactions', 'statements'] }); // true
 * supportsStatements({ code: 'b', supports_account_statement: false });                   // false
 * supportsStatements({ code: 'c' });                                                      // undefined
 * ```
 */
export const supportsStatements = (i: Institution): boolean | undefined => {
  if (Array.isArray(i.supported_products)) return i.supported_products.includes('statements');
  return typeof i.supports_account_statement === 'boolean' ? i.supports_account_statement : undefined;
};

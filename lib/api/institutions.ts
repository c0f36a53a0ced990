import type * as E from 'fp-ts/lib/Either.js';
import { defer, map, toArray, type Observable } from 'rxjs';
import type { MxApiVersion } from '../core/config.js';
import type { MxError } from '../core/errors.js';
import {
  CredentialsResponseBody, InstitutionResponseBody, InstitutionsResponseBody, type Credential, type Institution,
  type SupportedProduct,
} from '../codecs/index.js';
import { apiPath, withQuery, type QueryValue } from '../http/path.js';
import type { Transport } from '../http/transport.js';
import { allPages, pageParams, toPage, type Page, type PageQuery } from './paging.js';
import * as Ei from './either.js';
import type { MxObservable } from '../core/observable-either.js';

/**
 * Filters of the list-institutions endpoint (`GET /institutions`). The two dialects filter by product
 * differently: v20111101 with `supports_*` flags, v20250224 with `supported_products`. Either vocabulary works
 * with either client: `supportsAccountStatement: true` is sent as `supported_products=statements` in v20250224,
 * and `supportedProducts: ['statements']` as `supports_account_statement=true` in v20111101.
 *
 * @example
 * ```ts
 * import type { InstitutionQuery } from 'mx-statements-rx';
 * const q: InstitutionQuery = { name: 'MX Bank', supportedProducts: ['statements'] };
 * ```
 */
export interface InstitutionQuery extends PageQuery {
  /** A substring of the name, matched case-insensitively by MX. */
  readonly name?: string;
  /** ISO 3166 country codes, e.g. `['US']`. */
  readonly isoCountryCode?: ReadonlyArray<string>;
  /** v20250224's filter: institutions supporting every one of these products. */
  readonly supportedProducts?: ReadonlyArray<SupportedProduct>;
  readonly supportsAccountStatement?: boolean;
  readonly supportsAccountIdentification?: boolean;
  readonly supportsAccountVerification?: boolean;
  readonly supportsTransactionHistory?: boolean;
}

/** The institution endpoints. Every method is cold: one request per subscription, aborted on unsubscribe. */
export interface InstitutionsApi {
  /** `GET /institutions` — one page (page size 10–100). */
  list$(query?: InstitutionQuery): MxObservable<Page<Institution>>;
  /** Every matching institution, paging lazily, 100 per page. */
  all$(query?: Omit<InstitutionQuery, 'page'>): MxObservable<Institution>;
  /** `GET /institutions/{institution_code}`. */
  read$(institutionCode: string): MxObservable<Institution>;
  /**
   * `GET /institutions/{institution}/credentials` — the fields a member needs, every page, in one list. The
   * institution is its code (both versions) or, in v20250224, its guid.
   */
  credentials$(institution: string): MxObservable<ReadonlyArray<Credential>>;
}

/** The v20111101 flag ↔ the v20250224 product, for the filters that exist in both. */
const FLAG_PRODUCTS = [
  ['supportsAccountStatement', 'supports_account_statement', 'statements'],
  ['supportsAccountVerification', 'supports_account_verification', 'account_verification'],
  ['supportsAccountIdentification', 'supports_account_identification', 'identity_verification'],
  ['supportsTransactionHistory', 'supports_transaction_history', 'transaction_history'],
] as const;

/** v20111101: the `supports_*` flags, a product asked for in `supportedProducts` setting its flag. */
const flagsQuery = (q: InstitutionQuery | undefined): Record<string, QueryValue> => {
  const products = new Set<string>(q?.supportedProducts ?? []);
  if (products.has('history')) products.add('transaction_history');
  const out: Record<string, QueryValue> = {};
  for (const [option, param, product] of FLAG_PRODUCTS) {
    const value = q?.[option] ?? (products.has(product) ? true : undefined);
    if (value !== undefined) out[param] = value;
  }
  return out;
};

/**
 * v20250224: `supported_products` (repeated), a `supports_*: true` flag adding its product. A flag set to
 * `false` has no v20250224 form (it cannot ask for institutions *without* a product): a `TypeError`.
 */
const productsQuery = (q: InstitutionQuery | undefined): Record<string, QueryValue> => {
  const products: string[] = [...(q?.supportedProducts ?? [])];
  for (const [option, , product] of FLAG_PRODUCTS) {
    const value = q?.[option];
    if (value === false) throw new TypeError(`${option}: false has no v20250224 equivalent (filter by supportedProducts instead)`);
    if (value === true && !products.includes(product)) products.push(product);
  }
  return products.length > 0 ? { supported_products: products } : {};
};

const query = (q: InstitutionQuery | undefined, version: MxApiVersion): Record<string, QueryValue> => ({
  name: q?.name,
  iso_country_code: q?.isoCountryCode,
  ...pageParams(q),
  ...(version === 'v20250224' ? productsQuery(q) : flagsQuery(q)),
});

/** Binds the institution endpoints to a transport speaking `version`. */
export const institutionsApi = (http: Transport, version: MxApiVersion): InstitutionsApi => {
  const list$ = (q?: InstitutionQuery) =>
    defer(() => http.json$({ method: 'GET', path: withQuery('/institutions', query(q, version)) }, InstitutionsResponseBody))
      .pipe(map(Ei.map((b) => toPage(b.institutions, b.pagination))));
  const credentialsPage$ = (institution: string, page: number) =>
    http.json$(
      { method: 'GET', path: withQuery(apiPath`/institutions/${institution}/credentials`, { page, records_per_page: 1000 }) },
      CredentialsResponseBody,
    ).pipe(map(Ei.map((b) => toPage(b.credentials, b.pagination))));
  return {
    list$,
    all$: (q) => allPages((page) => list$({ recordsPerPage: 100, ...q, page })),
    read$: (code) =>
      http.json$({ method: 'GET', path: apiPath`/institutions/${code}` }, InstitutionResponseBody).pipe(map(Ei.map((b) => b.institution))),
    credentials$: (institution) =>
      allPages((page) => credentialsPage$(institution, page)).pipe(toArray(), map(Ei.sequence)),
  };
};

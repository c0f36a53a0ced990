/**
 * v20250224's products: what an institution supports (`supported_products[]`, the `supported_products` search
 * filter) and what a member creation asks for (`data_request.products`), which decides the kind of its first job.
 *
 * @module
 */
import { errors } from './http-error.js';
import type { CatalogInstitution } from './institutions-catalog.js';
import type { JobSpec } from './jobs.js';

/**
 * The product names of v20250224 (its `SupportedProducts` schema).
 *
 * @example
 * ```ts
 * import { SUPPORTED_PRODUCTS } from './products.js';
 *
 * SUPPORTED_PRODUCTS.includes('statements'); // true
 * ```
 */
export const SUPPORTED_PRODUCTS = [
  'account_verification',
  'identity_verification',
  'transactions',
  'transaction_history',
  'statements',
  'investments',
  'rewards',
] as const;

/** One v20250224 product name. */
export type SupportedProduct = (typeof SUPPORTED_PRODUCTS)[number];

const isProduct = (s: string): s is SupportedProduct => (SUPPORTED_PRODUCTS as ReadonlyArray<string>).includes(s);

/**
 * The products an institution of the catalogue supports, in the schema's order.
 *
 * @example
 * ```ts
 * import { findInstitution } from './institutions-catalog.js';
 * import { institutionProducts } from './products.js';
 *
 * institutionProducts(findInstitution('mxbank')!); // ['account_verification', …, 'statements']
 * ```
 */
export function institutionProducts(i: CatalogInstitution): SupportedProduct[] {
  const has: Record<SupportedProduct, boolean> = {
    account_verification: i.supportsAccountVerification,
    identity_verification: i.supportsAccountIdentification,
    transactions: true,
    transaction_history: i.supportsTransactionHistory,
    statements: i.supportsAccountStatement,
    investments: false,
    rewards: false,
  };
  return SUPPORTED_PRODUCTS.filter((p) => has[p]);
}

/**
 * The `supported_products` query of v20250224's institution search (`supported_products=statements`, repeated,
 * `supported_products[]=…`, or comma-separated). The query's enum says `history` where the schema says
 * `transaction_history` (a slip in MX's spec): both are taken. 400 for a name that is neither.
 *
 * @example
 * ```ts
 * import { productsFilter } from './products.js';
 *
 * productsFilter(new URLSearchParams('supported_products=statements')); // ['statements']
 * ```
 */
export function productsFilter(query: URLSearchParams): SupportedProduct[] {
  const raw = [...query.getAll('supported_products'), ...query.getAll('supported_products[]')]
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
  return raw.map((v) => {
    const name = v === 'history' ? 'transaction_history' : v;
    if (!isProduct(name)) throw errors.badRequest(`supported_products: unknown product ${JSON.stringify(v.slice(0, 40))} (one of ${SUPPORTED_PRODUCTS.join(', ')})`);
    return name;
  });
}

/**
 * Reads v20250224's `data_request` of a member creation: `{ products: [...] }` with at least one known product,
 * each supported by the institution; 400 otherwise. `undefined` when no `data_request` was sent.
 *
 * @example
 * ```ts
 * import { findInstitution } from './institutions-catalog.js';
 * import { dataRequestProducts } from './products.js';
 *
 * dataRequestProducts({ products: ['statements'] }, findInstitution('mxbank')!); // ['statements']
 * ```
 */
export function dataRequestProducts(dataRequest: unknown, institution: CatalogInstitution): SupportedProduct[] | undefined {
  if (dataRequest === undefined || dataRequest === null) return undefined;
  if (typeof dataRequest !== 'object' || Array.isArray(dataRequest)) throw errors.badRequest('data_request must be an object { products: [...] }');
  const products = (dataRequest as { products?: unknown }).products;
  if (products === undefined || products === null) throw errors.badRequest('data_request.products is required when data_request is sent');
  if (!Array.isArray(products) || products.length === 0 || products.length > SUPPORTED_PRODUCTS.length * 2) {
    throw errors.badRequest('data_request.products must be a non-empty array of product names');
  }
  const supported = institutionProducts(institution);
  const out: SupportedProduct[] = [];
  for (const p of products) {
    if (typeof p !== 'string' || !isProduct(p)) throw errors.badRequest(`data_request.products items must be one of ${SUPPORTED_PRODUCTS.join(', ')}`);
    if (!supported.includes(p)) throw errors.badRequest(`institution ${institution.code} does not support the product ${p}`);
    if (!out.includes(p)) out.push(p);
  }
  return out;
}

/**
 * The job a creation (or an OAuth authorization) starts for these products: a statements job (which also
 * aggregates when other products are asked) when `statements` is among them, a standard aggregation otherwise
 * (and without a `data_request`).
 *
 * @example
 * ```ts
 * import { jobSpecForProducts } from './products.js';
 *
 * jobSpecForProducts(['statements']); // { kind: 'statements', aggregates: false }
 * jobSpecForProducts(null); // { kind: 'aggregate', aggregates: true }
 * ```
 */
export function jobSpecForProducts(products: ReadonlyArray<string> | null | undefined): Required<JobSpec> {
  if (!products?.includes('statements')) return { kind: 'aggregate', aggregates: true };
  return { kind: 'statements', aggregates: products.some((p) => p !== 'statements') };
}

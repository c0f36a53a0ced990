/**
 * Institutions: list (name substring, case-insensitive; `iso_country_code`; the product filters of the version:
 * `supports_*` in v20111101, `supported_products` in v20250224), read, and the credentials an institution asks
 * for (by code; in v20250224 by code or guid).
 *
 * @module
 */
import type { RouteRequest } from '../context.js';
import { json } from '../context.js';
import { errors } from '../http-error.js';
import { INSTITUTIONS, findInstitution, type CatalogInstitution } from '../institutions-catalog.js';
import { paginate } from '../pagination.js';
import { institutionProducts, productsFilter } from '../products.js';
import type { Route } from '../router.js';
import { credentialJson, institutionJson } from '../serialize.js';
import { queryBoolean } from '../validate.js';

const institutionOf = (code: string, byGuidToo = false): CatalogInstitution => {
  const institution = findInstitution(code) ?? (byGuidToo ? INSTITUTIONS.find((i) => i.guid === code) : undefined);
  if (!institution) throw errors.notFound(`institution ${code} not found`);
  return institution;
};

/** `supports_*` query parameter → the catalogue field it filters on. */
const SUPPORT_FILTERS = [
  ['supports_account_statement', 'supportsAccountStatement'],
  ['supports_account_identification', 'supportsAccountIdentification'],
  ['supports_account_verification', 'supportsAccountVerification'],
  ['supports_transaction_history', 'supportsTransactionHistory'],
] as const;

/** The product filter of the request's version, as a predicate; 400 for the other version's filter. */
const productPredicate = (req: RouteRequest): ((i: CatalogInstitution) => boolean) => {
  if (req.version === 'v20250224') {
    for (const [param] of SUPPORT_FILTERS) {
      if (req.query.has(param)) throw errors.badRequest(`${param} is not a v20250224 filter: use supported_products (e.g. supported_products=statements)`);
    }
    const wanted = productsFilter(req.query);
    return (i) => {
      const has = institutionProducts(i);
      return wanted.every((p) => has.includes(p));
    };
  }
  if (req.query.has('supported_products') || req.query.has('supported_products[]')) {
    throw errors.badRequest('supported_products is a v20250224 filter: in v20111101 use supports_account_statement=true');
  }
  // `true` keeps only the institutions that support the feature; `false` does not filter (as MX).
  const required = SUPPORT_FILTERS.filter(([param]) => queryBoolean(req.query, param) === true);
  return (i) => required.every(([, field]) => i[field]);
};

/**
 * The institution routes.
 *
 * @example
 * ```ts
 * import { Router } from '../router.js';
 * import { INSTITUTION_ROUTES } from './institutions.js';
 *
 * const router = new Router([...INSTITUTION_ROUTES]);
 * ```
 */
export const INSTITUTION_ROUTES: ReadonlyArray<Route> = [
  {
    method: 'GET',
    path: '/institutions',
    operationId: 'listInstitutions',
    produces: 'json',
    body: 'none',
    handle: (_ctx, req) => {
      const name = (req.query.get('name') ?? '').trim().toLowerCase();
      const countries = [...req.query.getAll('iso_country_code'), ...req.query.getAll('iso_country_code[]')]
        .flatMap((c) => c.split(','))
        .map((c) => c.trim().toUpperCase())
        .filter((c) => c !== '');
      const supports = productPredicate(req);
      const matches = INSTITUTIONS.filter(
        (i) =>
          (name === '' || i.name.toLowerCase().includes(name) || i.code.includes(name)) &&
          (countries.length === 0 || countries.includes(i.isoCountryCode)) &&
          supports(i),
      );
      const page = paginate(matches, req.query, 100);
      return json(200, { institutions: page.items.map((i) => institutionJson(i, req.version)), pagination: page.pagination });
    },
  },
  {
    method: 'GET',
    path: '/institutions/:institution_code',
    operationId: 'readInstitution',
    produces: 'json',
    body: 'none',
    handle: (_ctx, req) => json(200, { institution: institutionJson(institutionOf(req.params.institution_code ?? ''), req.version) }),
  },
  {
    method: 'GET',
    path: '/institutions/:institution_code/credentials',
    operationId: 'listInstitutionCredentials',
    produces: 'json',
    body: 'none',
    handle: (_ctx, req) => {
      const institution = institutionOf(req.params.institution_code ?? '', req.version === 'v20250224');
      const page = paginate(institution.credentials, req.query, 1000);
      return json(200, { credentials: page.items.map(credentialJson), pagination: page.pagination });
    },
  },
];

/**
 * Institutions: list (name substring, case-insensitive; `iso_country_code`; the `supports_*` filters), read,
 * and the credentials an institution asks for.
 *
 * @module
 */
import { json } from '../context.js';
import { errors } from '../http-error.js';
import { INSTITUTIONS, findInstitution, type CatalogInstitution } from '../institutions-catalog.js';
import { paginate } from '../pagination.js';
import type { Route } from '../router.js';
import { credentialJson, institutionJson } from '../serialize.js';
import { queryBoolean } from '../validate.js';

const institutionOf = (code: string): CatalogInstitution => {
  const institution = findInstitution(code);
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
      // `true` keeps only the institutions that support the feature; `false` does not filter (as MX).
      const required = SUPPORT_FILTERS.filter(([param]) => queryBoolean(req.query, param) === true);
      const matches = INSTITUTIONS.filter(
        (i) =>
          (name === '' || i.name.toLowerCase().includes(name) || i.code.includes(name)) &&
          (countries.length === 0 || countries.includes(i.isoCountryCode)) &&
          required.every(([, field]) => i[field]),
      );
      const page = paginate(matches, req.query, 100);
      return json(200, { institutions: page.items.map(institutionJson), pagination: page.pagination });
    },
  },
  {
    method: 'GET',
    path: '/institutions/:institution_code',
    operationId: 'readInstitution',
    produces: 'json',
    body: 'none',
    handle: (_ctx, req) => json(200, { institution: institutionJson(institutionOf(req.params.institution_code ?? '')) }),
  },
  {
    method: 'GET',
    path: '/institutions/:institution_code/credentials',
    operationId: 'listInstitutionCredentials',
    produces: 'json',
    body: 'none',
    handle: (_ctx, req) => {
      const institution = institutionOf(req.params.institution_code ?? '');
      const page = paginate(institution.credentials, req.query, 1000);
      return json(200, { credentials: page.items.map(credentialJson), pagination: page.pagination });
    },
  },
];

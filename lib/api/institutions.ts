import type * as E from 'fp-ts/lib/Either.js';
import { map, toArray, type Observable } from 'rxjs';
import type { MxError } from '../core/errors.js';
import {
  CredentialsResponseBody, InstitutionResponseBody, InstitutionsResponseBody, type Credential, type Institution,
} from '../codecs/index.js';
import { apiPath, withQuery } from '../http/path.js';
import type { Transport } from '../http/transport.js';
import { allPages, pageParams, toPage, type Page, type PageQuery } from './paging.js';
import * as Ei from './either.js';

/** Filters of the list-institutions endpoint (`GET /institutions`). */
export interface InstitutionQuery extends PageQuery {
  /** A substring of the name, matched case-insensitively by MX. */
  readonly name?: string;
  /** ISO 3166 country codes, e.g. `['US']`. */
  readonly isoCountryCode?: ReadonlyArray<string>;
  readonly supportsAccountStatement?: boolean;
  readonly supportsAccountIdentification?: boolean;
  readonly supportsAccountVerification?: boolean;
  readonly supportsTransactionHistory?: boolean;
}

/** The institution endpoints. */
export interface InstitutionsApi {
  /** `GET /institutions` — one page (page size 10–100). */
  list$(query?: InstitutionQuery): Observable<E.Either<MxError, Page<Institution>>>;
  /** Every matching institution, paging lazily, 100 per page. */
  all$(query?: Omit<InstitutionQuery, 'page'>): Observable<E.Either<MxError, Institution>>;
  /** `GET /institutions/{institution_code}`. */
  read$(institutionCode: string): Observable<E.Either<MxError, Institution>>;
  /** `GET /institutions/{institution_code}/credentials` — the fields a member needs, every page, in one list. */
  credentials$(institutionCode: string): Observable<E.Either<MxError, ReadonlyArray<Credential>>>;
}

const query = (q?: InstitutionQuery) => ({
  name: q?.name,
  iso_country_code: q?.isoCountryCode,
  ...pageParams(q),
  supports_account_identification: q?.supportsAccountIdentification,
  supports_account_statement: q?.supportsAccountStatement,
  supports_account_verification: q?.supportsAccountVerification,
  supports_transaction_history: q?.supportsTransactionHistory,
});

/** Binds the institution endpoints to a transport. */
export const institutionsApi = (http: Transport): InstitutionsApi => {
  const list$ = (q?: InstitutionQuery) =>
    http.json$({ method: 'GET', path: withQuery('/institutions', query(q)) }, InstitutionsResponseBody)
      .pipe(map(Ei.map((b) => toPage(b.institutions, b.pagination))));
  const credentialsPage$ = (code: string, page: number) =>
    http.json$(
      { method: 'GET', path: withQuery(apiPath`/institutions/${code}/credentials`, { page, records_per_page: 1000 }) },
      CredentialsResponseBody,
    ).pipe(map(Ei.map((b) => toPage(b.credentials, b.pagination))));
  return {
    list$,
    all$: (q) => allPages((page) => list$({ recordsPerPage: 100, ...q, page })),
    read$: (code) =>
      http.json$({ method: 'GET', path: apiPath`/institutions/${code}` }, InstitutionResponseBody).pipe(map(Ei.map((b) => b.institution))),
    credentials$: (code) =>
      allPages((page) => credentialsPage$(code, page)).pipe(toArray(), map(Ei.sequence)),
  };
};

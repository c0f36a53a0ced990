import type * as E from 'fp-ts/lib/Either.js';
import { map, type Observable } from 'rxjs';
import type { MxError } from '../core/errors.js';
import { MemberResponseBody, StatementResponseBody, StatementsResponseBody, type Member, type Statement } from '../codecs/index.js';
import { apiPath, withQuery } from '../http/path.js';
import type { ByteChunk, Transport } from '../http/transport.js';
import { allPages, pageParams, toPage, type Page, type PageQuery } from './paging.js';
import type { MemberRef, StatementRef } from './refs.js';
import * as Ei from './either.js';

/** The statement endpoints. */
export interface StatementsApi {
  /**
   * `POST …/members/{member_guid}/fetch_statements` — start a statements job (202). MX answers 202 again while
   * that job runs, `Conflict` while a job of another type runs, `BadRequest` if the institution has no statements.
   */
  fetch$(ref: MemberRef): Observable<E.Either<MxError, Member>>;
  /** `GET …/members/{member_guid}/statements` — one page. */
  list$(ref: MemberRef, query?: PageQuery): Observable<E.Either<MxError, Page<Statement>>>;
  /** Every statement of a member, paging lazily (1000 per page). */
  all$(ref: MemberRef): Observable<E.Either<MxError, Statement>>;
  /** `GET …/statements/{statement_guid}`. */
  read$(ref: StatementRef): Observable<E.Either<MxError, Statement>>;
  /**
   * `GET …/statements/{statement_guid}.pdf` with `Accept: application/vnd.mx.api.v1+pdf` — the raw bytes as they
   * arrive, each chunk with the running count and the announced length. A body that breaks off or differs from
   * its `Content-Length` ends with an `IntegrityError`; bytes are never decoded as text.
   */
  pdf$(ref: StatementRef): Observable<E.Either<MxError, ByteChunk>>;
}

const statementsPath = ({ userGuid, memberGuid }: MemberRef) => apiPath`/users/${userGuid}/members/${memberGuid}/statements`;

/** Binds the statement endpoints to a transport. */
export const statementsApi = (http: Transport): StatementsApi => {
  const list$ = (ref: MemberRef, q?: PageQuery) =>
    http.json$({ method: 'GET', path: withQuery(statementsPath(ref), pageParams(q)) }, StatementsResponseBody)
      .pipe(map(Ei.map((b) => toPage(b.statements, b.pagination))));
  return {
    fetch$: ({ userGuid, memberGuid }) =>
      http.json$({ method: 'POST', path: apiPath`/users/${userGuid}/members/${memberGuid}/fetch_statements` }, MemberResponseBody)
        .pipe(map(Ei.map((b) => b.member))),
    list$,
    all$: (ref) => allPages((page) => list$(ref, { page, recordsPerPage: 1000 })),
    read$: (ref) =>
      http.json$({ method: 'GET', path: `${statementsPath(ref)}/${encodeURIComponent(ref.statementGuid)}` }, StatementResponseBody)
        .pipe(map(Ei.map((b) => b.statement))),
    pdf$: (ref) => http.bytes$({ method: 'GET', path: `${statementsPath(ref)}/${encodeURIComponent(ref.statementGuid)}.pdf` }),
  };
};

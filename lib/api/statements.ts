import type * as E from 'fp-ts/lib/Either.js';
import { defer, map, type Observable } from 'rxjs';
import type { MxApiVersion } from '../core/config.js';
import type { MxError } from '../core/errors.js';
import { MemberResponseBody, StatementResponseBody, StatementsResponseBody, type Member, type Statement } from '../codecs/index.js';
import { withQuery } from '../http/path.js';
import type { ByteChunk, Transport } from '../http/transport.js';
import { allPages, pageParams, toPage, type Page, type PageQuery } from './paging.js';
import { memberPath, statementsPath, type MemberKey, type MemberRef, type StatementRef } from './refs.js';
import * as Ei from './either.js';
import type { MxObservable } from '../core/observable-either.js';

/** The statement endpoints. */
export interface StatementsApi {
  /**
   * `POST …/members/{member}/fetch_statements` — start a statements job (202, the member as it stands). MX
   * answers 202 again while that job runs (and, for most institutions, when one ran in the last hours: "too
   * soon", no new job), `Conflict` while a job of another type runs, `BadRequest` if the institution has no
   * statements. The member is named by guids, or in v20250224 by your ids.
   */
  fetch$(member: MemberKey): MxObservable<Member>;
  /** `GET /users/{user_guid}/members/{member_guid}/statements` — one page (guids in both versions). */
  list$(ref: MemberRef, query?: PageQuery): MxObservable<Page<Statement>>;
  /** Every statement of a member, paging lazily (1000 per page). */
  all$(ref: MemberRef): MxObservable<Statement>;
  /** `GET …/statements/{statement_guid}`. */
  read$(ref: StatementRef): MxObservable<Statement>;
  /**
   * `GET …/statements/{statement_guid}.pdf` with `Accept: application/vnd.mx.api.v1+pdf` — the raw bytes as they
   * arrive, each chunk with the running count and the announced length. A body that breaks off or differs from
   * its `Content-Length` ends with an `IntegrityError`; bytes are never decoded as text.
   */
  pdf$(ref: StatementRef): MxObservable<ByteChunk>;
}

/** Binds the statement endpoints to a transport speaking `version`. */
export const statementsApi = (http: Transport, version: MxApiVersion): StatementsApi => {
  const list$ = (ref: MemberRef, q?: PageQuery) =>
    http.json$({ method: 'GET', path: withQuery(statementsPath(ref), pageParams(q)) }, StatementsResponseBody)
      .pipe(map(Ei.map((b) => toPage(b.statements, b.pagination))));
  return {
    fetch$: (key) =>
      defer(() => http.json$({ method: 'POST', path: `${memberPath(key, version)}/fetch_statements` }, MemberResponseBody))
        .pipe(map(Ei.map((b) => b.member))),
    list$,
    all$: (ref) => allPages((page) => list$(ref, { page, recordsPerPage: 1000 })),
    read$: (ref) =>
      http.json$({ method: 'GET', path: `${statementsPath(ref)}/${encodeURIComponent(ref.statementGuid)}` }, StatementResponseBody)
        .pipe(map(Ei.map((b) => b.statement))),
    pdf$: (ref) => http.bytes$({ method: 'GET', path: `${statementsPath(ref)}/${encodeURIComponent(ref.statementGuid)}.pdf` }),
  };
};

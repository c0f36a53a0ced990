import type * as E from 'fp-ts/lib/Either.js';
import { map, type Observable } from 'rxjs';
import type { MxError } from '../core/errors.js';
import {
  MemberResponseBody, MemberStatusResponseBody, MembersResponseBody, memberCreateBody, memberResumeBody, memberUpdateBody,
  type ChallengeAnswer, type Member, type MemberCreateExtras, type MemberCreateFields, type MemberStatus, type MemberUpdateFields,
} from '../codecs/index.js';
import { apiPath, withQuery } from '../http/path.js';
import type { ApiRequest, Transport } from '../http/transport.js';
import { allPages, pageParams, toPage, type Page, type PageQuery } from './paging.js';
import { memberPath, type MemberRef, type UserRef } from './refs.js';
import * as Ei from './either.js';

/** Options shared by the calls that start or change a member's job. */
export interface CallbackOptions {
  /** Base64 payload (≤ 1024 characters) that MX echoes in member webhooks (`X-CALLBACK-PAYLOAD`). */
  readonly callbackPayload?: string;
}

/** Options of `create$`: the callback payload and the body's top-level fields (OAuth redirect, referral source …). */
export interface CreateMemberOptions extends CallbackOptions {
  readonly extras?: MemberCreateExtras;
}

/** Options of `aggregate$`. */
export interface AggregateOptions extends CallbackOptions {
  readonly includeHoldings?: boolean;
  readonly includeTransactions?: boolean;
}

/** The member endpoints. Every method is cold: one request per subscription, aborted on unsubscribe. */
export interface MembersApi {
  /** `POST /users/{user_guid}/members` — 200 or 202. A duplicate (same institution + credentials) is `Conflict`. */
  create$(ref: UserRef, member: MemberCreateFields, options?: CreateMemberOptions): Observable<E.Either<MxError, Member>>;
  /** `GET /users/{user_guid}/members/{member_guid}`. */
  read$(ref: MemberRef): Observable<E.Either<MxError, Member>>;
  /** `GET …/members/{member_guid}/status` — the light status object to poll (with `challenges` when CHALLENGED). */
  status$(ref: MemberRef): Observable<E.Either<MxError, MemberStatus>>;
  /** `GET /users/{user_guid}/members` — one page. */
  list$(ref: UserRef, query?: PageQuery): Observable<E.Either<MxError, Page<Member>>>;
  /** Every member of a user, paging lazily (1000 per page). */
  all$(ref: UserRef): Observable<E.Either<MxError, Member>>;
  /** `PUT …/members/{member_guid}` — change credentials, id, metadata, flags. */
  update$(ref: MemberRef, fields: MemberUpdateFields, options?: CallbackOptions): Observable<E.Either<MxError, Member>>;
  /** `DELETE …/members/{member_guid}` — 204. */
  delete$(ref: MemberRef): Observable<E.Either<MxError, void>>;
  /** `POST …/members/{member_guid}/aggregate` — start a standard aggregation (202). */
  aggregate$(ref: MemberRef, options?: AggregateOptions): Observable<E.Either<MxError, Member>>;
  /** `PUT …/members/{member_guid}/resume` — answer MFA challenges (202). Answers never appear in errors. */
  resume$(ref: MemberRef, answers: ReadonlyArray<ChallengeAnswer>): Observable<E.Either<MxError, Member>>;
}


const callbackHeaders = (o?: CallbackOptions): Pick<ApiRequest, 'headers'> =>
  o?.callbackPayload !== undefined ? { headers: { 'X-CALLBACK-PAYLOAD': o.callbackPayload } } : {};

const credentialValues = (fields: { credentials?: ReadonlyArray<{ value: string }> | null }): string[] =>
  (fields.credentials ?? []).map((c) => c.value);

/** Binds the member endpoints to a transport. */
export const membersApi = (http: Transport): MembersApi => {
  const member$ = (req: ApiRequest) => http.json$(req, MemberResponseBody).pipe(map(Ei.map((b) => b.member)));
  const list$ = ({ userGuid }: UserRef, q?: PageQuery) =>
    http.json$({ method: 'GET', path: withQuery(apiPath`/users/${userGuid}/members`, pageParams(q)) }, MembersResponseBody)
      .pipe(map(Ei.map((b) => toPage(b.members, b.pagination))));
  return {
    create$: ({ userGuid }, fields, o) =>
      member$({
        method: 'POST',
        path: apiPath`/users/${userGuid}/members`,
        body: memberCreateBody(fields, o?.extras),
        secrets: credentialValues(fields),
        ...callbackHeaders(o),
      }),
    read$: (ref) => member$({ method: 'GET', path: memberPath(ref) }),
    status$: (ref) =>
      http.json$({ method: 'GET', path: `${memberPath(ref)}/status` }, MemberStatusResponseBody).pipe(map(Ei.map((b) => b.member))),
    list$,
    all$: (ref) => allPages((page) => list$(ref, { page, recordsPerPage: 1000 })),
    update$: (ref, fields, o) =>
      member$({ method: 'PUT', path: memberPath(ref), body: memberUpdateBody(fields), secrets: credentialValues(fields), ...callbackHeaders(o) }),
    delete$: (ref) => http.empty$({ method: 'DELETE', path: memberPath(ref) }).pipe(map(Ei.map(() => undefined))),
    aggregate$: (ref, o) =>
      member$({
        method: 'POST',
        path: withQuery(`${memberPath(ref)}/aggregate`, { include_holdings: o?.includeHoldings, include_transactions: o?.includeTransactions }),
        ...callbackHeaders(o),
      }),
    resume$: (ref, answers) =>
      member$({ method: 'PUT', path: `${memberPath(ref)}/resume`, body: memberResumeBody(answers), secrets: answers.map((a) => a.value) }),
  };
};

import type * as E from 'fp-ts/lib/Either.js';
import { defer, map, type Observable } from 'rxjs';
import type { MxApiVersion } from '../core/config.js';
import type { MxError } from '../core/errors.js';
import {
  MemberResponseBody, MemberStatusResponseBody, MembersResponseBody, OAuthWindowResponseBody, memberCreateBody, memberResumeBody,
  memberUpdateBody, type ChallengeAnswer, type Member, type MemberCreateExtras, type MemberCreateFields, type MemberStatus,
  type MemberUpdateFields, type OAuthWindow, type ReferralSource,
} from '../codecs/index.js';
import { withQuery } from '../http/path.js';
import type { ApiRequest, Transport } from '../http/transport.js';
import { allPages, pageParams, toPage, type Page, type PageQuery } from './paging.js';
import { memberPath, userPath, type MemberKey, type UserKey } from './refs.js';
import * as Ei from './either.js';
import type { MxObservable } from '../core/observable-either.js';

/**
 * Options shared by the calls that start or change a member's job.
 *
 * @example
 * ```ts
 * import type { CallbackOptions } from 'mx-statements-rx';
 * const o: CallbackOptions = { callbackPayload: 'eyJqb2IiOjF9' };
 * ```
 */
export interface CallbackOptions {
  /** Base64 payload (≤ 1024 characters) that MX echoes in member webhooks (`X-CALLBACK-PAYLOAD`). */
  readonly callbackPayload?: string;
}

/**
 * Options of `create$`: the callback payload and the body's top-level fields (OAuth redirect, referral source,
 * v20250224's `data_request` …).
 *
 * @example
 * ```ts
 * import type { CreateMemberOptions } from 'mx-statements-rx';
 * const o: CreateMemberOptions = { extras: { data_request: { products: ['statements'] } } };
 * ```
 */
export interface CreateMemberOptions extends CallbackOptions {
  readonly extras?: MemberCreateExtras;
}

/**
 * Options of `aggregate$`. The include flags exist in v20111101 only (v20250224's aggregate takes no query): a
 * v20250224 client leaves them out.
 *
 * @example
 * ```ts
 * import type { AggregateOptions } from 'mx-statements-rx';
 * const o: AggregateOptions = { includeTransactions: false };
 * ```
 */
export interface AggregateOptions extends CallbackOptions {
  readonly includeHoldings?: boolean;
  readonly includeTransactions?: boolean;
}

/**
 * The query of `oauthWindow$` (the same in both specs). `clientRedirectUrl` (and `uiMessageWebviewUrlScheme`)
 * are meant for `referralSource: 'APP'`; a browser app opens the window in a new window and leaves
 * `referralSource` unset (MX's default is `BROWSER`).
 *
 * @example
 * ```ts
 * import type { OAuthWindowOptions } from 'mx-statements-rx';
 * const mobile: OAuthWindowOptions = { referralSource: 'APP', clientRedirectUrl: 'myapp://oauth-done' };
 * ```
 */
export interface OAuthWindowOptions {
  /** Where MX sends the person at the end of OAuth, with the outcome in the query. */
  readonly clientRedirectUrl?: string;
  readonly referralSource?: ReferralSource;
  /** `true`: no aggregation starts after the person authorizes. */
  readonly skipAggregation?: boolean;
  /** `false`: never send the person to the institution's mobile app (MX's default is `true`). */
  readonly enableApp2app?: boolean;
  readonly uiMessageWebviewUrlScheme?: string;
}

/**
 * The member endpoints. Every method is cold: one request per subscription, aborted on unsubscribe. Members and
 * users are named by guid, or in v20250224 by your own ids ({@link MemberKey}); an id with a v20111101 client is
 * a `TypeError` on the error channel (a bug).
 */
export interface MembersApi {
  /**
   * `POST /users/{user}/members` — 200 or 202. A duplicate (same institution + credentials) is `Conflict`. The
   * body is built for the client's version (see `memberCreateBody`): v20111101 sends `skip_aggregation`, v20250224
   * sends `extras.data_request` instead.
   */
  create$(user: UserKey, member: MemberCreateFields, options?: CreateMemberOptions): MxObservable<Member>;
  /** `GET /users/{user}/members/{member}`. */
  read$(member: MemberKey): MxObservable<Member>;
  /** `GET …/members/{member}/status` — the light status object to poll (with `challenges` when CHALLENGED). */
  status$(member: MemberKey): MxObservable<MemberStatus>;
  /** `GET /users/{user}/members` — one page. */
  list$(user: UserKey, query?: PageQuery): MxObservable<Page<Member>>;
  /** Every member of a user, paging lazily (1000 per page). */
  all$(user: UserKey): MxObservable<Member>;
  /** `PUT …/members/{member}` — change credentials, id, metadata, flags. */
  update$(member: MemberKey, fields: MemberUpdateFields, options?: CallbackOptions): MxObservable<Member>;
  /** `DELETE …/members/{member}` — 204. */
  delete$(member: MemberKey): MxObservable<void>;
  /** `POST …/members/{member}/aggregate` — start a standard aggregation (202). The include flags are sent in v20111101 only. */
  aggregate$(member: MemberKey, options?: AggregateOptions): MxObservable<Member>;
  /** `PUT …/members/{member}/resume` — answer MFA challenges (202). Answers never appear in errors. */
  resume$(member: MemberKey, answers: ReadonlyArray<ChallengeAnswer>): MxObservable<Member>;
  /**
   * `GET …/members/{member}/oauth_window_uri` — a fresh, one-time OAuth window for an OAuth member (open it in a
   * new browser window, or the system browser; never a webview). Both versions have it.
   *
   * @example
   * ```ts
   * import * as E from 'fp-ts/lib/Either.js';
   * import type { MxClient } from 'mx-statements-rx';
   * declare const client: MxClient;
   * client.members.oauthWindow$({ userGuid: 'USR-1', memberGuid: 'MBR-1' }).subscribe((r) => {
   *   if (E.isRight(r)) console.log('open', r.right.oauth_window_uri);
   * });
   * ```
   */
  oauthWindow$(member: MemberKey, options?: OAuthWindowOptions): MxObservable<OAuthWindow>;
}

const callbackHeaders = (o?: CallbackOptions): Pick<ApiRequest, 'headers'> =>
  o?.callbackPayload !== undefined ? { headers: { 'X-CALLBACK-PAYLOAD': o.callbackPayload } } : {};

const credentialValues = (fields: { credentials?: ReadonlyArray<{ value: string }> | null }): string[] =>
  (fields.credentials ?? []).map((c) => c.value);

/** Binds the member endpoints to a transport speaking `version`. */
export const membersApi = (http: Transport, version: MxApiVersion): MembersApi => {
  // Paths are built at subscription: a key the version cannot address fails there, on the error channel.
  const member$ = (req: () => ApiRequest) => defer(() => http.json$(req(), MemberResponseBody)).pipe(map(Ei.map((b) => b.member)));
  const path = (key: MemberKey) => memberPath(key, version);
  const list$ = (user: UserKey, q?: PageQuery) =>
    defer(() => http.json$({ method: 'GET', path: withQuery(`${userPath(user, version)}/members`, pageParams(q)) }, MembersResponseBody))
      .pipe(map(Ei.map((b) => toPage(b.members, b.pagination))));
  return {
    create$: (user, fields, o) =>
      member$(() => ({
        method: 'POST',
        path: `${userPath(user, version)}/members`,
        body: memberCreateBody(fields, o?.extras, version),
        secrets: credentialValues(fields),
        ...callbackHeaders(o),
      })),
    read$: (key) => member$(() => ({ method: 'GET', path: path(key) })),
    status$: (key) =>
      defer(() => http.json$({ method: 'GET', path: `${path(key)}/status` }, MemberStatusResponseBody)).pipe(map(Ei.map((b) => b.member))),
    list$,
    all$: (user) => allPages((page) => list$(user, { page, recordsPerPage: 1000 })),
    update$: (key, fields, o) =>
      member$(() => ({
        method: 'PUT', path: path(key), body: memberUpdateBody(fields, version), secrets: credentialValues(fields), ...callbackHeaders(o),
      })),
    delete$: (key) => defer(() => http.empty$({ method: 'DELETE', path: path(key) })).pipe(map(Ei.map(() => undefined))),
    aggregate$: (key, o) =>
      member$(() => ({
        method: 'POST',
        path: version === 'v20250224'
          ? `${path(key)}/aggregate`
          : withQuery(`${path(key)}/aggregate`, { include_holdings: o?.includeHoldings, include_transactions: o?.includeTransactions }),
        ...callbackHeaders(o),
      })),
    resume$: (key, answers) =>
      member$(() => ({ method: 'PUT', path: `${path(key)}/resume`, body: memberResumeBody(answers), secrets: answers.map((a) => a.value) })),
    oauthWindow$: (key, o) =>
      defer(() => http.json$(
        {
          method: 'GET',
          path: withQuery(`${path(key)}/oauth_window_uri`, {
            client_redirect_url: o?.clientRedirectUrl,
            enable_app2app: o?.enableApp2app,
            referral_source: o?.referralSource,
            skip_aggregation: o?.skipAggregation,
            ui_message_webview_url_scheme: o?.uiMessageWebviewUrlScheme,
          }),
        },
        OAuthWindowResponseBody,
      )).pipe(map(Ei.map((b) => b.member))),
  };
};

/**
 * OAuth members (`mx_bank_oauth`): `GET …/members/{m}/oauth_window_uri` hands out a fresh one-time link (both
 * versions; query `client_redirect_url`, `referral_source`, `skip_aggregation`, `enable_app2app`,
 * `ui_message_webview_url_scheme`), and the link is a page a person can use: `GET /oauth/window/{token}` names the
 * institution with Authorize, Deny and Cancel buttons in a plain form; issuing a link for a member that is not
 * connected puts it PENDING until its person finishes (as MX does); `POST` applies the decision (authorize → a job
 * starts unless `skip_aggregation` was asked, then CONNECTED; deny → DENIED; cancel → the member stays as it was,
 * as when a person leaves MX's window) and then 303-redirects to
 * `client_redirect_url` with `status`, `member_guid` (and `error_reason`) in the query, or shows a page saying the
 * window can be closed, which posts MX's `oauthComplete/success|error` window message to `window.opener`.
 *
 * @module
 */
import type { RouteRequest, RouteResult, SandboxContext } from '../context.js';
import { json } from '../context.js';
import { errors } from '../http-error.js';
import { completePage, consentPage, errorPage, type OAuthOutcome } from '../oauth/pages.js';
import { OAUTH_WINDOW_PATH, type OAuthWindow } from '../oauth/windows.js';
import { jobSpecForProducts } from '../products.js';
import type { Route } from '../router.js';
import type { MemberRecord } from '../state.js';
import { oauthWindowQuery } from './member-input.js';
import { memberOf } from './refs.js';
import { STATUS_MESSAGES } from '../passwords.js';

const html = (status: number, page: string): RouteResult => ({ type: 'html', status, html: page });

/** The window's member, or an error page (unknown, spent or replaced link; deleted member). */
const openWindow = (ctx: SandboxContext, req: RouteRequest): { window: OAuthWindow; member: MemberRecord } | RouteResult => {
  const window = ctx.oauth.find(req.params.token ?? '');
  if (!window) return html(404, errorPage('Unknown authorization link', 'This link is not valid. Ask the app that sent you here for a new one.'));
  if (window.state === 'used') {
    return html(410, errorPage('This link was already used', 'Each authorization link works once. Ask the app that sent you here for a new one if you still need to connect.'));
  }
  if (window.state === 'replaced') {
    return html(410, errorPage('This link has expired', 'A newer authorization link was made for this connection. Use the newest one, or ask the app for a new one.'));
  }
  const member = ctx.state.findMember(window.userGuid, window.memberGuid);
  if (!member) return html(404, errorPage('This connection no longer exists', 'The app removed this connection. You can close this window.'));
  return { window, member };
};

const isPage = (v: { window: OAuthWindow; member: MemberRecord } | RouteResult): v is RouteResult => 'type' in v;

/** Applies an authorization: the member moves on as MX's does. */
const authorize = (ctx: SandboxContext, member: MemberRecord, window: OAuthWindow): void => {
  member.oauthAuthorized = true;
  if (window.skipAggregation || member.skipAggregationOnAuthorize) {
    if (ctx.jobs.active(member)) return;
    member.isAuthenticated = true;
    ctx.jobs.setStatus(member, 'CONNECTED', `Connected to ${member.institution.name}`);
    return;
  }
  if (ctx.jobs.active(member)) return; // already aggregating (a re-authorization): it goes on
  ctx.jobs.request(member, jobSpecForProducts(member.products), 'oauth');
};

/**
 * A window issued for a member its person must (again) authorize puts it PENDING until they finish, as MX does
 * (a DENIED, EXPIRED, … member too); a connected member keeps its state while a new consent is asked.
 */
const awaitPerson = (ctx: SandboxContext, member: MemberRecord): void => {
  if (ctx.jobs.active(member) || (member.oauthAuthorized && member.connectionStatus === 'CONNECTED')) return;
  member.oauthAuthorized = false;
  member.isAuthenticated = false;
  ctx.jobs.setStatus(member, 'PENDING', STATUS_MESSAGES.PENDING ?? 'PENDING');
};

const deny = (ctx: SandboxContext, member: MemberRecord): void => {
  if (ctx.jobs.active(member)) ctx.jobs.cancel(member);
  member.oauthAuthorized = false;
  member.isAuthenticated = false;
  ctx.jobs.setStatus(member, 'DENIED', 'The user denied access at the institution');
};

const redirectTo = (target: string, member: MemberRecord, outcome: OAuthOutcome): RouteResult => {
  const url = new URL(target);
  url.searchParams.set('status', outcome.ok ? 'success' : 'error');
  url.searchParams.set('member_guid', member.guid);
  if (!outcome.ok) url.searchParams.set('error_reason', outcome.reason);
  return { type: 'redirect', status: 303, location: url.href };
};

/**
 * The OAuth routes.
 *
 * @example
 * ```ts
 * import { Router } from '../router.js';
 * import { OAUTH_ROUTES } from './oauth.js';
 *
 * const router = new Router([...OAUTH_ROUTES]);
 * ```
 */
export const OAUTH_ROUTES: ReadonlyArray<Route> = [
  {
    method: 'GET',
    path: '/users/:user_guid/members/:member_guid/oauth_window_uri',
    operationId: 'requestOAuthWindowURI',
    produces: 'json',
    body: 'none',
    handle: (ctx, req) => {
      const member = memberOf(ctx, req);
      if (!member.isOauth) throw errors.badRequest(`member ${member.guid} is not an OAuth member (is_oauth false): it connects with credentials`);
      const query = oauthWindowQuery(req.query);
      const uri = ctx.oauth.issue(member, query);
      awaitPerson(ctx, member);
      return json(200, { member: { guid: member.guid, oauth_window_uri: uri } });
    },
  },
  {
    method: 'GET',
    path: `${OAUTH_WINDOW_PATH}/:token`,
    operationId: 'sandboxOAuthWindow',
    produces: 'html',
    body: 'none',
    public: true,
    handle: (ctx, req) => {
      const opened = openWindow(ctx, req);
      if (isPage(opened)) return opened;
      return html(200, consentPage({ institutionName: opened.member.institution.name, action: req.path, token: opened.window.token }));
    },
  },
  {
    method: 'POST',
    path: `${OAUTH_WINDOW_PATH}/:token`,
    operationId: 'sandboxOAuthDecision',
    produces: 'html',
    body: 'form',
    public: true,
    handle: (ctx, req) => {
      const opened = openWindow(ctx, req);
      if (isPage(opened)) return opened;
      const { window, member } = opened;
      const decision = req.form?.get('decision');
      // The one-time token in the URL is what makes the post legitimate; the form repeats it.
      if (req.form?.get('token') !== window.token || (decision !== 'authorize' && decision !== 'deny' && decision !== 'cancel')) {
        return html(400, errorPage('Something went wrong', 'Please use the Authorize, Deny or Cancel button on the authorization page.'));
      }
      ctx.oauth.spend(window);
      const outcome: OAuthOutcome = decision === 'authorize' ? { ok: true } : { ok: false, reason: decision === 'deny' ? 'DENIED' : 'CANCELLED' };
      if (outcome.ok) authorize(ctx, member, window);
      else if (outcome.reason === 'DENIED') deny(ctx, member);
      // cancelled: the member is left as it was (PENDING), as MX leaves one whose person walked away
      ctx.oauth.completed({ memberGuid: member.guid, ...(outcome.ok ? { status: 'success' } : { status: 'error', errorReason: outcome.reason }) });
      if (window.clientRedirectUrl !== undefined) return redirectTo(window.clientRedirectUrl, member, outcome);
      return html(200, completePage({ institutionName: member.institution.name, memberGuid: member.guid, outcome }));
    },
  },
];

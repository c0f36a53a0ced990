/**
 * Jobs on a member: status, standard aggregation, statements, MFA challenges and resume.
 *
 * A job of the same kind accepted or running → 202, joined (no new job); a job of another kind → 409; a job of the
 * same kind succeeded less than `tooSoonMs` ago → 202, "too soon", nothing started. Every 202 shows the member as
 * it is, so right after a start it still shows the previous state (`jobStartDelayMs`). The sandbox-only header
 * `X-MX-Sandbox-Job: started | joined | too-soon` says which (real MX sends nothing of the kind). Statements on an
 * institution without statement support → 400. Resume on a member that is not CHALLENGED → 405.
 *
 * @module
 */
import { empty, json, type RouteResult, type SandboxContext } from '../context.js';
import { errors } from '../http-error.js';
import { paginate } from '../pagination.js';
import type { Route } from '../router.js';
import { challengeJson, memberStatusJson } from '../serialize.js';
import type { JobKind, MemberRecord } from '../state.js';
import { guidValues, optionalArray, queryBoolean, wrapped } from '../validate.js';
import { checkCallbackPayload } from './member-input.js';
import { memberBody } from './members.js';
import { memberOf } from './refs.js';

/** The sandbox-only header that says what a job request did. */
export const SANDBOX_JOB_HEADER = 'X-MX-Sandbox-Job';

const startOrJoin = (ctx: SandboxContext, member: MemberRecord, kind: JobKind): RouteResult => {
  if (member.isOauth && !member.oauthAuthorized) {
    throw errors.badRequest('the member has not been authorized yet: open its oauth_window_uri first');
  }
  const outcome = ctx.jobs.request(member, { kind }, 'api');
  return json(202, memberBody(ctx, member), { [SANDBOX_JOB_HEADER]: outcome });
};

const resume = (ctx: SandboxContext, member: MemberRecord, body: unknown) => {
  const items = optionalArray(wrapped(body, 'member'), 'challenges', 'member', 20);
  if (items === undefined || items.length === 0) throw errors.badRequest('member.challenges must be a non-empty array of { guid, value }');
  const answers = guidValues(items, 'member.challenges');
  if (member.connectionStatus !== 'CHALLENGED' || !member.job?.running) {
    throw errors.methodNotAllowed(`member ${member.guid} is not CHALLENGED (connection_status ${member.connectionStatus}); nothing to resume`);
  }
  for (const guid of answers.keys()) {
    if (!member.challenges.some((c) => c.guid === guid)) throw errors.badRequest(`${guid} is not one of the member's current challenges`);
  }
  for (const c of member.challenges) {
    if (!answers.has(c.guid)) throw errors.badRequest(`no answer for challenge ${c.guid}`);
  }
  ctx.jobs.resume(member, answers);
  return json(202, memberBody(ctx, member));
};

/**
 * The job routes.
 *
 * @example
 * ```ts
 * import { Router } from '../router.js';
 * import { JOB_ROUTES } from './jobs.js';
 *
 * const router = new Router([...JOB_ROUTES]);
 * ```
 */
export const JOB_ROUTES: ReadonlyArray<Route> = [
  {
    method: 'GET',
    path: '/users/:user_guid/members/:member_guid/status',
    operationId: 'readMemberStatus',
    produces: 'json',
    body: 'none',
    handle: (ctx, req) => json(200, { member: memberStatusJson(memberOf(ctx, req)) }),
  },
  {
    method: 'POST',
    path: '/users/:user_guid/members/:member_guid/aggregate',
    operationId: 'aggregateMember',
    produces: 'json',
    body: 'none',
    handle: (ctx, req) => {
      checkCallbackPayload(req.headers['x-callback-payload']);
      queryBoolean(req.query, 'include_holdings');
      queryBoolean(req.query, 'include_transactions');
      return startOrJoin(ctx, memberOf(ctx, req), 'aggregate');
    },
  },
  {
    method: 'POST',
    path: '/users/:user_guid/members/:member_guid/fetch_statements',
    operationId: 'fetchStatements',
    produces: 'json',
    body: 'none',
    handle: (ctx, req) => {
      const member = memberOf(ctx, req);
      if (!member.institution.supportsAccountStatement) {
        throw errors.badRequest(`institution ${member.institution.code} does not support statements`);
      }
      return startOrJoin(ctx, member, 'statements');
    },
  },
  {
    method: 'GET',
    path: '/users/:user_guid/members/:member_guid/challenges',
    operationId: 'listMemberChallenges',
    produces: 'json',
    body: 'none',
    handle: (ctx, req) => {
      const member = memberOf(ctx, req);
      if (member.connectionStatus !== 'CHALLENGED') return empty(204);
      const page = paginate(member.challenges, req.query, 1000);
      return json(200, { challenges: page.items.map(challengeJson), pagination: page.pagination });
    },
  },
  {
    method: 'PUT',
    path: '/users/:user_guid/members/:member_guid/resume',
    operationId: 'resumeAggregation',
    produces: 'json',
    body: 'required',
    handle: (ctx, req) => resume(ctx, memberOf(ctx, req), req.body),
  },
];

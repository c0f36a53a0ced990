/**
 * Members: create (409 on a duplicate or a reused `id`; 202 with a standard aggregation, 200 with
 * `skip_aggregation`), list, read, update (new credentials start an aggregation), delete.
 *
 * @module
 */
import { empty, json, type SandboxContext } from '../context.js';
import { errors } from '../http-error.js';
import { findInstitution } from '../institutions-catalog.js';
import { paginate } from '../pagination.js';
import { STATUS_MESSAGES } from '../passwords.js';
import type { Route } from '../router.js';
import { memberJson } from '../serialize.js';
import type { MemberRecord } from '../state.js';
import { optionalBoolean, requiredString, wrapped, type JsonObject } from '../validate.js';
import { checkCallbackPayload, checkCreateExtras, memberFields } from './member-input.js';

/**
 * The member as `{ member }` JSON, with its OAuth window on this sandbox when it is an OAuth member.
 *
 * @example
 * ```ts
 * import { json, type RouteResult, type SandboxContext } from '../context.js';
 * import type { MemberRecord } from '../state.js';
 * import { memberBody } from './members.js';
 *
 * const memberResult = (ctx: SandboxContext, member: MemberRecord): RouteResult => json(200, memberBody(ctx, member));
 * ```
 */
export function memberBody(ctx: SandboxContext, m: MemberRecord): { member: Record<string, unknown> } {
  const uri = m.isOauth ? `${ctx.baseUrl()}/oauth/authorize/${m.userGuid}/${m.guid}` : null;
  return { member: memberJson(m, ctx.state.user(m.userGuid), uri) };
}

const createMember = (ctx: SandboxContext, userGuid: string, body: unknown, callback: string | string[] | undefined) => {
  checkCallbackPayload(callback);
  const user = ctx.state.user(userGuid);
  const m = wrapped(body, 'member');
  checkCreateExtras(body as JsonObject);
  const code = requiredString(m, 'institution_code', 'member');
  if (m.credentials === undefined || m.credentials === null) throw errors.badRequest('member.credentials is required');
  const institution = findInstitution(code);
  if (!institution) throw errors.notFound(`institution ${code} not found`);
  const fields = memberFields(m, institution);
  const isOauth = optionalBoolean(m, 'is_oauth', 'member') === true || institution.credentials.length === 0;
  if (isOauth && !institution.supportsOauth) throw errors.badRequest(`institution ${code} does not support OAuth`);
  const credentials = fields.credentials ?? new Map<string, string>();
  if (!isOauth && credentials.size === 0) throw errors.badRequest('member.credentials must not be empty');
  ctx.state.checkNewMember(user, fields.id ?? null, code, credentials);
  const status = isOauth ? 'PENDING' : 'CREATED';
  const member: MemberRecord = {
    guid: ctx.ids.next('MBR'),
    userGuid: user.guid,
    institution,
    id: fields.id ?? null,
    metadata: fields.metadata ?? null,
    credentials,
    backgroundAggregationIsDisabled: fields.backgroundAggregationIsDisabled ?? false,
    isOauth,
    oauthAuthorized: false,
    useCases: fields.useCases ?? [],
    connectionStatus: status,
    connectionStatusMessage: STATUS_MESSAGES[status] ?? status,
    isBeingAggregated: false,
    isAuthenticated: false,
    aggregatedAt: null,
    successfullyAggregatedAt: null,
    credentialsChanged: false,
    job: null,
    challenges: [],
    statementsAvailable: false,
  };
  ctx.state.addMember(user, member);
  if (isOauth || fields.skipAggregation === true) return json(200, memberBody(ctx, member));
  ctx.jobs.start(member, 'aggregate');
  return json(202, memberBody(ctx, member));
};

const updateMember = (ctx: SandboxContext, userGuid: string, memberGuid: string, body: unknown) => {
  const member = ctx.state.member(userGuid, memberGuid);
  const fields = memberFields(wrapped(body, 'member'), member.institution);
  if (fields.id !== undefined && fields.id !== member.id) {
    for (const other of ctx.state.user(userGuid).members.values()) {
      if (other !== member && other.id === fields.id) throw errors.conflict(`a member with id "${fields.id}" already exists for this user`);
    }
    member.id = fields.id;
  }
  if (fields.metadata !== undefined) member.metadata = fields.metadata;
  if (fields.backgroundAggregationIsDisabled !== undefined) member.backgroundAggregationIsDisabled = fields.backgroundAggregationIsDisabled;
  if (fields.useCases !== undefined) member.useCases = fields.useCases;
  if (fields.credentials !== undefined && fields.credentials.size > 0) {
    member.credentials = new Map([...member.credentials, ...fields.credentials]);
    member.credentialsChanged = true;
    if (fields.skipAggregation !== true && !member.job?.running && !member.isOauth) ctx.jobs.start(member, 'aggregate');
  }
  return json(200, memberBody(ctx, member));
};

/**
 * The member routes.
 *
 * @example
 * ```ts
 * import { Router } from '../router.js';
 * import { MEMBER_ROUTES } from './members.js';
 *
 * const router = new Router([...MEMBER_ROUTES]);
 * ```
 */
export const MEMBER_ROUTES: ReadonlyArray<Route> = [
  {
    method: 'POST',
    path: '/users/:user_guid/members',
    operationId: 'createMember',
    produces: 'json',
    body: 'required',
    handle: (ctx, req) => createMember(ctx, req.params.user_guid ?? '', req.body, req.headers['x-callback-payload']),
  },
  {
    method: 'GET',
    path: '/users/:user_guid/members',
    operationId: 'listMembers',
    produces: 'json',
    body: 'none',
    handle: (ctx, req) => {
      const useCase = req.query.get('use_case');
      const members = [...ctx.state.user(req.params.user_guid ?? '').members.values()].filter(
        (m) => useCase === null || m.useCases.includes(useCase),
      );
      const page = paginate(members, req.query, 1000);
      return json(200, { members: page.items.map((m) => memberBody(ctx, m).member), pagination: page.pagination });
    },
  },
  {
    method: 'GET',
    path: '/users/:user_guid/members/:member_guid',
    operationId: 'readMember',
    produces: 'json',
    body: 'none',
    handle: (ctx, req) => json(200, memberBody(ctx, ctx.state.member(req.params.user_guid ?? '', req.params.member_guid ?? ''))),
  },
  {
    method: 'PUT',
    path: '/users/:user_guid/members/:member_guid',
    operationId: 'updateMember',
    produces: 'json',
    body: 'required',
    handle: (ctx, req) => {
      checkCallbackPayload(req.headers['x-callback-payload']);
      return updateMember(ctx, req.params.user_guid ?? '', req.params.member_guid ?? '', req.body);
    },
  },
  {
    method: 'DELETE',
    path: '/users/:user_guid/members/:member_guid',
    operationId: 'deleteMember',
    produces: 'json',
    body: 'none',
    handle: (ctx, req) => {
      ctx.jobs.cancel(ctx.state.deleteMember(req.params.user_guid ?? '', req.params.member_guid ?? ''));
      return empty(204);
    },
  },
];

/**
 * Members: create (409 on a duplicate or a reused `id`; 202 when a job was accepted, 200 otherwise), list, read,
 * update (new credentials start an aggregation), delete.
 *
 * Creation by version: v20111101 takes `member.skip_aggregation` (200, no job) and otherwise starts a standard
 * aggregation; v20250224 refuses `skip_aggregation` and takes `data_request: { products }` (products required when
 * `data_request` is sent): with `statements` among them the first job is a statements job (so a later
 * `fetch_statements` joins it: 202), otherwise a standard aggregation (a later `fetch_statements` meanwhile: 409).
 * An OAuth member starts nothing until authorized through its `oauth_window_uri` (carried by the create answer).
 *
 * @module
 */
import { empty, json, type RouteRequest, type SandboxContext } from '../context.js';
import { errors } from '../http-error.js';
import { findInstitution } from '../institutions-catalog.js';
import { paginate } from '../pagination.js';
import { STATUS_MESSAGES } from '../passwords.js';
import { dataRequestProducts, jobSpecForProducts } from '../products.js';
import type { Route } from '../router.js';
import { memberJson } from '../serialize.js';
import { newMemberRecord, type MemberRecord } from '../state.js';
import { optionalBoolean, requiredString, wrapped, type JsonObject } from '../validate.js';
import { checkCallbackPayload, checkCreateExtras, memberFields } from './member-input.js';
import { memberOf, userOf } from './refs.js';

/**
 * The member as `{ member }` JSON, with its open OAuth window link (if any) as `oauth_window_uri`.
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
  return { member: memberJson(m, ctx.state.user(m.userGuid), m.isOauth ? ctx.oauth.current(m) : null) };
}

const createMember = (ctx: SandboxContext, req: RouteRequest) => {
  checkCallbackPayload(req.headers['x-callback-payload']);
  const user = userOf(ctx, req);
  const m = wrapped(req.body, 'member');
  const body = req.body as JsonObject;
  const extras = checkCreateExtras(body);
  if (req.version === 'v20111101' && body.data_request !== undefined) {
    throw errors.badRequest('data_request is part of v20250224 (send Accept-Version: v20250224); v20111101 uses member.skip_aggregation');
  }
  const code = requiredString(m, 'institution_code', 'member');
  if (m.credentials === undefined || m.credentials === null) throw errors.badRequest('member.credentials is required');
  const institution = findInstitution(code);
  if (!institution) throw errors.notFound(`institution ${code} not found`);
  const fields = memberFields(m, institution, req.version);
  const products = req.version === 'v20250224' ? dataRequestProducts(body.data_request, institution) : undefined;
  const isOauth = optionalBoolean(m, 'is_oauth', 'member') === true || institution.credentials.length === 0;
  if (isOauth && !institution.supportsOauth) throw errors.badRequest(`institution ${code} does not support OAuth`);
  const credentials = fields.credentials ?? new Map<string, string>();
  if (isOauth && credentials.size > 0) throw errors.badRequest('an OAuth member is created without credentials (credentials: [])');
  if (!isOauth && credentials.size === 0) throw errors.badRequest('member.credentials must not be empty');
  ctx.state.checkNewMember(user, fields.id ?? null, code, credentials);
  const status = isOauth ? 'PENDING' : 'CREATED';
  const member: MemberRecord = {
    ...newMemberRecord({
      guid: ctx.ids.next('MBR'),
      userGuid: user.guid,
      institution,
      status,
      message: STATUS_MESSAGES[status] ?? status,
      isOauth,
    }),
    id: fields.id ?? null,
    metadata: fields.metadata ?? null,
    credentials,
    backgroundAggregationIsDisabled: fields.backgroundAggregationIsDisabled ?? false,
    useCases: fields.useCases ?? [],
    products: products ?? null,
    skipAggregationOnAuthorize: isOauth && fields.skipAggregation === true,
  };
  ctx.state.addMember(user, member);
  if (isOauth) {
    ctx.oauth.issue(member, { ...extras, skipAggregation: member.skipAggregationOnAuthorize });
    return json(200, memberBody(ctx, member));
  }
  if (fields.skipAggregation === true) return json(200, memberBody(ctx, member));
  ctx.jobs.request(member, jobSpecForProducts(products), 'create');
  return json(202, memberBody(ctx, member));
};

const updateMember = (ctx: SandboxContext, req: RouteRequest) => {
  const member = memberOf(ctx, req);
  const fields = memberFields(wrapped(req.body, 'member'), member.institution, req.version);
  if (fields.id !== undefined && fields.id !== member.id) {
    for (const other of ctx.state.user(member.userGuid).members.values()) {
      if (other !== member && other.id === fields.id) throw errors.conflict(`a member with id "${fields.id}" already exists for this user`);
    }
    member.id = fields.id;
  }
  if (fields.metadata !== undefined) member.metadata = fields.metadata;
  if (fields.backgroundAggregationIsDisabled !== undefined) member.backgroundAggregationIsDisabled = fields.backgroundAggregationIsDisabled;
  if (fields.useCases !== undefined) member.useCases = fields.useCases;
  if (fields.credentials !== undefined && fields.credentials.size > 0) {
    if (member.isOauth) throw errors.badRequest('an OAuth member has no credentials to update: request a new oauth_window_uri');
    member.credentials = new Map([...member.credentials, ...fields.credentials]);
    member.credentialsChanged = true;
    if (fields.skipAggregation !== true && !ctx.jobs.active(member)) ctx.jobs.request(member, { kind: 'aggregate' }, 'credentials');
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
    handle: createMember,
  },
  {
    method: 'GET',
    path: '/users/:user_guid/members',
    operationId: 'listMembers',
    produces: 'json',
    body: 'none',
    handle: (ctx, req) => {
      const useCase = req.query.get('use_case');
      const members = [...userOf(ctx, req).members.values()].filter((m) => useCase === null || m.useCases.includes(useCase));
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
    handle: (ctx, req) => json(200, memberBody(ctx, memberOf(ctx, req))),
  },
  {
    method: 'PUT',
    path: '/users/:user_guid/members/:member_guid',
    operationId: 'updateMember',
    produces: 'json',
    body: 'required',
    handle: (ctx, req) => {
      checkCallbackPayload(req.headers['x-callback-payload']);
      return updateMember(ctx, req);
    },
  },
  {
    method: 'DELETE',
    path: '/users/:user_guid/members/:member_guid',
    operationId: 'deleteMember',
    produces: 'json',
    body: 'none',
    handle: (ctx, req) => {
      const member = memberOf(ctx, req);
      ctx.jobs.cancel(ctx.state.deleteMember(member.userGuid, member.guid));
      ctx.oauth.forget(member.guid);
      return empty(204);
    },
  },
];

/**
 * Resolving the user and member of a path: by MX's guid in v20111101; in v20250224 the user- and member-scoped
 * paths take `user_identifier` / `member_identifier`, i.e. your own `id` or MX's guid. Statement paths take guids
 * in both versions.
 *
 * @module
 */
import type { RouteRequest, SandboxContext } from '../context.js';
import type { MemberRecord, UserRecord } from '../state.js';

/**
 * The user of `:user_guid` (an identifier in v20250224); 404 when unknown.
 *
 * @example
 * ```ts
 * import type { RouteRequest, SandboxContext } from '../context.js';
 * import { userOf } from './refs.js';
 * declare const ctx: SandboxContext;
 * declare const req: RouteRequest;
 *
 * userOf(ctx, req).guid; // 'USR-…', also when req.params.user_guid was the user's own id (v20250224)
 * ```
 */
export function userOf(ctx: SandboxContext, req: RouteRequest): UserRecord {
  const ref = req.params.user_guid ?? '';
  return req.version === 'v20250224' ? ctx.state.userByIdentifier(ref) : ctx.state.user(ref);
}

/**
 * The member of `:user_guid/members/:member_guid` (identifiers in v20250224); 404 when either is unknown.
 *
 * @example
 * ```ts
 * import type { RouteRequest, SandboxContext } from '../context.js';
 * import { memberOf } from './refs.js';
 * declare const ctx: SandboxContext;
 * declare const req: RouteRequest;
 *
 * memberOf(ctx, req).guid; // 'MBR-…'
 * ```
 */
export function memberOf(ctx: SandboxContext, req: RouteRequest): MemberRecord {
  const ref = req.params.member_guid ?? '';
  if (req.version !== 'v20250224') return ctx.state.member(req.params.user_guid ?? '', ref);
  return ctx.state.memberByIdentifier(userOf(ctx, req), ref);
}

/**
 * The member of a statement path: guids only, in both versions.
 *
 * @example
 * ```ts
 * import type { RouteRequest, SandboxContext } from '../context.js';
 * import { memberByGuids } from './refs.js';
 * declare const ctx: SandboxContext;
 * declare const req: RouteRequest;
 *
 * memberByGuids(ctx, req); // 404 for a member id, even in v20250224
 * ```
 */
export function memberByGuids(ctx: SandboxContext, req: RouteRequest): MemberRecord {
  return ctx.state.member(req.params.user_guid ?? '', req.params.member_guid ?? '');
}

/**
 * Step 4: the member — created (credentials, or `is_oauth` with none), or the user's existing member for the
 * institution: after a 409 (`onConflict: 'reuse'`, the default), or, for an OAuth institution and a user that
 * already existed, found by listing the user's members first, so an authorized member needs no new window.
 *
 * Created as each version wants it: v20111101 with `skip_aggregation: true` (the statements job is started
 * next, so no other job gets in its way); v20250224 with `data_request: { products: ['statements'] }` (it has no
 * `skip_aggregation`; the job that creation starts is joined by the next step).
 *
 * @module
 */
import {
  catchError, concatMap, defaultIfEmpty, defer, filter, map, of, take, throwError, throwIfEmpty, type Observable,
} from 'rxjs';
import type { MemberRef } from '../api/refs.js';
import type { CredentialRequest, Member, MemberCreateFields } from '../codecs/index.js';
import { errorOf, unwrap } from './either.js';
import type { MemberReadyEvent } from './events.js';
import type { WorkflowContext } from './input.js';
import { retryStep } from './retry-step.js';
import type { ResolvedUser } from './user.js';

/** How the member signs in at the institution. */
export type MemberAccess =
  | { readonly kind: 'credentials'; readonly credentials: ReadonlyArray<CredentialRequest> }
  | { readonly kind: 'oauth' };

/** The member a run works on. */
export interface ReadyMember {
  readonly event: MemberReadyEvent;
  readonly ref: MemberRef;
  /** The member as MX last showed it (the create answer, or the user's member list). */
  readonly member: Member;
  /** An OAuth member whose person must authorize (again) before a job can run. */
  readonly needsAuthorization: boolean;
  /**
   * An OAuth member this run created with `data_request: { products: ['statements'] }` (v20250224): the job its
   * authorization starts is the statements job.
   */
  readonly statementsOnAuthorize: boolean;
}

/** Statuses of an OAuth member that only its person can move on, through a new OAuth window. */
const AUTHORIZE_AGAIN: ReadonlySet<string> = new Set(['PENDING', 'CREATED', 'DENIED', 'EXPIRED', 'IMPAIRED', 'IMPEDED', 'REJECTED', 'PREVENTED']);

/**
 * Whether an OAuth member needs its person (a window) before a job can run: never authorized (PENDING,
 * CREATED), or authorization lost (DENIED, EXPIRED, IMPAIRED, IMPEDED, REJECTED, PREVENTED).
 *
 * @example
 * ```ts
 * import { needsAuthorization } from './member.js';
 * needsAuthorization({ guid: 'MBR-1', is_oauth: true, connection_status: 'CONNECTED' }); // false
 * needsAuthorization({ guid: 'MBR-1', is_oauth: true, connection_status: 'PENDING' });   // true
 * ```
 */
export const needsAuthorization = (m: Member): boolean =>
  typeof m.connection_status === 'string' ? AUTHORIZE_AGAIN.has(m.connection_status) : !m.successfully_aggregated_at;

/** Emits one {@link ReadyMember}. */
export const createOrReuseMember$ = (
  ctx: WorkflowContext,
  user: ResolvedUser,
  institutionCode: string,
  access: MemberAccess,
  onConflict: 'reuse' | 'fail',
): Observable<ReadyMember> =>
  defer(() => {
    if (onConflict !== 'reuse' && onConflict !== 'fail') throw new TypeError("onConflict: must be 'reuse' or 'fail'");
    const { members } = ctx.client;
    const v2025 = ctx.client.config.apiVersion === 'v20250224';
    const oauth = access.kind === 'oauth';
    const fields: MemberCreateFields = oauth
      ? { institution_code: institutionCode, credentials: [], is_oauth: true }
      : { institution_code: institutionCode, credentials: access.credentials, ...(v2025 ? {} : { skip_aggregation: true }) };

    const ready$ = (m: Member, reused: boolean): Observable<ReadyMember> =>
      userGuidOf$(ctx, user, m).pipe(map((userGuid): ReadyMember => ({
        event: { type: 'member-ready', userGuid, memberGuid: m.guid, institutionCode, reused },
        ref: { userGuid, memberGuid: m.guid },
        member: m,
        needsAuthorization: oauth && (!reused || needsAuthorization(m)),
        statementsOnAuthorize: oauth && !reused && v2025,
      })));

    // The user's member at this institution (MX does not say which one a 409 clashed with: the first one).
    const existing$ = defer(() => members.all$(user.key)).pipe(
      unwrap(),
      filter((m) => m.institution_code === institutionCode),
      take(1),
    );
    const created$ = defer(() => members.create$(user.key, fields, v2025 ? { extras: { data_request: { products: ['statements'] } } } : {})).pipe(
      unwrap(),
      retryStep(ctx),
      concatMap((m) => ready$(m, false)),
      catchError((err: unknown) =>
        errorOf(err)?._tag === 'Conflict' && onConflict === 'reuse'
          ? existing$.pipe(throwIfEmpty(() => err), concatMap((m) => ready$(m, true)))
          : throwError(() => err)),
    );
    // An OAuth member has no credentials to clash on: look for the user's member first (a new user has none).
    if (!oauth || user.event.created || onConflict === 'fail') return created$;
    return existing$.pipe(
      map((m) => ready$(m, true)),
      defaultIfEmpty(created$),
      concatMap((next) => next),
    );
  });

/** The user's guid: from the member answer, the key, or (v20250224 by id, a slim answer) one read of the user. */
const userGuidOf$ = (ctx: WorkflowContext, user: ResolvedUser, m: Member): Observable<string> => {
  if (typeof m.user_guid === 'string' && m.user_guid !== '') return of(m.user_guid);
  if ('userGuid' in user.key) return of(user.key.userGuid);
  return ctx.client.users.read$(user.key).pipe(unwrap(), map((u) => u.guid));
};

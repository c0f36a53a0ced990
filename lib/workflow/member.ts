/**
 * Step 4: the member — created with `skip_aggregation: true`; on 409, the user's member for that institution
 * is reused (`onConflict: 'reuse'`, the default) or the `Conflict` is returned (`'fail'`).
 *
 * @module
 */
import { catchError, defer, filter, map, take, throwError, throwIfEmpty, type Observable } from 'rxjs';
import type { CredentialRequest } from '../codecs/index.js';
import { errorOf, unwrap } from './either.js';
import type { MemberReadyEvent } from './events.js';
import type { WorkflowContext } from './input.js';
import { retryStep } from './retry-step.js';

/** Emits one `member-ready`. */
export const createOrReuseMember$ = (
  ctx: WorkflowContext,
  userGuid: string,
  institutionCode: string,
  credentials: ReadonlyArray<CredentialRequest>,
  onConflict: 'reuse' | 'fail',
): Observable<MemberReadyEvent> =>
  defer(() => {
    if (onConflict !== 'reuse' && onConflict !== 'fail') throw new TypeError("onConflict: must be 'reuse' or 'fail'");
    const { members } = ctx.client;
    const ready = (memberGuid: string, reused: boolean): MemberReadyEvent =>
      ({ type: 'member-ready', userGuid, memberGuid, institutionCode, reused });
    const created$ = defer(() =>
      members.create$({ userGuid }, { institution_code: institutionCode, credentials, skip_aggregation: true }),
    ).pipe(unwrap(), retryStep(ctx), map((m) => ready(m.guid, false)));
    // 409: the same user + institution + credentials exist already. Reuse that member (the first one of the
    // user at that institution; MX does not tell which one clashed).
    const existing$ = (conflict: unknown) =>
      members.all$({ userGuid }).pipe(
        unwrap(),
        filter((m) => m.institution_code === institutionCode),
        take(1),
        map((m) => ready(m.guid, true)),
        throwIfEmpty(() => conflict),
      );
    return created$.pipe(
      catchError((err: unknown) =>
        errorOf(err)?._tag === 'Conflict' && onConflict === 'reuse' ? existing$(err) : throwError(() => err)),
    );
  });

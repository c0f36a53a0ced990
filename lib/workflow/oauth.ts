/**
 * OAuth members (institutions with `supports_oauth`, such as `mx_bank_oauth`): a fresh one-time window for the
 * person, then the wait while they sign in at the bank (the member is PENDING: not a failure, with its own
 * deadline), until the authorization's own aggregation has ended.
 *
 * @module
 */
import { concatMap, concat, defer, filter, of, type Observable } from 'rxjs';
import { memberPath, type MemberRef } from '../api/refs.js';
import type { Member, MemberStatus } from '../codecs/index.js';
import type { DecodeError, MxError } from '../core/errors.js';
import { awaitJob$, type JobStep } from './await-job.js';
import { fail, unwrap } from './either.js';
import type { OAuthRequiredEvent, StatementEvent } from './events.js';
import type { WorkflowContext } from './input.js';
import { jobBaseline } from './job-evidence.js';
import type { AnswerQueue } from './mfa.js';
import { retryStep } from './retry-step.js';
import type { StatusPoller } from './status-poller.js';

/**
 * The window URL the person may open: `https:`, or `http:` on the client's own origin (the embedded sandbox
 * serving its own window). Anything else (`javascript:`, a plain-http host) is refused: the URL goes to a
 * browser or the system opener.
 *
 * @example
 * ```ts
 * import { isOpenableWindowUrl } from './oauth.js';
 * isOpenableWindowUrl('https://int-app.moneydesktop.com/oauth/x', 'https://int-api.mx.com'); // true
 * isOpenableWindowUrl('javascript:alert(1)', 'https://int-api.mx.com');                   // false
 * ```
 */
export const isOpenableWindowUrl = (url: string, baseUrl: string): boolean => {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || (u.protocol === 'http:' && u.origin === new URL(baseUrl).origin);
  } catch {
    return false;
  }
};

/** The `PollTimeout` of a member still PENDING when `oauth.pendingTimeoutMs` ran out. */
const pendingTimeout = (ref: MemberRef) => (last: MemberStatus | undefined, deadlineMs: number): MxError => ({
  _tag: 'PollTimeout',
  method: 'GET',
  path: `${memberPath(ref)}/status`,
  memberGuid: ref.memberGuid,
  deadlineMs,
  lastStatus: last?.connection_status ?? 'PENDING',
  message: `member ${ref.memberGuid} was not authorized within ${deadlineMs} ms ` +
    `(last status ${last?.connection_status ?? 'PENDING'}: the person has not finished the OAuth window)`,
});

const badWindow = (path: string): DecodeError => ({
  _tag: 'DecodeError',
  method: 'GET',
  path,
  errors: ['member.oauth_window_uri: expected an https URL'],
  message: `GET ${path}: MX gave no OAuth window URL that can be opened`,
});

/**
 * `GET …/oauth_window_uri` (fresh, one-time) → `oauth-required` → polls (`status`, MFA rounds if any) until
 * the authorization's aggregation has ended. The member as last seen is the baseline: only a change after the
 * window was issued counts, so a stale status never passes for the person's answer. Denied or cancelled →
 * `ConnectionFailed`; still PENDING after `oauth.pendingTimeoutMs` → `PollTimeout` (`lastStatus: 'PENDING'`).
 */
export const authorize$ = (
  ctx: WorkflowContext,
  ref: MemberRef,
  institutionCode: string,
  member: Member,
  poller: StatusPoller,
  answers: AnswerQueue | undefined,
): Observable<StatementEvent> => {
  const { clientRedirectUrl, referralSource, pendingTimeoutMs } = ctx.oauth;
  const window$ = defer(() => ctx.client.members.oauthWindow$(ref, {
    ...(clientRedirectUrl !== undefined ? { clientRedirectUrl } : {}),
    ...(referralSource !== undefined ? { referralSource } : {}),
  })).pipe(unwrap(), retryStep(ctx));
  return window$.pipe(
    concatMap((w) => {
      const url = w.oauth_window_uri;
      if (typeof url !== 'string' || !isOpenableWindowUrl(url, ctx.client.config.baseUrl)) {
        return fail(badWindow(`${memberPath(ref)}/oauth_window_uri`));
      }
      const event: OAuthRequiredEvent = { type: 'oauth-required', userGuid: ref.userGuid, memberGuid: ref.memberGuid, institutionCode, url };
      const authorized$ = awaitJob$(ctx, ref, poller, answers, {
        baseline: jobBaseline(member, ctx.scheduler.now()),
        graceMs: Infinity,
        deadlineMs: pendingTimeoutMs,
        onDeadline: pendingTimeout(ref),
      });
      return concat(of(event), authorized$.pipe(filter((step: JobStep): step is Exclude<JobStep, { type: 'job-end' }> => step.type !== 'job-end')));
    }),
  );
};

/**
 * OAuth members (institutions with `supports_oauth`, such as `mx_bank_oauth`): a fresh one-time window for the
 * person, then the wait while they sign in at the bank (the member is PENDING: not a failure, with its own
 * deadline), until their decision shows: denied or cancelled ends the run, authorized hands the job the
 * authorization started to the statements step.
 *
 * @module
 */
import { EMPTY, concat, concatMap, defer, filter, from, of, take, takeUntil, tap, type Observable } from 'rxjs';
import { memberPath, type MemberRef } from '../api/refs.js';
import type { MemberStatus } from '../codecs/index.js';
import type { ConnectionFailed, DecodeError, MxError } from '../core/errors.js';
import { awaitJob$, type JobEnd, type JobStep } from './await-job.js';
import { fail, unwrap } from './either.js';
import type { OAuthRequiredEvent, StatementEvent } from './events.js';
import type { OAuthCompletion, WorkflowContext } from './input.js';
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

/** The OAuth wait is over: what comes next in the member run. */
export interface Authorized {
  readonly type: 'authorized';
  /**
   * The job the authorization started was the run's statements job and it ended (`statements-job-started` and
   * `connected` were emitted): nothing to start. Otherwise the run starts (or joins) the statements job.
   */
  readonly statementsJobDone: boolean;
}

/** What {@link authorize$} needs besides the run: the member's institution, and what creating it asked for. */
export interface AuthorizeTarget {
  readonly institutionCode: string;
  /**
   * The member was created by this run with `data_request: { products: ['statements'] }` (v20250224): the job its
   * authorization starts is a statements job, which the run takes as its own instead of starting a second one.
   */
  readonly statementsOnAuthorize: boolean;
}

/** MX's reasons of `oauthComplete/error`; anything else reported is shown as UNKNOWN. */
const reasonOf = (c: OAuthCompletion): string =>
  typeof c.errorReason === 'string' && /^[A-Z_]{1,40}$/.test(c.errorReason) ? c.errorReason : 'UNKNOWN';

const windowFailed = (ref: MemberRef, reason: string, lastStatus: string): ConnectionFailed => ({
  _tag: 'ConnectionFailed',
  method: 'GET',
  path: `${memberPath(ref)}/oauth_window_uri`,
  memberGuid: ref.memberGuid,
  connectionStatus: lastStatus,
  oauthErrorReason: reason,
  message: `member ${ref.memberGuid}: the OAuth window ended ${reason}` +
    (reason === 'CANCELLED' ? ' (the person cancelled or closed it)' : '') + ` (status ${lastStatus})`,
});

/**
 * `GET …/oauth_window_uri` (fresh, one-time) → one status read → `oauth-required` → polls (`status`, MFA rounds
 * if any) until the person's decision shows. The reference is the member as it stands once the window was issued
 * (MX shows it PENDING until the person finishes), read before the URL is handed out, so neither a stale status
 * nor a decision equal to the previous one (a second Deny of a DENIED member) is misread. Denied → `ConnectionFailed`
 * at once; an error the caller reports through `oauth.completions` (cancelled, closed) → `ConnectionFailed` with
 * its `oauthErrorReason`; still PENDING after `oauth.pendingTimeoutMs` → `PollTimeout` (`lastStatus: 'PENDING'`).
 * Authorized: the wait ends as soon as the authorization's job is seen running (the statements job then joins
 * it, or waits it out when it is of another kind), or, when it already ended, with that job taken as the
 * statements job if the member was created for statements (v20250224), else with a statements job to start.
 */
export const authorize$ = (
  ctx: WorkflowContext,
  ref: MemberRef,
  target: AuthorizeTarget,
  poller: StatusPoller,
  answers: AnswerQueue | undefined,
): Observable<StatementEvent | Authorized> => {
  const { clientRedirectUrl, referralSource, pendingTimeoutMs, completions } = ctx.oauth;
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
      return ctx.client.members.status$(ref).pipe(unwrap(), concatMap((issued) => waitForPerson$(ctx, ref, target, poller, answers, url, issued, completions, pendingTimeoutMs)));
    }),
  );
};

const waitForPerson$ = (
  ctx: WorkflowContext,
  ref: MemberRef,
  target: AuthorizeTarget,
  poller: StatusPoller,
  answers: AnswerQueue | undefined,
  url: string,
  issued: MemberStatus,
  completions: Observable<OAuthCompletion> | undefined,
  pendingTimeoutMs: number,
): Observable<StatementEvent | Authorized> => {
  const event: OAuthRequiredEvent = { type: 'oauth-required', userGuid: ref.userGuid, memberGuid: ref.memberGuid, institutionCode: target.institutionCode, url };
  let lastStatus = issued.connection_status ?? 'PENDING';
  const decided$ = awaitJob$(ctx, ref, poller, answers, {
    baseline: jobBaseline(issued, ctx.scheduler.now()),
    graceMs: Infinity,
    deadlineMs: pendingTimeoutMs,
    onDeadline: pendingTimeout(ref),
    untilRunning: true,
  }).pipe(
    tap((step) => {
      if (step.type === 'status' && step.connectionStatus !== null) lastStatus = step.connectionStatus;
    }),
    concatMap((step: JobStep): Observable<StatementEvent | Authorized> => (step.type === 'job-end' ? afterDecision(ref, target, step) : of(step))),
  );
  if (completions === undefined) return concat(of(event), decided$);
  // An error reported for this member's window ends the wait (MX leaves the status as it was: nothing else tells).
  // The window reports once: after a success, a later error (a redirect page loaded twice, say) is not the person's.
  const reported$ = completions.pipe(
    filter((c) => c?.memberGuid === ref.memberGuid),
    take(1),
    concatMap((c) => (c.status === 'error' ? fail(windowFailed(ref, reasonOf(c), lastStatus)) : EMPTY)),
  );
  return concat(of(event), decided$.pipe(takeUntil(reported$)));
};

/** What the run does once the person's decision shows as a job: join it, take it as the statements job, or start one. */
const afterDecision = (ref: MemberRef, target: AuthorizeTarget, end: JobEnd): Observable<StatementEvent | Authorized> => {
  if (end.outcome !== 'done' || !target.statementsOnAuthorize) return of<Authorized>({ type: 'authorized', statementsJobDone: false });
  const steps: ReadonlyArray<StatementEvent | Authorized> = [
    { type: 'statements-job-started', userGuid: ref.userGuid, memberGuid: ref.memberGuid, joined: true, waitedForOtherJobs: 0 },
    { type: 'connected', memberGuid: ref.memberGuid, polls: end.polls, mfaRounds: end.mfaRounds },
    { type: 'authorized', statementsJobDone: true },
  ];
  return from(steps);
};

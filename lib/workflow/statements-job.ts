/**
 * Step 5: `POST …/fetch_statements`, with no status read before it: the 202's body is the member as it stands,
 * which tells whether a statements job was already running (joined) and is the baseline the following polls
 * are compared with. A 409 (a job of another type runs) waits that job out, then starts, at most
 * `jobConflictRetries` times; a job waited out that turns CHALLENGED is answered like the run's own (or ends the
 * run with `MfaRequired`), one that ends in a terminal status ends the run with `ConnectionFailed`.
 *
 * @module
 */
import { catchError, concat, concatMap, defer, filter, map, of, throwError, type Observable } from 'rxjs';
import type { MemberRef } from '../api/refs.js';
import { errorOf, unwrap } from './either.js';
import type { MemberStatus } from '../codecs/index.js';
import { awaitJob$, type JobStep } from './await-job.js';
import type { ChallengeAnsweredEvent, ChallengedEvent, StatementsJobStartedEvent, StatusEvent } from './events.js';
import type { WorkflowContext } from './input.js';
import { jobBaseline, type JobBaseline } from './job-evidence.js';
import type { AnswerQueue } from './mfa.js';
import { memberPhase } from './phase.js';
import { retryStep } from './retry-step.js';
import type { StatusPoller } from './status-poller.js';

/** MX accepted the statements job: the public event, and the baseline later statuses are compared with. */
export interface JobAccepted {
  readonly type: 'job-accepted';
  readonly event: StatementsJobStartedEvent;
  readonly baseline: JobBaseline;
}

/** While waiting out another job: has it been seen running, and since when does the run wait. */
interface OtherJob {
  readonly seenRunning: boolean;
  readonly since: number;
}

/** What waiting out another job emits: its polls, and the MFA rounds of that job when it asked for them. */
export type OtherJobEvent = StatusEvent | ChallengedEvent | ChallengeAnsweredEvent;

/** A baseline that says "a job is running" and nothing else: what a 409 tells. */
const runningJob = (ref: MemberRef, at: number): JobBaseline => jobBaseline({ guid: ref.memberGuid, is_being_aggregated: true }, at);

/**
 * Emits `status` events while waiting out other jobs, then one {@link JobAccepted}. `joined` is what the 202
 * says: the member was already aggregating (a statements job ran, e.g. started by creating the member). Another
 * job that needs its person while it is waited out is followed as the run's own would be: a CHALLENGED one puts
 * its challenges to the caller's `mfa` (`MfaRequired` without one), a terminal status ends the run
 * (`ConnectionFailed`), rather than polling on to the deadline.
 */
export const startStatementsJob$ = (
  ctx: WorkflowContext,
  ref: MemberRef,
  poller: StatusPoller,
  answers: AnswerQueue | undefined,
): Observable<OtherJobEvent | JobAccepted> => {
  const { statements } = ctx.client;

  // The other job may still be about to start (MX starts jobs a little after their 202): it ends when it was seen
  // running and stopped, or when the grace passed without seeing it; at once when it needs its person.
  const waitOtherJob$ = defer(() => {
    const since = ctx.scheduler.now();
    return poller.phase$<OtherJob>({
      fold: {
        seed: { seenRunning: false, since },
        step: (w, s) => ({ ...w, seenRunning: w.seenRunning || s.is_being_aggregated === true }),
      },
      isEnd: (s, w, policy) => needsPerson(s) ||
        (s.is_being_aggregated !== true && (w.seenRunning || ctx.scheduler.now() - w.since >= policy.jobStartGraceMs)),
    });
  }).pipe(
    concatMap((p): Observable<OtherJobEvent> => (p.event.nextDelayMs === null && needsPerson(p.status)
      // Follow it as a job of the run's own: MFA rounds through the caller's answers, a terminal status fails.
      ? concat(of(p.event), awaitJob$(ctx, ref, poller, answers, { baseline: runningJob(ref, ctx.scheduler.now()) }).pipe(
        filter((step: JobStep): step is OtherJobEvent => step.type !== 'job-end'),
      ))
      : of(p.event))),
  );

  const post$ = (waited: number): Observable<OtherJobEvent | JobAccepted> =>
    defer(() => statements.fetch$(ref)).pipe(
      unwrap(),
      retryStep(ctx),
      map((member): JobAccepted => ({
        type: 'job-accepted',
        event: {
          type: 'statements-job-started',
          userGuid: ref.userGuid,
          memberGuid: ref.memberGuid,
          joined: member.is_being_aggregated === true,
          waitedForOtherJobs: waited,
        },
        baseline: jobBaseline(member, ctx.scheduler.now()),
      })),
      catchError((err: unknown) =>
        errorOf(err)?._tag === 'Conflict' && waited < ctx.jobConflictRetries
          ? concat(waitOtherJob$, defer(() => post$(waited + 1)))
          : throwError(() => err)),
    );

  return defer(() => post$(0));
};

/** CHALLENGED, or a terminal status: only the member's person can move it on. */
const needsPerson = (s: MemberStatus): boolean => {
  const phase = memberPhase(s);
  return phase === 'challenged' || phase === 'terminal';
};

/**
 * Step 5: `POST …/fetch_statements`, with no status read before it: the 202's body is the member as it stands,
 * which tells whether a statements job was already running (joined) and is the baseline the following polls
 * are compared with. A 409 (a job of another type runs) waits that job out, then starts, at most
 * `jobConflictRetries` times.
 *
 * @module
 */
import { catchError, concat, defer, map, throwError, type Observable } from 'rxjs';
import type { MemberRef } from '../api/refs.js';
import { errorOf, unwrap } from './either.js';
import type { StatementsJobStartedEvent, StatusEvent } from './events.js';
import type { WorkflowContext } from './input.js';
import { jobBaseline, type JobBaseline } from './job-evidence.js';
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

/**
 * Emits `status` events while waiting out other jobs, then one {@link JobAccepted}. `joined` is what the 202
 * says: the member was already aggregating (a statements job ran, e.g. started by creating the member).
 */
export const startStatementsJob$ = (
  ctx: WorkflowContext,
  ref: MemberRef,
  poller: StatusPoller,
): Observable<StatusEvent | JobAccepted> => {
  const { statements } = ctx.client;

  // The other job may still be about to start (MX starts jobs a little after their 202): it ends when it was seen
  // running and stopped, or when the grace passed without seeing it.
  const waitOtherJob$ = defer(() => poller.phase$<OtherJob>({
    fold: {
      seed: { seenRunning: false, since: ctx.scheduler.now() },
      step: (w, s) => ({ ...w, seenRunning: w.seenRunning || s.is_being_aggregated === true }),
    },
    isEnd: (s, w, policy) =>
      s.is_being_aggregated !== true && (w.seenRunning || ctx.scheduler.now() - w.since >= policy.jobStartGraceMs),
  })).pipe(map((p) => p.event));

  const post$ = (waited: number): Observable<StatusEvent | JobAccepted> =>
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

/**
 * One member's run, top-down: (authorize an OAuth member) → start the statements job → follow it to its end →
 * list the statements → download them → `done`, summarized from the run's own events. Everything the run knows
 * travels with its events or as arguments; the one status poll is built here, once.
 *
 * @module
 */
import { EMPTY, concat, concatMap, connect, defer, map, merge, of, toArray, type Observable } from 'rxjs';
import type { MemberRef } from '../api/refs.js';
import type { Member } from '../codecs/index.js';
import { awaitJob$, type JobStep } from './await-job.js';
import { downloadAll$, listStatements$ } from './download.js';
import type { StatementEvent, StatementListedEvent } from './events.js';
import type { WorkflowContext } from './input.js';
import type { AnswerQueue } from './mfa.js';
import { authorize$ } from './oauth.js';
import { withRunSummary } from './run-summary.js';
import { startStatementsJob$ } from './statements-job.js';
import { createStatusPoller, type StatusPoller } from './status-poller.js';

/** What a member run starts from. */
export interface MemberRunTarget {
  readonly ref: MemberRef;
  /** An OAuth member whose person must authorize first: the member as last seen, and its institution. */
  readonly authorize?: { readonly member: Member; readonly institutionCode: string };
}

/** Statements job → follow it (MFA included) → list → download → `done`. */
export const memberRun$ = (ctx: WorkflowContext, target: MemberRunTarget, answers: AnswerQueue | undefined): Observable<StatementEvent> =>
  defer(() => {
    const { ref, authorize } = target;
    const poller = createStatusPoller(ctx, ref);
    return concat(
      authorize ? authorize$(ctx, ref, authorize.institutionCode, authorize.member, poller, answers) : EMPTY,
      statementsJob$(ctx, ref, poller, answers),
      defer(() => listAndDownload$(ctx, ref)),
    ).pipe(withRunSummary(ref, ctx.download !== false));
  });

/** `POST fetch_statements` (waiting out other jobs), then the job followed to `connected` or `statements-job-unconfirmed`. */
const statementsJob$ = (ctx: WorkflowContext, ref: MemberRef, poller: StatusPoller, answers: AnswerQueue | undefined): Observable<StatementEvent> =>
  startStatementsJob$(ctx, ref, poller).pipe(
    concatMap((step) => step.type !== 'job-accepted'
      ? of(step)
      : concat(of(step.event), awaitJob$(ctx, ref, poller, answers, { baseline: step.baseline }).pipe(map(jobEvent(ref))))),
  );

/** The public event of one step of following the statements job. */
const jobEvent = (ref: MemberRef) => (step: JobStep): StatementEvent => {
  if (step.type !== 'job-end') return step;
  return step.outcome === 'done'
    ? { type: 'connected', memberGuid: ref.memberGuid, polls: step.polls, mfaRounds: step.mfaRounds }
    : {
      type: 'statements-job-unconfirmed',
      memberGuid: ref.memberGuid,
      connectionStatus: step.status.connection_status ?? null,
      successfullyAggregatedAt: step.status.successfully_aggregated_at ?? null,
      waitedMs: step.waitedMs,
    };
};

/** One `statement-listed` per statement as the pages arrive; once listed, the downloads (when asked). */
const listAndDownload$ = (ctx: WorkflowContext, ref: MemberRef): Observable<StatementEvent> => {
  const d = ctx.download;
  return listStatements$(ctx, ref).pipe(
    connect((statements) => merge(
      statements.pipe(map((statement): StatementListedEvent => ({ type: 'statement-listed', memberGuid: ref.memberGuid, statement }))),
      d === false ? EMPTY : statements.pipe(toArray(), concatMap((all) => downloadAll$(ctx, d, ref, all))),
    )),
  );
};

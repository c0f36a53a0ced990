/**
 * One member's run, top-down: (authorize an OAuth member) → start the statements job → follow it to its end
 * (downloading ahead meanwhile, when the run was given a prefetch) → list the statements → download them →
 * `done`, summarized from the run's own events. Everything the run knows travels with its events or as
 * arguments; the one status poll is built here, once.
 *
 * @module
 */
import {
  EMPTY, catchError, concat, concatMap, connect, defer, filter, ignoreElements, map, merge, of, take, takeUntil, tap, throwError, toArray,
  endWith, type Observable,
} from 'rxjs';
import type { MemberRef } from '../api/refs.js';
import type { Statement } from '../codecs/index.js';
import { awaitJob$, type JobStep } from './await-job.js';
import { downloadAll$, listStatements$ } from './download.js';
import { usableContentHash } from './download-limits.js';
import { errorOf } from './either.js';
import type { StatementDownloadedEvent, StatementEvent, StatementListedEvent } from './events.js';
import type { WorkflowContext } from './input.js';
import type { AnswerQueue } from './mfa.js';
import { authorize$, type Authorized, type AuthorizeTarget } from './oauth.js';
import { withRunSummary } from './run-summary.js';
import { startStatementsJob$ } from './statements-job.js';
import { createStatusPoller, type StatusPoller } from './status-poller.js';

/**
 * Downloading ahead while the statements job runs (a batch's prefetch): once `start$` emits, the statements MX
 * lists already are downloaded through `ctx` (whose calls wait at `prefetch` priority); the job's end stops it.
 */
export interface JobPrefetch {
  /** Emits when the prefetch may begin (a long job, rate to spare); it is not waited for past the job's end. */
  readonly start$: Observable<unknown>;
  /** The context of the prefetch's calls (its client, its download settings). */
  readonly ctx: WorkflowContext;
}

/** What a member run starts from. */
export interface MemberRunTarget {
  readonly ref: MemberRef;
  /** An OAuth member whose person must authorize first: its institution, and what it was created for. */
  readonly authorize?: AuthorizeTarget;
  /** Download ahead while the statements job runs (only when the run downloads). */
  readonly prefetch?: JobPrefetch;
}

/**
 * The statements the prefetch saved, by guid, with their SHA-256: the download phase leaves those MX still lists
 * with that hash alone (they are reported once, by the prefetch, as downloaded).
 */
type SavedAhead = Map<string, string>;

/** Statements job → follow it (MFA included; downloading ahead meanwhile) → list → download → `done`. */
export const memberRun$ = (ctx: WorkflowContext, target: MemberRunTarget, answers: AnswerQueue | undefined): Observable<StatementEvent> =>
  defer(() => {
    const { ref, authorize, prefetch } = target;
    const poller = createStatusPoller(ctx, ref);
    const ahead: SavedAhead = new Map();
    const whileJobRuns$ = prefetch !== undefined && ctx.download !== false ? prefetch$(prefetch, ref, ahead) : EMPTY;
    const authorized$: Observable<StatementEvent | Authorized> = authorize
      ? authorize$(ctx, ref, authorize, poller, answers)
      : of<Authorized>({ type: 'authorized', statementsJobDone: false });
    return authorized$.pipe(
      concatMap((step) => (step.type !== 'authorized'
        ? of(step)
        : concat(
          // the authorization's own job may have been the statements job (v20250224, created for statements)
          step.statementsJobDone ? EMPTY : statementsJob$(ctx, ref, poller, answers, whileJobRuns$),
          defer(() => listAndDownload$(ctx, ref, ahead)),
        ))),
      withRunSummary(ref, ctx.download !== false),
    );
  });

/**
 * `POST fetch_statements` (waiting out other jobs), then the job followed to `connected` or
 * `statements-job-unconfirmed`, with `whileJobRuns$` running alongside until then.
 */
const statementsJob$ = (
  ctx: WorkflowContext,
  ref: MemberRef,
  poller: StatusPoller,
  answers: AnswerQueue | undefined,
  whileJobRuns$: Observable<StatementEvent>,
): Observable<StatementEvent> =>
  startStatementsJob$(ctx, ref, poller, answers).pipe(
    concatMap((step) => step.type !== 'job-accepted'
      ? of(step)
      : concat(of(step.event), alongside(awaitJob$(ctx, ref, poller, answers, { baseline: step.baseline }).pipe(map(jobEvent(ref))), whileJobRuns$))),
  );

/** `main$`'s events, with `side$`'s merged in until `main$` ends (then `side$` is unsubscribed). */
const alongside = <A>(main$: Observable<A>, side$: Observable<A>): Observable<A> =>
  side$ === EMPTY ? main$ : main$.pipe(connect((shared) => merge(shared, side$.pipe(takeUntil(shared.pipe(ignoreElements(), endWith(true)))))));

/**
 * Once `start$` emits: the statements MX lists already, each downloaded in turn through the prefetch's context,
 * reported as `statement-downloaded` and remembered in `ahead`. A statement already saved is left to the download
 * phase to report. A failure only means work not done ahead (the download phase does it): a download's is passed
 * over, the listing's ends the prefetch; a bug still reaches the error channel.
 */
const prefetch$ = (p: JobPrefetch, ref: MemberRef, ahead: SavedAhead): Observable<StatementEvent> => {
  const d = p.ctx.download;
  if (d === false) return EMPTY;
  return p.start$.pipe(
    take(1),
    concatMap(() => listStatements$(p.ctx, ref)),
    concatMap((statement) => downloadAll$(p.ctx, { ...d, progress: false }, ref, [statement]).pipe(onlyBugs())),
    filter((e): e is StatementDownloadedEvent => e.type === 'statement-downloaded'),
    tap((e) => ahead.set(e.statementGuid, e.sha256.toLowerCase())),
    onlyBugs(),
  );
};

/** Ends quietly on an expected failure (an `MxFailure`); a bug stays on the error channel. */
const onlyBugs = <A>() => catchError<A, Observable<A>>((err: unknown) => (errorOf(err) !== undefined ? EMPTY : throwError(() => err)));

/** The public event of one step of following the statements job. */
const jobEvent = (ref: MemberRef) => (step: JobStep): StatementEvent => {
  if (step.type !== 'job-end') return step;
  // (`running` is asked for only while authorizing: the statements job is followed to its end)
  return step.outcome !== 'unconfirmed'
    ? { type: 'connected', memberGuid: ref.memberGuid, polls: step.polls, mfaRounds: step.mfaRounds }
    : {
      type: 'statements-job-unconfirmed',
      memberGuid: ref.memberGuid,
      connectionStatus: step.status.connection_status ?? null,
      successfullyAggregatedAt: step.status.successfully_aggregated_at ?? null,
      waitedMs: step.waitedMs,
    };
};

/**
 * One `statement-listed` per statement as the pages arrive; once listed, the downloads (when asked) of those not
 * saved ahead (`ahead`: by the prefetch, with the hash MX still lists).
 *
 * @example
 * ```ts
 * import type { WorkflowContext } from './input.js';
 * import { listAndDownload$ } from './member-run.js';
 * declare const ctx: WorkflowContext;
 * listAndDownload$(ctx, { userGuid: 'USR-1', memberGuid: 'MBR-1' }).subscribe((ev) => console.log(ev.type));
 * ```
 */
export const listAndDownload$ = (ctx: WorkflowContext, ref: MemberRef, ahead: ReadonlyMap<string, string> = new Map()): Observable<StatementEvent> => {
  const d = ctx.download;
  return listStatements$(ctx, ref).pipe(
    connect((statements) => merge(
      statements.pipe(map((statement): StatementListedEvent => ({ type: 'statement-listed', memberGuid: ref.memberGuid, statement }))),
      d === false ? EMPTY : statements.pipe(toArray(), concatMap((all) => downloadAll$(ctx, d, ref, all.filter((s) => !savedAhead(ahead, s))))),
    )),
  );
};

/** Saved by the prefetch, and still what MX lists (the same hash; with no usable hash, as the sink would judge it). */
const savedAhead = (ahead: ReadonlyMap<string, string>, s: Statement): boolean => {
  const sha256 = ahead.get(s.guid);
  if (sha256 === undefined) return false;
  const hash = usableContentHash(s);
  return hash === undefined || hash === sha256;
};

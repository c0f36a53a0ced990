/**
 * Steps 6–7: follow an accepted job to its end — polling the member's status, believing it only with evidence
 * that the job ran (see `job-evidence.ts`), answering MFA rounds on the way.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import { concat, concatMap, defer, map, merge, of, takeWhile, throwError, timeout, type Observable } from 'rxjs';
import { memberPath, type MemberRef } from '../api/refs.js';
import type { Challenge, ChallengeAnswer, MemberStatus } from '../codecs/index.js';
import type { ConnectionFailed, MfaTimeout, MxError } from '../core/errors.js';
import { MxFailure } from '../http/failure.js';
import { fail, unwrap } from './either.js';
import type { ChallengeAnsweredEvent, ChallengedEvent, StatusEvent } from './events.js';
import type { WorkflowContext } from './input.js';
import { readJob, showsJobSince, type JobBaseline, type JobReading } from './job-evidence.js';
import { checkAnswers, mfaRequired, type AnswerQueue } from './mfa.js';
import { memberPhase } from './phase.js';
import type { Polled, StatusPoller } from './status-poller.js';

/** How many times in a row a CHALLENGED member may list no challenge before the run gives up. */
export const MAX_EMPTY_CHALLENGE_LISTS = 5;

/**
 * The job ended well (`done`), showed no sign of itself within the grace (`unconfirmed`), or (asked for with
 * {@link JobWatch.untilRunning}) was seen running (`running`).
 */
export interface JobEnd {
  readonly type: 'job-end';
  readonly outcome: 'done' | 'unconfirmed' | 'running';
  /** The status that ended it. */
  readonly status: MemberStatus;
  /** The run-wide number of that status poll. */
  readonly polls: number;
  /** MFA rounds answered while following this job. */
  readonly mfaRounds: number;
  /** From the job's acceptance to that status. */
  readonly waitedMs: number;
}

/** What following a job emits: public events, and one {@link JobEnd} last. */
export type JobStep = StatusEvent | ChallengedEvent | ChallengeAnsweredEvent | JobEnd;

/** Which job to follow, and how patiently. */
export interface JobWatch {
  readonly baseline: JobBaseline;
  /** How long a status with no sign of the job is taken as "not started yet". Default: the policy's `jobStartGraceMs`. */
  readonly graceMs?: number;
  /** Deadline of each polling phase. Default: the policy's `deadlineMs`. */
  readonly deadlineMs?: number;
  readonly onDeadline?: (last: MemberStatus | undefined, deadlineMs: number) => MxError;
  /** End as soon as the job is seen running (aggregating, with evidence): the caller joins it rather than waits. */
  readonly untilRunning?: boolean;
}

/** Where a polling phase stands: has the job shown itself, and what the last status means. */
interface Watching {
  readonly evidence: boolean;
  readonly reading: JobReading;
}

/** Where the MFA rounds stand. */
interface Rounds {
  /** Rounds answered. */
  readonly answered: number;
  /** CHALLENGED answers in a row that listed no challenge. */
  readonly emptyLists: number;
}

/**
 * Polls until the job is `done` or `unconfirmed` (one {@link JobEnd}), a terminal status (`ConnectionFailed`,
 * with MX's `connection_status_message`), or the deadline (`PollTimeout`, or `watch.onDeadline`). On CHALLENGED:
 * emits `challenged`, waits for the next answers on `answers` (per round deadline `mfaTimeoutMs` → `MfaTimeout`;
 * no queue → `MfaRequired` at once), keeps polling meanwhile (so an EXPIRED member ends the wait), checks the
 * answers (`MfaAnswerMismatch`), emits `challenge-answered`, `PUT /resume`s and polls again.
 *
 * A 405 to the resume means the member is no longer CHALLENGED: most often a resume retried after a lost
 * answer (502, timeout) whose first send MX had taken. The next poll tells what happened, so polling goes on.
 */
export const awaitJob$ = (
  ctx: WorkflowContext,
  ref: MemberRef,
  poller: StatusPoller,
  answers: AnswerQueue | undefined,
  watch: JobWatch,
): Observable<JobStep> => {
  const { members, challenges: challengesApi } = ctx.client;
  const { baseline } = watch;

  /** Poll until the reading is no longer `running`, then act on where the member landed. */
  const phase$ = (rounds: Rounds, evidence: boolean): Observable<JobStep> =>
    defer(() => {
      const graceMs = watch.graceMs ?? ctx.pollPolicy().jobStartGraceMs;
      const read = (w: Watching, s: MemberStatus): Watching => {
        const seen = w.evidence || showsJobSince(baseline, s);
        return { evidence: seen, reading: readJob(s, seen, ctx.scheduler.now() - baseline.at >= graceMs) };
      };
      return poller.phase$<Watching>({
        fold: { seed: { evidence, reading: 'running' }, step: read },
        isEnd: (s, w) => w.reading !== 'running' || seenRunning(s, w),
        ...(watch.deadlineMs !== undefined ? { deadlineMs: watch.deadlineMs } : {}),
        ...(watch.onDeadline !== undefined ? { onDeadline: watch.onDeadline } : {}),
      });
    }).pipe(concatMap((p) => (p.event.nextDelayMs === null ? concat(of(p.event), landed$(p, rounds)) : of(p.event))));

  /** With `untilRunning`: the job has shown itself and is aggregating now. */
  const seenRunning = (s: MemberStatus, w: Watching): boolean =>
    watch.untilRunning === true && w.reading === 'running' && w.evidence && s.is_being_aggregated === true;

  const end = (p: Polled<Watching>, outcome: JobEnd['outcome'], rounds: Rounds): Observable<JobEnd> => of<JobEnd>({
    type: 'job-end',
    outcome,
    status: p.status,
    polls: p.event.attempt,
    mfaRounds: rounds.answered,
    waitedMs: ctx.scheduler.now() - baseline.at,
  });

  const landed$ = (p: Polled<Watching>, rounds: Rounds): Observable<JobStep> => {
    if (seenRunning(p.status, p.state)) return end(p, 'running', rounds);
    switch (p.state.reading) {
      case 'done':
      case 'unconfirmed':
        return end(p, p.state.reading, rounds);
      case 'failed':
        return connectionFailed$(p.status);
      case 'challenged':
        return challenged$(p.status, rounds);
      default:
        return phase$(rounds, p.state.evidence);
    }
  };

  const connectionFailed$ = (s: MemberStatus): Observable<never> =>
    members.read$(ref).pipe(
      concatMap((r) => {
        const status = s.connection_status ?? 'UNKNOWN';
        const mxMessage = E.isRight(r) ? r.right.connection_status_message ?? undefined : undefined;
        const error: ConnectionFailed = {
          _tag: 'ConnectionFailed',
          method: 'GET',
          path: `${memberPath(ref)}/status`,
          memberGuid: ref.memberGuid,
          connectionStatus: status,
          ...(mxMessage ? { mxMessage } : {}),
          message: `member ${ref.memberGuid} ended ${status}${mxMessage ? `: ${mxMessage}` : ''}`,
        };
        return fail(error);
      }),
    );

  const openChallenges$ = (s: MemberStatus): Observable<ReadonlyArray<Challenge>> =>
    s.challenges && s.challenges.length > 0 ? of(s.challenges) : challengesApi.list$(ref).pipe(unwrap());

  const challenged$ = (s: MemberStatus, rounds: Rounds): Observable<JobStep> =>
    openChallenges$(s).pipe(
      concatMap((open) => {
        if (open.length === 0) {
          // CHALLENGED, but no challenge to show yet: poll on, a bounded number of times.
          const emptyLists = rounds.emptyLists + 1;
          return emptyLists > MAX_EMPTY_CHALLENGE_LISTS
            ? fail(mfaRequired(ref, open, 'MX lists no challenge to answer'))
            : phase$({ ...rounds, emptyLists }, true);
        }
        if (answers === undefined) return fail(mfaRequired(ref, open, 'no mfa subject was given'));
        const round = rounds.answered + 1;
        const event: ChallengedEvent = { type: 'challenged', memberGuid: ref.memberGuid, round, challenges: open };
        return concat(of(event), awaitAnswers$(answers, open, { answered: rounds.answered, emptyLists: 0 }));
      }),
    );

  type Waited = { readonly kind: 'answers'; readonly answers: ReadonlyArray<ChallengeAnswer> } | { readonly kind: 'poll'; readonly polled: Polled<undefined> };

  const awaitAnswers$ = (queue: AnswerQueue, open: ReadonlyArray<Challenge>, rounds: Rounds): Observable<JobStep> => {
    const round = rounds.answered + 1;
    const mfaTimeout: MfaTimeout = {
      _tag: 'MfaTimeout',
      method: 'PUT',
      path: `${memberPath(ref)}/resume`,
      memberGuid: ref.memberGuid,
      timeoutMs: ctx.mfaTimeoutMs,
      message: `no MFA answers for member ${ref.memberGuid} within ${ctx.mfaTimeoutMs} ms (round ${round})`,
    };
    const answers$ = queue.next$(ref, open).pipe(
      timeout({ first: ctx.mfaTimeoutMs, scheduler: ctx.scheduler, with: () => throwError(() => new MxFailure(mfaTimeout)) }),
      map((a): Waited => ({ kind: 'answers', answers: a })),
    );
    // Keep watching the status while waiting: EXPIRED (or an answer given elsewhere) ends the wait.
    const watch$ = poller.phase$({ isEnd: (s) => memberPhase(s) !== 'challenged', deadlineMs: Infinity })
      .pipe(map((polled): Waited => ({ kind: 'poll', polled })));
    return merge(answers$, watch$).pipe(
      takeWhile((w) => w.kind === 'poll' && memberPhase(w.polled.status) === 'challenged', true),
      concatMap((w): Observable<JobStep> => {
        if (w.kind === 'answers') return answer$(open, w.answers, rounds);
        const { event, status } = w.polled;
        if (memberPhase(status) === 'challenged') return of(event);
        // The member moved on without our answers: read it as any other status (the job has shown itself).
        const moved: Polled<Watching> = { event, status, state: { evidence: true, reading: readJob(status, true, false) } };
        return concat(of(event), landed$(moved, rounds));
      }),
    );
  };

  const answer$ = (open: ReadonlyArray<Challenge>, given: ReadonlyArray<ChallengeAnswer>, rounds: Rounds): Observable<JobStep> => {
    const mismatch = checkAnswers(ref, open, given);
    if (mismatch) return fail(mismatch);
    const round = rounds.answered + 1;
    const event: ChallengeAnsweredEvent = { type: 'challenge-answered', memberGuid: ref.memberGuid, round, challengeGuids: given.map((a) => a.guid) };
    return concat(
      of(event),
      defer(() => members.resume$(ref, given)).pipe(
        // 405: no longer CHALLENGED (a retried resume MX had already taken); the next poll tells.
        map((result): E.Either<MxError, unknown> => (E.isLeft(result) && result.left._tag === 'MethodNotAllowed' ? E.right(undefined) : result)),
        unwrap(),
        concatMap(() => phase$({ answered: round, emptyLists: 0 }, true)),
      ),
    );
  };

  // A job that was already running when it was accepted (a joined one) has shown itself.
  return phase$({ answered: 0, emptyLists: 0 }, baseline.isBeingAggregated === true);
};

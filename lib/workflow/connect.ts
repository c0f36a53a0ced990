/**
 * Steps 6–7: poll the member's status until the statements job ends, answering MFA rounds on the way.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import {
  EMPTY, concat, concatMap, defer, map, merge, of, takeWhile, tap, throwError, timeout, type Observable,
} from 'rxjs';
import { memberPath, type MemberRef } from '../api/refs.js';
import type { Challenge, ChallengeAnswer, MemberStatus } from '../codecs/index.js';
import type { ConnectionFailed, MfaTimeout, MxError } from '../core/errors.js';
import { MxFailure } from '../http/failure.js';
import { fail, unwrap } from './either.js';
import type { ChallengeAnsweredEvent, ChallengedEvent, ConnectedEvent, StatusEvent } from './events.js';
import type { WorkflowContext } from './input.js';
import { checkAnswers, mfaRequired, type AnswerQueue } from './mfa.js';
import { memberPhase } from './phase.js';
import { pollTimeout, pollUntil$, type PollTick } from './polling.js';
import { statusEvent, type PollCounter } from './statements-job.js';

/** The events of the polling phase. */
export type ConnectEvent = StatusEvent | ChallengedEvent | ChallengeAnsweredEvent | ConnectedEvent;

/** How many times in a row a CHALLENGED member may list no challenge before the run gives up. */
export const MAX_EMPTY_CHALLENGE_LISTS = 5;

/**
 * Polls until `CONNECTED` + not aggregating (emits `connected`), a terminal status (fails with
 * `ConnectionFailed`, with MX's `connection_status_message`), or the deadline (`PollTimeout`). On CHALLENGED:
 * emits `challenged`, waits for the next answers on `answers` (per round deadline `mfaTimeoutMs` →
 * `MfaTimeout`; no queue → `MfaRequired` at once), keeps polling meanwhile (so an EXPIRED member ends the wait),
 * checks the answers (`MfaAnswerMismatch`), emits `challenge-answered`, `PUT /resume`s and polls again.
 *
 * A 405 to the resume means the member is no longer CHALLENGED: most often a resume retried after a lost
 * answer (502, timeout) whose first send MX had taken. The next poll tells what happened, so polling goes on.
 */
export const connect$ = (
  ctx: WorkflowContext,
  ref: MemberRef,
  answers: AnswerQueue | undefined,
  counter: PollCounter,
): Observable<ConnectEvent> =>
  defer(() => {
    const { members, challenges: challengesApi } = ctx.client;
    let mfaRounds = 0;
    let emptyLists = 0;
    const statusPath = `${memberPath(ref)}/status`;

    const toStatusEvent = (t: PollTick<MemberStatus>): StatusEvent => statusEvent(ref, counter, t);

    const poll$ = (isEnd: (s: MemberStatus) => boolean, deadlineMs?: number) =>
      pollUntil$(() => members.status$(ref), {
        policy: ctx.polling,
        isEnd,
        scheduler: ctx.scheduler,
        random: ctx.random,
        onDeadline: pollTimeout(ref),
        maxRetryAfterMs: ctx.client.config.retry.maxRetryAfterMs,
        ...(deadlineMs !== undefined ? { deadlineMs } : {}),
      });

    /** Poll until the member leaves the "working" phase, then act on where it landed. */
    const phase$ = (round: number): Observable<ConnectEvent> =>
      defer(() => {
        let last: MemberStatus | undefined;
        return concat(
          poll$((s) => memberPhase(s) !== 'working').pipe(
            tap((t) => {
              last = t.value;
            }),
            map(toStatusEvent),
          ),
          defer(() => (last === undefined ? EMPTY : landed$(last, round))),
        );
      });

    const landed$ = (s: MemberStatus, round: number): Observable<ConnectEvent> => {
      switch (memberPhase(s)) {
        case 'done':
          return of<ConnectedEvent>({ type: 'connected', memberGuid: ref.memberGuid, polls: counter.polls, mfaRounds });
        case 'terminal':
          return connectionFailed$(s);
        case 'challenged':
          return challenged$(s, round);
        default:
          return phase$(round);
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
            path: statusPath,
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

    const challenged$ = (s: MemberStatus, round: number): Observable<ConnectEvent> =>
      openChallenges$(s).pipe(
        concatMap((open) => {
          if (open.length === 0) {
            // CHALLENGED, but no challenge to show yet: poll on, a bounded number of times.
            emptyLists += 1;
            return emptyLists > MAX_EMPTY_CHALLENGE_LISTS
              ? fail(mfaRequired(ref, open, 'MX lists no challenge to answer'))
              : phase$(round);
          }
          emptyLists = 0;
          if (answers === undefined) return fail(mfaRequired(ref, open, 'no mfa subject was given'));
          const thisRound = round + 1;
          const event: ChallengedEvent = { type: 'challenged', memberGuid: ref.memberGuid, round: thisRound, challenges: open };
          return concat(of(event), awaitAnswers$(answers, open, thisRound));
        }),
      );

    type Waited = { readonly kind: 'answers'; readonly answers: ReadonlyArray<ChallengeAnswer> } | { readonly kind: 'tick'; readonly tick: PollTick<MemberStatus> };

    const awaitAnswers$ = (queue: AnswerQueue, open: ReadonlyArray<Challenge>, round: number): Observable<ConnectEvent> => {
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
      const watch$ = poll$((s) => memberPhase(s) !== 'challenged', Infinity).pipe(map((tick): Waited => ({ kind: 'tick', tick })));
      return merge(answers$, watch$).pipe(
        takeWhile((w) => w.kind === 'tick' && memberPhase(w.tick.value) === 'challenged', true),
        concatMap((w): Observable<ConnectEvent> => {
          if (w.kind === 'answers') return answer$(open, w.answers, round);
          const event = toStatusEvent(w.tick);
          return memberPhase(w.tick.value) === 'challenged' ? of(event) : concat(of(event), landed$(w.tick.value, round));
        }),
      );
    };

    const answer$ = (open: ReadonlyArray<Challenge>, given: ReadonlyArray<ChallengeAnswer>, round: number): Observable<ConnectEvent> => {
      const mismatch = checkAnswers(ref, open, given);
      if (mismatch) return fail(mismatch);
      const event: ChallengeAnsweredEvent = {
        type: 'challenge-answered',
        memberGuid: ref.memberGuid,
        round,
        challengeGuids: given.map((a) => a.guid),
      };
      return concat(
        of(event),
        defer(() => members.resume$(ref, given)).pipe(
          map((result): E.Either<MxError, unknown> => (E.isLeft(result) && result.left._tag === 'MethodNotAllowed' ? E.right(undefined) : result)),
          unwrap(),
          tap(() => {
            mfaRounds += 1;
          }),
          concatMap(() => phase$(round)),
        ),
      );
    };

    return phase$(0);
  });

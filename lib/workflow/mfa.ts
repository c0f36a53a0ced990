/**
 * MFA: the caller's answers, queued per round, and their check against the open challenges.
 *
 * @module
 */
import {
  ReplaySubject, connectable, defer, skip, take, tap, throwIfEmpty, type Observable, type Unsubscribable,
} from 'rxjs';
import { memberPath, type MemberRef } from '../api/refs.js';
import type { Challenge, ChallengeAnswer } from '../codecs/index.js';
import type { MfaAnswerMismatch, MfaRequired } from '../core/errors.js';
import { MxFailure } from '../http/failure.js';

/** The caller's answers, one array per round, taken in order. Unsubscribe to release the caller's subject. */
export interface AnswerQueue extends Unsubscribable {
  /** The next unused answers (waiting for them if none are queued); fails with `MfaRequired` if the source ended. */
  next$(ref: MemberRef, challenges: ReadonlyArray<Challenge>): Observable<ReadonlyArray<ChallengeAnswer>>;
}

const resumePath = (ref: MemberRef) => `${memberPath(ref)}/resume`;

/**
 * The `MfaRequired` error for a CHALLENGED member that nobody can answer.
 *
 * @example
 * ```ts
 * import { mfaRequired } from './mfa.js';
 * mfaRequired({ userGuid: 'USR-1', memberGuid: 'MBR-1' }, [{ guid: 'CRD-1', type: 'TEXT' }], 'no mfa subject was given')._tag;
 * // 'MfaRequired'
 * ```
 */
export const mfaRequired = (ref: MemberRef, challenges: ReadonlyArray<Challenge>, why: string): MfaRequired => ({
  _tag: 'MfaRequired',
  method: 'PUT',
  path: resumePath(ref),
  memberGuid: ref.memberGuid,
  challengeTypes: [...new Set(challenges.map((c) => c.type ?? 'UNKNOWN'))],
  message: `member ${ref.memberGuid} is CHALLENGED (${challenges.map((c) => c.type ?? 'UNKNOWN').join(', ') || 'no challenge listed'}) and needs its user: ${why}`,
});

/**
 * Subscribes to the caller's answers now (hot or cold, as given) and queues every array it emits, so answers
 * pushed before a round — or synchronously from the `challenged` handler — are kept for it.
 */
export const openAnswerQueue = (mfa: Observable<ReadonlyArray<ChallengeAnswer>>): AnswerQueue => {
  const replay = connectable(mfa, { connector: () => new ReplaySubject<ReadonlyArray<ChallengeAnswer>>(), resetOnDisconnect: false });
  const connection = replay.connect();
  let used = 0;
  return {
    next$: (ref, challenges) =>
      defer(() => {
        const index = used;
        return replay.pipe(
          skip(index),
          take(1),
          tap(() => {
            used = index + 1;
          }),
          throwIfEmpty(() => new MxFailure(mfaRequired(ref, challenges, 'the mfa stream completed with no answers for this round'))),
        );
      }),
    unsubscribe: () => connection.unsubscribe(),
  };
};

/**
 * Checks answers against the open challenges: every answer must name an open challenge, and every challenge
 * must be answered with a string. Returns the `MfaAnswerMismatch` (naming guids only), or `undefined` if fine.
 *
 * @example
 * ```ts
 * import { checkAnswers } from './mfa.js';
 * const ref = { userGuid: 'USR-1', memberGuid: 'MBR-1' };
 * checkAnswers(ref, [{ guid: 'CRD-1' }], [{ guid: 'CRD-1', value: 'correct' }]); // undefined
 * checkAnswers(ref, [{ guid: 'CRD-1' }], [{ guid: 'CRD-X', value: 'correct' }])?.unknownGuids; // ['CRD-X']
 * ```
 */
export const checkAnswers = (
  ref: MemberRef,
  challenges: ReadonlyArray<Challenge>,
  answers: ReadonlyArray<ChallengeAnswer>,
): MfaAnswerMismatch | undefined => {
  if (!Array.isArray(answers)) throw new TypeError('mfa: each emission must be an array of { guid, value }');
  const open = new Set(challenges.map((c) => c.guid));
  const given = new Set<string>();
  const unknownGuids: string[] = [];
  for (const a of answers) {
    if (typeof a?.guid !== 'string' || typeof a.value !== 'string') throw new TypeError('mfa: an answer must be { guid: string, value: string }');
    if (!open.has(a.guid)) unknownGuids.push(a.guid);
    given.add(a.guid);
  }
  const missingGuids = challenges.map((c) => c.guid).filter((g) => !given.has(g));
  if (unknownGuids.length === 0 && missingGuids.length === 0) return undefined;
  return {
    _tag: 'MfaAnswerMismatch',
    method: 'PUT',
    path: resumePath(ref),
    memberGuid: ref.memberGuid,
    unknownGuids,
    missingGuids,
    message: `the answers do not match the open challenges of member ${ref.memberGuid}` +
      (unknownGuids.length > 0 ? `; no open challenge has guid ${unknownGuids.join(', ')}` : '') +
      (missingGuids.length > 0 ? `; unanswered: ${missingGuids.join(', ')}` : ''),
  };
};

/**
 * `fetchStatements$`: the whole statement workflow as one cold stream of events.
 *
 * @module
 */
import type * as E from 'fp-ts/lib/Either.js';
import { concat, concatMap, defer, map, of, tap, using, type Observable, type Unsubscribable } from 'rxjs';
import type { MxClient } from '../api/client.js';
import type { MemberRef } from '../api/refs.js';
import type { Statement } from '../codecs/index.js';
import type { MxError } from '../core/errors.js';
import { connect$ } from './connect.js';
import { gatherCredentials$ } from './credentials.js';
import { downloadAll$ } from './download.js';
import { toEither, unwrap } from './either.js';
import {
  credentialField, type CredentialsRequiredEvent, type DoneEvent, type InstitutionFoundEvent, type StatementEvent,
  type StatementListedEvent,
} from './events.js';
import { findInstitution$ } from './institution.js';
import { isExistingMemberInput, resolveContext, type FetchStatementsInput, type NewMemberInput, type WorkflowContext } from './input.js';
import { createOrReuseMember$ } from './member.js';
import { openAnswerQueue, type AnswerQueue } from './mfa.js';
import { startStatementsJob$, type PollCounter } from './statements-job.js';
import { resolveUser$ } from './user.js';

const NO_QUEUE: Unsubscribable = { unsubscribe: () => undefined };

/**
 * Runs the statement workflow for one member and reports it as events: user → institution → credentials →
 * member (`skip_aggregation: true`) → `POST fetch_statements` → status polling with backoff (and MFA rounds)
 * → list every statement → download, verify and store each one (when `download` has a sink) → `done`.
 * With `{ member: { userGuid, memberGuid } }` it starts at `fetch_statements`.
 *
 * Cold: nothing happens until you subscribe, and unsubscribing cancels the request in flight, every timer and
 * the subscription to your `mfa` subject. Expected failures arrive as one final `Left` (an `MxError`), then
 * the stream completes; after `done` it completes too. Only bugs (and errors raised by your own `credentials`
 * function or `mfa` subject) use the error channel. Events hold no secret.
 *
 * @example
 * ```ts
 * import { Subject } from 'rxjs';
 * import * as E from 'fp-ts/lib/Either.js';
 * import { createMxClient, fetchStatements$, createMemorySink, type ChallengeAnswer } from 'mx-statements-rx';
 *
 * const client = createMxClient({ environment: 'integration', clientId: 'my-id', apiKey: 'my-key' });
 * const mfa = new Subject<ChallengeAnswer[]>();
 * fetchStatements$(client, {
 *   user: { id: 'customer-42' },
 *   institution: { name: 'MX Bank' },
 *   credentials: { LOGIN: 'mxuser', PASSWORD: 'challenge' },
 *   mfa,
 *   download: { sink: createMemorySink() },
 * }).subscribe((r) => {
 *   if (E.isLeft(r)) return console.error(r.left.message);
 *   const ev = r.right;
 *   if (ev.type === 'challenged') mfa.next(ev.challenges.map((c) => ({ guid: c.guid, value: 'correct' })));
 *   console.log(ev.type);
 * });
 * ```
 */
export const fetchStatements$ = (client: MxClient, input: FetchStatementsInput): Observable<E.Either<MxError, StatementEvent>> =>
  defer(() => {
    if (typeof input !== 'object' || input === null) throw new TypeError('fetchStatements$: input must be an object');
    const ctx = resolveContext(client, input);
    return using(
      () => (input.mfa ? openAnswerQueue(input.mfa) : NO_QUEUE),
      (queue) => {
        const answers = input.mfa ? (queue as AnswerQueue) : undefined;
        return isExistingMemberInput(input)
          ? memberRun$(ctx, checkRef(input.member), true, answers)
          : newMemberRun$(ctx, input, answers);
      },
    );
  }).pipe(toEither());

const checkRef = (ref: MemberRef): MemberRef => {
  if (typeof ref.userGuid !== 'string' || ref.userGuid === '' || typeof ref.memberGuid !== 'string' || ref.memberGuid === '') {
    throw new TypeError('member: give { userGuid, memberGuid } (non-empty strings)');
  }
  return ref;
};

/** User → institution → credentials → member, then the member run. */
const newMemberRun$ = (ctx: WorkflowContext, input: NewMemberInput, answers: AnswerQueue | undefined): Observable<StatementEvent> =>
  resolveUser$(ctx, input.user).pipe(
    concatMap((user) => concat(
      of(user),
      findInstitution$(ctx, input.institution).pipe(
        concatMap((inst) => concat(
          of<InstitutionFoundEvent>({ type: 'institution-found', code: inst.code, name: inst.name ?? null }),
          ctx.client.institutions.credentials$(inst.code).pipe(
            unwrap(),
            map((fields) => [...fields].sort((a, b) => (a.display_order ?? 0) - (b.display_order ?? 0))),
            concatMap((fields) => concat(
              of<CredentialsRequiredEvent>({ type: 'credentials-required', institutionCode: inst.code, fields: fields.map(credentialField) }),
              gatherCredentials$(inst.code, fields, input.credentials).pipe(
                concatMap((credentials) => createOrReuseMember$(ctx, user.userGuid, inst.code, credentials, input.onConflict ?? 'reuse')),
                concatMap((member) => concat(
                  of(member),
                  memberRun$(ctx, { userGuid: member.userGuid, memberGuid: member.memberGuid }, member.reused, answers),
                )),
              ),
            )),
          ),
        )),
      ),
    )),
  );

/** Statements job → poll (+ MFA) → list → download → `done`. */
const memberRun$ = (
  ctx: WorkflowContext,
  ref: MemberRef,
  mayBeRunning: boolean,
  answers: AnswerQueue | undefined,
): Observable<StatementEvent> =>
  defer(() => {
    const counter: PollCounter = { polls: 0 };
    let mfaRounds = 0;
    let downloaded = 0;
    let skipped = 0;
    let bytes = 0;
    const listed: Statement[] = [];
    const d = ctx.download;

    const list$ = defer(() => ctx.client.statements.all$(ref)).pipe(
      unwrap(),
      tap((statement) => {
        listed.push(statement);
      }),
      map((statement): StatementListedEvent => ({ type: 'statement-listed', memberGuid: ref.memberGuid, statement })),
    );

    const done$ = defer(() => of<DoneEvent>({
      type: 'done',
      summary: {
        userGuid: ref.userGuid,
        memberGuid: ref.memberGuid,
        statements: listed.length,
        downloaded,
        skipped,
        bytes,
        polls: counter.polls,
        mfaRounds,
        downloadEnabled: d !== false,
      },
    }));

    return concat(
      startStatementsJob$(ctx, ref, mayBeRunning, counter),
      connect$(ctx, ref, answers, counter).pipe(tap((e) => {
        if (e.type === 'connected') mfaRounds = e.mfaRounds;
      })),
      list$,
      d === false
        ? []
        : defer(() => downloadAll$(ctx, d, ref, listed)).pipe(tap((e) => {
          if (e.type === 'statement-downloaded') {
            downloaded += 1;
            bytes += e.bytes;
          } else if (e.type === 'statement-skipped') skipped += 1;
        })),
      done$,
    );
  });

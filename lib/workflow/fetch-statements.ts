/**
 * `fetchStatements$`: the whole statement workflow as one cold stream of events.
 *
 * @module
 */
import { concat, concatMap, defer, map, of, using, type Observable, type Unsubscribable } from 'rxjs';
import type { MxClient } from '../api/client.js';
import type { MemberRef } from '../api/refs.js';
import type { Credential, Institution } from '../codecs/index.js';
import type { MxError, TaggedError } from '../core/errors.js';
import type { MxObservable, ObservableEither } from '../core/observable-either.js';
import { gatherCredentials$ } from './credentials.js';
import { toEither, unwrap } from './either.js';
import { credentialField, type CredentialsRequiredEvent, type InstitutionFoundEvent, type StatementEvent } from './events.js';
import { findInstitution$ } from './institution.js';
import { isExistingMemberInput, resolveContext, type FetchStatementsInput, type NewMemberInput, type WorkflowContext } from './input.js';
import { createOrReuseMember$, type ReadyMember } from './member.js';
import { memberRun$, type JobPrefetch } from './member-run.js';
import { openAnswerQueue, type AnswerQueue } from './mfa.js';
import { resolveUser$, type ResolvedUser } from './user.js';

const NO_QUEUE: Unsubscribable = { unsubscribe: () => undefined };

/**
 * Runs the statement workflow for one member and reports it as events: user → institution → credentials (or,
 * for an OAuth institution, none) → member → (OAuth: `oauth-required`, wait for the person) → `POST
 * fetch_statements` → status polling with backoff (and MFA rounds) until the job is known to have run → list
 * every statement → download, verify and store each one (when `download` has a sink) → `done`. With
 * `{ member: { userGuid, memberGuid } }` it starts at `fetch_statements`. Speaks the client's API version
 * (`client.config.apiVersion`).
 *
 * Cold: nothing happens until you subscribe, and unsubscribing cancels the request in flight, every timer and
 * the subscription to your `mfa` subject. Expected failures arrive as one final `Left` (an `MxError`, or an error
 * of the sink's own, such as the Node sink's `FileSystemError`: `SinkError`, inferred from `download.sink`), then
 * the stream completes; after `done` it completes too. Only bugs (and errors raised by your own `credentials`
 * function or `mfa` subject) use the error channel. Events hold no secret.
 *
 * @example
 * ```ts
 * import { Subject } from 'rxjs';
 * import * as E from 'fp-ts/lib/Either.js';
 * import { createMxClient, fetchStatements$, createMemorySink, type ChallengeAnswer } from 'mx-statements-rx';
 *
 * const client = createMxClient({ environment: 'integration', clientId: 'my-id', apiKey: 'my-key', apiVersion: 'v20250224' });
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
 *   if (ev.type === 'oauth-required') console.log('open this in a browser:', ev.url);
 *   console.log(ev.type);
 * });
 * ```
 */
export const fetchStatements$ = <SinkError extends TaggedError = never>(
  client: MxClient,
  input: FetchStatementsInput<SinkError>,
): ObservableEither<MxError | Exclude<SinkError, MxError>, StatementEvent> => fetchStatementsWithPrefetch$(client, input as FetchStatementsInput, undefined);

/**
 * The run itself ({@link fetchStatements$}), downloading ahead while an existing member's statements job runs
 * when given a prefetch (the batch's). A sink's own errors travel as its `Left`s do (the workflow passes them on
 * untouched). Internal to the workflow and the batch.
 */
export const fetchStatementsWithPrefetch$ = (client: MxClient, input: FetchStatementsInput, prefetch: JobPrefetch | undefined): MxObservable<StatementEvent> =>
  defer(() => {
    if (typeof input !== 'object' || input === null) throw new TypeError('fetchStatements$: input must be an object');
    const ctx = resolveContext(client, input);
    return using(
      () => (input.mfa ? openAnswerQueue(input.mfa) : NO_QUEUE),
      (queue) => {
        const answers = input.mfa ? (queue as AnswerQueue) : undefined;
        if (!isExistingMemberInput(input)) return newMemberRun$(ctx, input, answers);
        return memberRun$(ctx, { ref: checkRef(input.member), ...(prefetch ? { prefetch } : {}) }, answers);
      },
    );
  }).pipe(toEither());

const checkRef = (ref: MemberRef): MemberRef => {
  if (typeof ref.userGuid !== 'string' || ref.userGuid === '' || typeof ref.memberGuid !== 'string' || ref.memberGuid === '') {
    throw new TypeError('member: give { userGuid, memberGuid } (non-empty strings)');
  }
  return ref;
};

/** Emits `event(a)` for the one value of `step$`, then everything `next(a)` emits. */
const andThen = <A>(step$: Observable<A>, event: (a: A) => StatementEvent, next: (a: A) => Observable<StatementEvent>): Observable<StatementEvent> =>
  step$.pipe(concatMap((a) => concat(of(event(a)), next(a))));

/** User → institution → member → the member run. */
const newMemberRun$ = (ctx: WorkflowContext, input: NewMemberInput, answers: AnswerQueue | undefined): Observable<StatementEvent> =>
  andThen(resolveUser$(ctx, input.user), (user) => user.event, (user) =>
    andThen(findInstitution$(ctx, input.institution), institutionFound, (inst) =>
      memberThenRun$(ctx, input, user, inst, answers)));

/**
 * The member, then its run. An OAuth institution (`supports_oauth`): no credentials are asked for or sent, the
 * person signs in at the bank through the window the run hands out. Any other: its credential fields
 * (`credentials-required`), your values for them, then the member.
 */
const memberThenRun$ = (
  ctx: WorkflowContext,
  input: NewMemberInput,
  user: ResolvedUser,
  inst: Institution,
  answers: AnswerQueue | undefined,
): Observable<StatementEvent> => {
  const onConflict = input.onConflict ?? 'reuse';
  const run = (m: ReadyMember) =>
    memberRun$(ctx, {
      ref: m.ref,
      ...(m.needsAuthorization ? { authorize: { institutionCode: inst.code, statementsOnAuthorize: m.statementsOnAuthorize } } : {}),
    }, answers);
  if (inst.supports_oauth === true) {
    return andThen(createOrReuseMember$(ctx, user, inst.code, { kind: 'oauth' }, onConflict), (m) => m.event, run);
  }
  const withCredentials$ = (fields: ReadonlyArray<Credential>) => gatherCredentials$(inst.code, fields, input.credentials).pipe(
    concatMap((credentials) => createOrReuseMember$(ctx, user, inst.code, { kind: 'credentials', credentials }, onConflict)),
  );
  return andThen(credentialFields$(ctx, inst.code), credentialsRequired(inst.code), (fields) =>
    andThen(withCredentials$(fields), (m) => m.event, run));
};

const institutionFound = (inst: Institution): InstitutionFoundEvent => ({ type: 'institution-found', code: inst.code, name: inst.name ?? null });

/** The institution's credential fields, in display order. */
const credentialFields$ = (ctx: WorkflowContext, code: string): Observable<ReadonlyArray<Credential>> =>
  ctx.client.institutions.credentials$(code).pipe(
    unwrap(),
    map((fields) => [...fields].sort((a, b) => (a.display_order ?? 0) - (b.display_order ?? 0))),
  );

const credentialsRequired = (code: string) => (fields: ReadonlyArray<Credential>): CredentialsRequiredEvent =>
  ({ type: 'credentials-required', institutionCode: code, fields: fields.map(credentialField) });

/**
 * `fetchStatementsForMany$`: the workflow over many members with bounded concurrency, e.g. a scheduled sync.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import {
  EMPTY, concat, concatMap, defer, from, map, mergeMap, of, range, repeat, tap, type Observable, type ObservableInput,
} from 'rxjs';
import type { MxClient } from '../api/client.js';
import type { MemberRef } from '../api/refs.js';
import type { MxError } from '../core/errors.js';
import type { StatementEvent } from './events.js';
import { fetchStatements$ } from './fetch-statements.js';
import { isExistingMemberInput, type FetchStatementsInput, type WorkflowOptions } from './input.js';
import { allMembersCursor } from './member-cursor.js';

/**
 * One unit of a batch: a full workflow input, or an existing member as `{ userGuid, memberGuid }`.
 *
 * @example
 * ```ts
 * import type { BatchInput } from 'mx-statements-rx';
 * const inputs: BatchInput[] = [{ userGuid: 'USR-1', memberGuid: 'MBR-1' }, { member: { userGuid: 'USR-2', memberGuid: 'MBR-2' } }];
 * ```
 */
export type BatchInput = FetchStatementsInput | MemberRef;

/**
 * Options of {@link fetchStatementsForMany$}: the concurrency and the options every member shares.
 *
 * @example
 * ```ts
 * import type { BatchOptions } from 'mx-statements-rx';
 * const o: BatchOptions = { concurrency: 8, polling: { deadlineMs: 5 * 60_000 } };
 * ```
 */
export interface BatchOptions extends Omit<WorkflowOptions, 'mfa'> {
  /** Members processed at once. Default 4. */
  readonly concurrency?: number;
  /** For full workflow inputs that do not say: `'reuse'` (default) or `'fail'` on a 409 creating the member. */
  readonly onConflict?: 'reuse' | 'fail';
}

/**
 * Which input an item belongs to. Never holds credentials.
 *
 * @example
 * ```ts
 * import type { BatchTarget } from 'mx-statements-rx';
 * const t: BatchTarget = { index: 0, key: 'USR-1/MBR-1', userGuid: 'USR-1', memberGuid: 'MBR-1' };
 * ```
 */
export interface BatchTarget {
  /** 0-based position in the inputs (or in the order members were listed). */
  readonly index: number;
  /** `USR-…/MBR-…` for an existing member; `user:<id or guid>@<institution code or name>` for a full input. */
  readonly key: string;
  readonly userGuid: string | null;
  readonly memberGuid: string | null;
}

/**
 * One event of one member.
 *
 * @example
 * ```ts
 * import type { BatchItem, BatchMemberEvent } from 'mx-statements-rx';
 * const isEvent = (i: BatchItem): i is BatchMemberEvent => i.type === 'member';
 * ```
 */
export interface BatchMemberEvent {
  readonly type: 'member';
  readonly target: BatchTarget;
  readonly event: E.Either<MxError, StatementEvent>;
}

/**
 * How one member ended.
 *
 * @example
 * ```ts
 * import type { MemberOutcome } from 'mx-statements-rx';
 * const o: MemberOutcome = 'needs-user-action';
 * ```
 */
export type MemberOutcome = 'synced' | 'needs-user-action' | 'failed';

/**
 * The last event of a member's run: its outcome (and the error, unless synced).
 *
 * @example
 * ```ts
 * import type { BatchItem } from 'mx-statements-rx';
 * const failed = (i: BatchItem) => i.type === 'member-done' && i.outcome === 'failed';
 * ```
 */
export interface BatchMemberDone {
  readonly type: 'member-done';
  readonly target: BatchTarget;
  readonly outcome: MemberOutcome;
  readonly error?: MxError;
}

/**
 * Listing the members ('all-members') failed part way; the members listed before were still processed.
 *
 * @example
 * ```ts
 * import type { BatchItem } from 'mx-statements-rx';
 * const listingBroke = (i: BatchItem) => i.type === 'listing-failed';
 * ```
 */
export interface BatchListingFailed {
  readonly type: 'listing-failed';
  readonly error: MxError;
}

/**
 * One line of the summary's lists.
 *
 * @example
 * ```ts
 * import type { BatchSummary } from 'mx-statements-rx';
 * const keys = (s: BatchSummary) => s.needingAction.map((p) => `${p.key}: ${p.errorTag}`);
 * ```
 */
export interface BatchProblem {
  readonly key: string;
  readonly userGuid: string | null;
  readonly memberGuid: string | null;
  readonly errorTag: MxError['_tag'];
  readonly message: string;
}

/**
 * The last item of a batch.
 *
 * @example
 * ```ts
 * import type { BatchSummary } from 'mx-statements-rx';
 * const line = (s: BatchSummary) => `${s.synced} synced, ${s.needsUserAction} need action, ${s.failed} failed`;
 * ```
 */
export interface BatchSummary {
  readonly type: 'batch-summary';
  readonly total: number;
  readonly synced: number;
  readonly needsUserAction: number;
  readonly failed: number;
  readonly statements: number;
  readonly downloaded: number;
  readonly skipped: number;
  readonly bytes: number;
  readonly listingError: MxError | null;
  /** Members that need their user (MFA, bad credentials, locked…), up to {@link MAX_SUMMARY_PROBLEMS}. */
  readonly needingAction: ReadonlyArray<BatchProblem>;
  /** Members that failed otherwise, up to {@link MAX_SUMMARY_PROBLEMS}. */
  readonly failures: ReadonlyArray<BatchProblem>;
}

/**
 * What a batch emits: every member's events (tagged with its target), one `member-done` per member, a
 * `listing-failed` if the 'all-members' listing broke off, and a final `batch-summary`.
 *
 * @example
 * ```ts
 * import type { BatchItem } from 'mx-statements-rx';
 * const onlyMember = (key: string) => (item: BatchItem) => item.type !== 'batch-summary' && 'target' in item && item.target.key === key;
 * ```
 */
export type BatchItem = BatchMemberEvent | BatchMemberDone | BatchListingFailed | BatchSummary;

/**
 * The summary lists keep at most this many entries each (the counts stay exact).
 *
 * @example
 * ```ts
 * import { MAX_SUMMARY_PROBLEMS } from 'mx-statements-rx';
 * MAX_SUMMARY_PROBLEMS; // 1000
 * ```
 */
export const MAX_SUMMARY_PROBLEMS = 1000;

const USER_ACTION_STATUSES = new Set(['CHALLENGED', 'PREVENTED', 'DENIED', 'REJECTED', 'EXPIRED', 'LOCKED', 'IMPEDED', 'IMPAIRED']);

/**
 * Whether an error needs the member's user to act (answer MFA, fix credentials, unlock the account) rather
 * than a retry later.
 *
 * @example
 * ```ts
 * import { needsUserAction } from 'mx-statements-rx';
 * needsUserAction({ _tag: 'MfaRequired', method: 'PUT', path: '/…/resume', memberGuid: 'MBR-1', challengeTypes: ['TEXT'], message: '' }); // true
 * ```
 */
export const needsUserAction = (e: MxError): boolean => {
  switch (e._tag) {
    case 'MfaRequired':
    case 'MfaTimeout':
    case 'MfaAnswerMismatch':
    case 'MissingCredentials':
      return true;
    case 'ConnectionFailed':
      return USER_ACTION_STATUSES.has(e.connectionStatus);
    default:
      return false;
  }
};

const targetOf = (input: BatchInput, index: number): BatchTarget => {
  if (isMemberRef(input)) return { index, key: `${input.userGuid}/${input.memberGuid}`, userGuid: input.userGuid, memberGuid: input.memberGuid };
  if (isExistingMemberInput(input)) {
    return { index, key: `${input.member.userGuid}/${input.member.memberGuid}`, userGuid: input.member.userGuid, memberGuid: input.member.memberGuid };
  }
  const user = 'guid' in input.user ? input.user.guid : input.user.id;
  const inst = 'code' in input.institution ? input.institution.code : input.institution.name;
  return { index, key: `user:${user}@${inst}`, userGuid: 'guid' in input.user ? input.user.guid : null, memberGuid: null };
};

const isMemberRef = (input: BatchInput): input is MemberRef =>
  typeof (input as MemberRef).userGuid === 'string' && typeof (input as MemberRef).memberGuid === 'string' && !('member' in input);

/**
 * Runs the statement workflow for many members, `concurrency` at a time, sharing the client (and so its rate
 * limiter: with `rateLimit` set on the client the batch stays under it). Inputs are full workflow inputs,
 * existing members (`{ userGuid, memberGuid }`), or `'all-members'`: every member of every user, listed lazily
 * (a page is fetched only when the members in hand are taken). Every member's events come tagged with its
 * target; one member's failure or challenge never stops the others. An existing member that turns CHALLENGED
 * has no one to answer: it ends with `MfaRequired` and counts as needing user action, never retried. Ends with
 * a `batch-summary`. Cold; unsubscribing cancels every member's run.
 *
 * @example
 * ```ts
 * import { createMxClient, fetchStatementsForMany$ } from 'mx-statements-rx';
 * import { writeStatements } from 'mx-statements-rx/node';
 *
 * const client = createMxClient({ environment: 'production', clientId: 'id', apiKey: 'key', rateLimit: { requestsPerSecond: 20 } });
 * fetchStatementsForMany$(client, 'all-members', { concurrency: 8, download: { sink: writeStatements('./statements') } })
 *   .subscribe((item) => {
 *     if (item.type === 'member-done' && item.outcome !== 'synced') console.warn(item.target.key, item.error?.message);
 *     if (item.type === 'batch-summary') console.log(`${item.synced} synced, ${item.needsUserAction} need action, ${item.failed} failed`);
 *   });
 * ```
 */
export const fetchStatementsForMany$ = (
  client: MxClient,
  inputs: ObservableInput<BatchInput> | 'all-members',
  options: BatchOptions = {},
): Observable<BatchItem> =>
  defer(() => {
    const { concurrency = 4, onConflict, ...shared } = options;
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError(`concurrency: must be an integer ≥ 1, got ${String(concurrency)}`);
    const summary = newSummary();

    const run$ = (input: BatchInput, index: number): Observable<BatchItem> =>
      defer(() => {
        const target = targetOf(input, index);
        const full: FetchStatementsInput = isMemberRef(input)
          ? { ...shared, member: { userGuid: input.userGuid, memberGuid: input.memberGuid } }
          : { ...shared, ...(onConflict && !isExistingMemberInput(input) ? { onConflict } : {}), ...input } as FetchStatementsInput;
        let outcome: BatchMemberDone = { type: 'member-done', target, outcome: 'failed' };
        return concat(
          fetchStatements$(client, full).pipe(
            tap((event) => {
              if (E.isLeft(event)) {
                outcome = { type: 'member-done', target, outcome: needsUserAction(event.left) ? 'needs-user-action' : 'failed', error: event.left };
              } else if (event.right.type === 'done') {
                outcome = { type: 'member-done', target, outcome: 'synced' };
                const s = event.right.summary;
                summary.statements += s.statements;
                summary.downloaded += s.downloaded;
                summary.skipped += s.skipped;
                summary.bytes += s.bytes;
              }
            }),
            map((event): BatchItem => ({ type: 'member', target, event })),
          ),
          defer(() => {
            record(summary, outcome);
            return of(outcome);
          }),
        );
      });

    let items$: Observable<BatchItem>;
    if (inputs === 'all-members') {
      const cursor = allMembersCursor(client);
      let index = 0;
      let exhausted = false;
      // Each worker pulls the next member only when its current one is finished: the listing stays lazy.
      const worker$ = defer(() => cursor.next$).pipe(
        concatMap((c) => {
          if (c.kind === 'item') return run$(c.ref, index++);
          exhausted = true;
          return EMPTY;
        }),
        repeat({ delay: () => (exhausted ? EMPTY : of(0)) }),
      );
      const workers$ = range(0, concurrency).pipe(mergeMap(() => worker$));
      items$ = concat(
        workers$,
        defer(() => {
          const e = cursor.error();
          summary.listingError = e ?? null;
          return e ? of<BatchItem>({ type: 'listing-failed', error: e }) : EMPTY;
        }),
      );
    } else {
      items$ = from(inputs).pipe(mergeMap((input, i) => run$(input, i), concurrency));
    }
    return concat(items$, defer(() => of<BatchItem>({ type: 'batch-summary', ...summary })));
  });

interface MutableSummary {
  total: number;
  synced: number;
  needsUserAction: number;
  failed: number;
  statements: number;
  downloaded: number;
  skipped: number;
  bytes: number;
  listingError: MxError | null;
  needingAction: BatchProblem[];
  failures: BatchProblem[];
}

const newSummary = (): MutableSummary => ({
  total: 0, synced: 0, needsUserAction: 0, failed: 0, statements: 0, downloaded: 0, skipped: 0, bytes: 0,
  listingError: null, needingAction: [], failures: [],
});

const record = (s: MutableSummary, done: BatchMemberDone): void => {
  s.total += 1;
  if (done.outcome === 'synced') {
    s.synced += 1;
    return;
  }
  const problem: BatchProblem = {
    key: done.target.key,
    userGuid: done.target.userGuid,
    memberGuid: done.target.memberGuid,
    errorTag: done.error?._tag ?? 'UnexpectedStatus',
    message: done.error?.message ?? 'the run ended without done',
  };
  if (done.outcome === 'needs-user-action') {
    s.needsUserAction += 1;
    if (s.needingAction.length < MAX_SUMMARY_PROBLEMS) s.needingAction.push(problem);
  } else {
    s.failed += 1;
    if (s.failures.length < MAX_SUMMARY_PROBLEMS) s.failures.push(problem);
  }
};

/**
 * `fetchStatementsForMany$`: the workflow over many members, e.g. a nightly sync. Members are started as fast
 * as the client's rate limit can serve them (or `concurrency` at a time), fresh ones skip their statements job
 * (`maxAge`), members that failed in a way that may pass are tried again in later passes, and the listing of
 * 'all-members' retries until the run's deadline.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import { Observable, from, type ObservableInput, type Subscription } from 'rxjs';
import type { MxClient } from '../api/client.js';
import type { MemberRef } from '../api/refs.js';
import type { MxError, TaggedError } from '../core/errors.js';
import { optionNumber } from '../core/option-number.js';
import { backoffDelay } from '../http/backoff.js';
import type { RateLimiter } from '../http/rate-limiter.js';
import { PREFETCH_AFTER_MS, isMemberRef, memberAttempt$, withStatementsPriority, type AttemptContext, type AttemptReport } from './batch-member.js';
import { isTransientFailure, needsUserAction } from './batch-outcome.js';
import { newSummary, recordDone, recordSkippedUser, recordStatements, snapshotSummary } from './batch-summary.js';
import type { StatementEvent } from './events.js';
import { isExistingMemberInput, type FetchStatementsInput, type WorkflowOptions } from './input.js';
import { allMembersCursor, type CursorItem, type CursorRetry, type CursorSkip } from './member-cursor.js';

export { isTransientFailure, needsUserAction } from './batch-outcome.js';
export { MAX_SUMMARY_PROBLEMS } from './batch-summary.js';

/**
 * One unit of a batch: a full workflow input, or an existing member as `{ userGuid, memberGuid }`.
 *
 * @example
 * ```ts
 * import type { BatchInput } from 'mx-statements-rx';
 * const inputs: BatchInput[] = [{ userGuid: 'USR-1', memberGuid: 'MBR-1' }, { member: { userGuid: 'USR-2', memberGuid: 'MBR-2' } }];
 * ```
 */
export type BatchInput<SinkError extends TaggedError = never> = FetchStatementsInput<SinkError> | MemberRef;

/**
 * Options of {@link fetchStatementsForMany$}: how members are started and retried, and the options every member
 * shares.
 *
 * @example
 * ```ts
 * import type { BatchOptions } from 'mx-statements-rx';
 * const o: BatchOptions = { maxAge: 12 * 60 * 60_000, deadlineMs: 2 * 60 * 60_000, polling: { deadlineMs: 5 * 60_000 } };
 * ```
 */
export interface BatchOptions<SinkError extends TaggedError = never> extends Omit<WorkflowOptions<SinkError>, 'mfa'> {
  /**
   * The most members in flight at once. Default: with a client rate limit, none but 1 000
   * — a new member starts whenever fewer than about one second of requests' worth of members are still starting,
   * so members waiting on MX (costing only their polls) do not hold others back and the rate is the bound;
   * without a rate limit, 4.
   */
  readonly concurrency?: number;
  /** For full workflow inputs that do not say: `'reuse'` (default) or `'fail'` on a 409 creating the member. */
  readonly onConflict?: 'reuse' | 'fail';
  /**
   * Freshness, in ms: an existing member whose last successful statements job ended less than this long ago
   * (as the sink recorded it) skips the job — its statements are listed and only what is missing downloaded.
   * Needs `download.sink` with `lastStatementsJob$`/`recordStatementsJob$` (the Node disk sink and the memory
   * sink have them). Default: every member runs its job.
   */
  readonly maxAge?: number;
  /**
   * The run's deadline, in ms from subscription: the listing of 'all-members' retries until then, later passes
   * start only before it, and no member starts after it. Default 6 hours; `Infinity`
   * for none.
   */
  readonly deadlineMs?: number;
  /**
   * Passes in all: a member that failed in a way that may pass ({@link isTransientFailure}) is tried again, at
   * most `maxPasses - 1` more times, each after a wait (5 s, doubled each pass). Default
   * 5; 1 turns later passes off.
   */
  readonly maxPasses?: number;
  /** The wait before a member's second pass (doubled for each later one, at most 5 minutes). Default 5 s. */
  readonly passDelayMs?: number;
  /**
   * While a member's statements job runs (once it has run `afterMs`, default 5 s: short jobs are not worth it, and
   * only while no download, listing or job start waits for the limiter), download the statements MX already lists, with rate nothing
   * else needs (priority `prefetch`, under everything but status polls); the job's end stops it, and the workflow then lists again and downloads only what is new.
   * Default: on when the client has a rate limiter and downloads are on (without a limiter nothing tells spare
   * rate); `false` turns it off.
   */
  readonly prefetch?: boolean | { readonly afterMs: number };
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
export interface BatchMemberEvent<SinkError extends TaggedError = never> {
  readonly type: 'member';
  readonly target: BatchTarget;
  readonly event: E.Either<MxError | SinkError, StatementEvent>;
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
export interface BatchMemberDone<SinkError extends TaggedError = never> {
  readonly type: 'member-done';
  readonly target: BatchTarget;
  readonly outcome: MemberOutcome;
  readonly error?: MxError | SinkError;
  /** The pass that ended it (1: the first try). Always set by `fetchStatementsForMany$`. */
  readonly pass?: number;
  /** Its statements job was skipped: the last one was younger than `maxAge`. Always set by `fetchStatementsForMany$`. */
  readonly fresh?: boolean;
}

/**
 * A member failed in a way that may pass; it is tried again in a later pass, after `delayMs`.
 *
 * @example
 * ```ts
 * import type { BatchItem } from 'mx-statements-rx';
 * const line = (i: BatchItem) => (i.type === 'member-retry' ? `${i.target.key}: ${i.error._tag}, pass ${i.pass + 1} in ${i.delayMs} ms` : '');
 * ```
 */
export interface BatchMemberRetry<SinkError extends TaggedError = never> {
  readonly type: 'member-retry';
  readonly target: BatchTarget;
  /** The pass that failed (1: the first try). */
  readonly pass: number;
  readonly error: MxError | SinkError;
  readonly delayMs: number;
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
 * The 'all-members' listing skipped a user: a page of its members was refused in a way that would not pass (the
 * user deleted mid-run: 404). Its members are not synced; the listing went on with the next user.
 *
 * @example
 * ```ts
 * import type { BatchItem } from 'mx-statements-rx';
 * const line = (i: BatchItem) => (i.type === 'listing-skipped' ? `members of ${i.userGuid} not listed: ${i.error.message}` : '');
 * ```
 */
export interface BatchListingSkipped {
  readonly type: 'listing-skipped';
  readonly userGuid: string;
  readonly error: MxError;
}

/**
 * The 'all-members' listing ended: every member to sync has been listed, `total` in all (users skipped by the
 * listing not counted). Emitted once, when the listing is exhausted without a `listing-failed`; from then on the
 * run's size is known (for a progress bar or an ETA). The listing is lazy (a page is fetched only when the
 * members in hand are taken), so this comes when the last members are about to start, not at the beginning.
 *
 * @example
 * ```ts
 * import type { BatchItem } from 'mx-statements-rx';
 * const total = (i: BatchItem) => (i.type === 'listing-done' ? i.total : undefined);
 * ```
 */
export interface BatchListingDone {
  readonly type: 'listing-done';
  /** Members listed, in all: the members of this run. */
  readonly total: number;
}

/**
 * A page of the 'all-members' listing failed in a way that may pass; it is asked again after `delayMs`.
 *
 * @example
 * ```ts
 * import type { BatchItem } from 'mx-statements-rx';
 * const line = (i: BatchItem) => (i.type === 'listing-retry' ? `listing: ${i.error._tag}, retry ${i.attempt} in ${i.delayMs} ms` : '');
 * ```
 */
export interface BatchListingRetry {
  readonly type: 'listing-retry';
  readonly error: MxError;
  readonly attempt: number;
  readonly delayMs: number;
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
export interface BatchProblem<SinkError extends TaggedError = never> {
  readonly key: string;
  readonly userGuid: string | null;
  readonly memberGuid: string | null;
  readonly errorTag: MxError['_tag'] | SinkError['_tag'];
  readonly message: string;
}

/**
 * The last item of a batch.
 *
 * @example
 * ```ts
 * import type { BatchSummary } from 'mx-statements-rx';
 * const line = (s: BatchSummary) => `${s.synced} synced, ${s.needsUserAction} need action, ${s.failed} failed in ${s.passes ?? 1} passes`;
 * ```
 */
export interface BatchSummary<SinkError extends TaggedError = never> {
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
  /** Members that need their user (MFA, bad credentials, locked…), up to `MAX_SUMMARY_PROBLEMS` (1 000). */
  readonly needingAction: ReadonlyArray<BatchProblem<SinkError>>;
  /** Members that failed otherwise, up to `MAX_SUMMARY_PROBLEMS` (1 000). */
  readonly failures: ReadonlyArray<BatchProblem<SinkError>>;
  /** Passes it took: the highest pass any member reached (1: every member ended on its first try). Always set by `fetchStatementsForMany$`. */
  readonly passes?: number;
  /** Members that needed more than one pass. Always set by `fetchStatementsForMany$`. */
  readonly retried?: number;
  /** Members whose statements job was skipped (`maxAge`). Always set by `fetchStatementsForMany$`. */
  readonly fresh?: number;
  /** Members never started because the run's deadline came first (not counted in `total`). Always set by `fetchStatementsForMany$`. */
  readonly notStarted?: number;
  /** The run's deadline passed before every member ended its passes. Always set by `fetchStatementsForMany$`. */
  readonly deadlineReached?: boolean;
  /**
   * Users whose members could not be listed ('all-members': a page of members refused for good, e.g. the user
   * deleted mid-run), up to `MAX_SUMMARY_PROBLEMS`; their members are in no count. Always set by
   * `fetchStatementsForMany$`.
   */
  readonly skippedUsers?: ReadonlyArray<BatchProblem>;
}

/**
 * What a batch emits: every member's events (tagged with its target), a `member-retry` for each transient
 * failure that gets a later pass, one `member-done` per member, `listing-retry`/`listing-skipped`/`listing-done`
 * (or `listing-failed`) for the 'all-members' listing, and a final `batch-summary`.
 *
 * @example
 * ```ts
 * import type { BatchItem } from 'mx-statements-rx';
 * const onlyMember = (key: string) => (item: BatchItem) => 'target' in item && item.target.key === key;
 * ```
 */
export type BatchItem<SinkError extends TaggedError = never> =
  | BatchMemberEvent<SinkError>
  | BatchMemberRetry<SinkError>
  | BatchMemberDone<SinkError>
  | BatchListingRetry
  | BatchListingSkipped
  | BatchListingDone
  | BatchListingFailed
  | BatchSummary<SinkError>;


/**
 * The most members in flight by default when the client has a rate limiter (a bound on memory, not the pace).
 *
 * @example
 * ```ts
 * import { DEFAULT_MAX_IN_FLIGHT } from './batch.js';
 * DEFAULT_MAX_IN_FLIGHT; // 1000
 * ```
 */
export const DEFAULT_MAX_IN_FLIGHT = 1000;

/**
 * Members at once by default when the client has no rate limit.
 *
 * @example
 * ```ts
 * import { DEFAULT_CONCURRENCY_WITHOUT_RATE_LIMIT } from './batch.js';
 * DEFAULT_CONCURRENCY_WITHOUT_RATE_LIMIT; // 4
 * ```
 */
export const DEFAULT_CONCURRENCY_WITHOUT_RATE_LIMIT = 4;

/**
 * The run's default deadline: 6 hours.
 *
 * @example
 * ```ts
 * import { DEFAULT_BATCH_DEADLINE_MS } from './batch.js';
 * DEFAULT_BATCH_DEADLINE_MS / 3_600_000; // 6
 * ```
 */
export const DEFAULT_BATCH_DEADLINE_MS = 6 * 60 * 60_000;

/**
 * Passes in all, by default.
 *
 * @example
 * ```ts
 * import { DEFAULT_MAX_PASSES } from './batch.js';
 * DEFAULT_MAX_PASSES; // 5
 * ```
 */
export const DEFAULT_MAX_PASSES = 5;

/**
 * The wait before a member's second pass, by default (doubled for each later pass, at most 5 minutes).
 *
 * @example
 * ```ts
 * import { DEFAULT_PASS_DELAY_MS } from './batch.js';
 * DEFAULT_PASS_DELAY_MS; // 5000
 * ```
 */
export const DEFAULT_PASS_DELAY_MS = 5000;

const MAX_PASS_DELAY_MS = 5 * 60_000;

const targetOf = (input: BatchInput, index: number): BatchTarget => {
  if (isMemberRef(input)) return { index, key: `${input.userGuid}/${input.memberGuid}`, userGuid: input.userGuid, memberGuid: input.memberGuid };
  if (isExistingMemberInput(input)) {
    return { index, key: `${input.member.userGuid}/${input.member.memberGuid}`, userGuid: input.member.userGuid, memberGuid: input.member.memberGuid };
  }
  const user = 'guid' in input.user ? input.user.guid : input.user.id;
  const inst = 'code' in input.institution ? input.institution.code : input.institution.name;
  return { index, key: `user:${user}@${inst}`, userGuid: 'guid' in input.user ? input.user.guid : null, memberGuid: null };
};

/** The client's rate limiter, if it has one (a fake client may have no real transport). */
export const limiterOf = (client: MxClient): RateLimiter | undefined => {
  const limiter = (client.transport as { limiter?: unknown } | undefined)?.limiter as Partial<RateLimiter> | undefined;
  return typeof limiter?.acquire === 'function' && typeof limiter.backlog === 'function' ? limiter as RateLimiter : undefined;
};

const integer = (name: string, v: number | undefined, fallback: number, min: number): number => optionNumber(name, v, fallback, { min, integer: true });

const duration = (name: string, v: number | undefined, fallback: number): number => optionNumber(name, v, fallback, { min: 0, infinite: true });

/** A member waiting to start (or start again). */
interface Queued {
  readonly input: BatchInput;
  readonly target: BatchTarget;
  /** 1-based: the pass it is about to run. */
  readonly pass: number;
}

/**
 * Runs the statement workflow for many members, sharing the client (and so its rate limiter). Inputs are full
 * workflow inputs, existing members (`{ userGuid, memberGuid }`), or `'all-members'`: every member of every
 * user, listed lazily (a page is fetched only when the members in hand are taken), a failed page asked again
 * until the run's deadline, a user whose members cannot be listed for good skipped (`listing-skipped`).
 *
 * - **Pace.** With a client rate limit, the rate is the bound: members start while few are still starting, up to
 *   1 000 in flight (`concurrency` is an explicit cap). The limiter serves downloads and
 *   listings before job starts and status polls, so waiting members never starve finishing ones.
 * - **Fewest requests.** With `maxAge`, a member whose last statements job is younger lists its statements and
 *   downloads only what is missing (one request when all are saved). While a job runs, statements MX already
 *   lists are downloaded with spare rate (`prefetch`).
 * - **Every member completes.** A member that failed in a way that may pass is tried again in a later pass
 *   (`member-retry`), within `maxPasses` and the run's deadline; the summary says how many passes it took.
 *
 * Every member's events come tagged with its target; one member's failure or challenge never stops the others.
 * An existing member that turns CHALLENGED has no one to answer: it ends with `MfaRequired` and counts as
 * needing user action, never retried. Ends with a `batch-summary`. Cold; unsubscribing cancels every member's
 * run and every timer.
 *
 * @example
 * ```ts
 * import { createMxClient, fetchStatementsForMany$ } from 'mx-statements-rx';
 * import { writeStatements } from 'mx-statements-rx/node';
 *
 * const client = createMxClient({ environment: 'production', clientId: 'id', apiKey: 'key', rateLimit: { requestsPerSecond: 20 } });
 * fetchStatementsForMany$(client, 'all-members', { maxAge: 20 * 60 * 60_000, download: { sink: writeStatements('./statements') } })
 *   .subscribe((item) => {
 *     if (item.type === 'member-done' && item.outcome !== 'synced') console.warn(item.target.key, item.error?.message);
 *     if (item.type === 'batch-summary') console.log(`${item.synced} synced, ${item.needsUserAction} need action, ${item.failed} failed, ${item.passes} passes`);
 *   });
 * ```
 */
export const fetchStatementsForMany$ = <SinkError extends TaggedError = never>(
  client: MxClient,
  inputs: ObservableInput<BatchInput<SinkError>> | 'all-members',
  options: BatchOptions<SinkError> = {},
): Observable<BatchItem<Exclude<SinkError, MxError>>> =>
  // Exclude: TypeScript infers `MxError` for a sink without errors of its own; such a batch's items are BatchItem<never>.
  batch$(client, inputs as ObservableInput<BatchInput> | 'all-members', options as BatchOptions) as Observable<BatchItem<Exclude<SinkError, MxError>>>;

/** The batch itself; a sink's own errors travel as its `Left`s do. */
const batch$ = (client: MxClient, inputs: ObservableInput<BatchInput> | 'all-members', options: BatchOptions): Observable<BatchItem> =>
  new Observable<BatchItem>((subscriber) => {
    const { concurrency, onConflict, maxAge, deadlineMs, maxPasses, passDelayMs, prefetch, ...shared } = options;
    const limiter = limiterOf(client);
    const cap = integer('concurrency', concurrency, limiter ? DEFAULT_MAX_IN_FLIGHT : DEFAULT_CONCURRENCY_WITHOUT_RATE_LIMIT, 1);
    // Without a limiter, `concurrency` alone decides; with one, members start while fewer than ~1 s of requests'
    // worth are still starting (each needs one or two requests before its job runs).
    const startWindow = limiter && concurrency === undefined ? Math.max(4, Math.ceil(limiter.requestsPerSecond)) : Infinity;
    const passes = integer('maxPasses', maxPasses, DEFAULT_MAX_PASSES, 1);
    const firstPassDelay = duration('passDelayMs', passDelayMs, DEFAULT_PASS_DELAY_MS);
    const deadline = duration('deadlineMs', deadlineMs, DEFAULT_BATCH_DEADLINE_MS);
    if (maxAge !== undefined) {
      duration('maxAge', maxAge, 0);
      const sink = shared.download ? shared.download.sink : undefined;
      if (sink === undefined || typeof sink.lastStatementsJob$ !== 'function' || typeof sink.recordStatementsJob$ !== 'function') {
        throw new TypeError('maxAge: needs download.sink with lastStatementsJob$ and recordStatementsJob$ (the Node disk sink and createMemorySink() have them)');
      }
    }
    const scheduler = shared.scheduler ?? client.config.scheduler;
    const random = shared.random ?? client.config.random;
    const usePrefetch = (prefetch ?? limiter !== undefined) !== false && shared.download !== undefined && shared.download !== false;
    const prefetchAfterMs = typeof prefetch === 'object' ? duration('prefetch.afterMs', prefetch.afterMs, PREFETCH_AFTER_MS) : PREFETCH_AFTER_MS;
    const attempt: AttemptContext = {
      client,
      shared,
      onConflict,
      maxAge,
      prefetchClient: usePrefetch ? withStatementsPriority(client, 'prefetch') : undefined,
      prefetchAfterMs,
      limiter,
      scheduler,
    };
    const deadlineAt = scheduler.now() + deadline;
    const summary = newSummary();

    const buffer: Queued[] = [];
    const ready: Queued[] = [];
    const members = new Set<Subscription>();
    /** Members waiting for a later pass, by the timer that will queue them. */
    const waiting = new Map<Subscription, Queued & { readonly error: MxError }>();
    let inFlight = 0;
    let starting = 0;
    let sourceDone = false;
    let pulling: Subscription | undefined;
    let source: Subscription | undefined;
    let deadlinePassed = false;
    let finished = false;
    let index = 0;
    /** The failure the listing was retrying, if the deadline cut it short. */
    let lastListingError: MxError | undefined;
    let listingCut: MxError | undefined;

    const emit = (item: BatchItem): void => {
      if (!subscriber.closed) subscriber.next(item);
    };

    const cursor = inputs === 'all-members'
      ? allMembersCursor(client, {
        retryUntil: deadlineAt,
        scheduler,
        random,
        onRetry: (r: CursorRetry) => {
          lastListingError = r.error;
          emit({ type: 'listing-retry', error: r.error, attempt: r.attempt, delayMs: r.delayMs });
        },
        onSkip: (skip: CursorSkip) => {
          recordSkippedUser(summary, skip);
          emit({ type: 'listing-skipped', userGuid: skip.userGuid, error: skip.error });
        },
      })
      : undefined;

    const canStart = (): boolean => !deadlinePassed && inFlight < cap && starting < startWindow;

    let pumping = false;
    let again = false;
    /** Starts what may start; re-entrant calls are folded into the running one. */
    const pump = (): void => {
      if (pumping) {
        again = true;
        return;
      }
      pumping = true;
      try {
        do {
          again = false;
          while (!subscriber.closed && canStart()) {
            const next = ready.shift() ?? buffer.shift();
            if (next === undefined) {
              pull();
              break;
            }
            start(next);
          }
        } while (again && !subscriber.closed);
      } finally {
        pumping = false;
      }
      finishIfDone();
    };

    /** The cursor has nothing more: listed to the end (`listing-done`), or ended by an error (told by `listing-failed`). */
    const listingEnded = (): void => {
      if (sourceDone) return;
      sourceDone = true;
      if (cursor?.error() === undefined) emit({ type: 'listing-done', total: index });
    };

    /** Asks the cursor for the next member (one request for a member at a time). */
    const pull = (): void => {
      if (cursor === undefined || sourceDone || pulling !== undefined) return;
      let answered = false;
      const sub = cursor.next$.subscribe({
        next: (c: CursorItem) => {
          answered = true;
          pulling = undefined;
          if (c.kind === 'item') buffer.push({ input: c.ref, target: targetOf(c.ref, index++), pass: 1 });
          // The end is known as soon as the last member is handed out (not when the next one is asked for).
          if (c.kind === 'end' || cursor.exhausted()) listingEnded();
        },
        error: (err: unknown) => subscriber.error(err),
        complete: () => {
          if (!answered) sourceDone = true;
          pulling = undefined;
          pump();
        },
      });
      if (!answered && !sub.closed) pulling = sub;
    };

    const start = (q: Queued): void => {
      inFlight += 1;
      starting += 1;
      let counted = true;
      const report: AttemptReport = {
        result: undefined,
        fresh: false,
        started: () => {
          if (!counted) return;
          counted = false;
          starting -= 1;
          pump();
        },
      };
      let done = false;
      let sub: Subscription | undefined;
      const end = (): void => {
        if (done) return;
        done = true;
        if (sub !== undefined) members.delete(sub);
        inFlight -= 1;
        if (counted) {
          counted = false;
          starting -= 1;
        }
        ended(q, report);
        pump();
      };
      sub = memberAttempt$(attempt, q.input as FetchStatementsInput | MemberRef, report).subscribe({
        next: (event) => {
          if (E.isRight(event) && event.right.type === 'done') recordStatements(summary, event.right.summary);
          emit({ type: 'member', target: q.target, event });
        },
        error: (err: unknown) => subscriber.error(err),
        complete: end,
      });
      if (!done) members.add(sub);
    };

    /** A member's attempt ended: done, or a later pass. */
    const ended = (q: Queued, report: AttemptReport): void => {
      const result = report.result ?? { synced: false as const, error: unendedError(q) };
      if (!result.synced && isTransientFailure(result.error) && q.pass < passes) {
        const delayMs = backoffDelay(q.pass, { baseMs: firstPassDelay, maxMs: MAX_PASS_DELAY_MS, factor: 2 }, random);
        if (scheduler.now() + delayMs < deadlineAt) {
          emit({ type: 'member-retry', target: q.target, pass: q.pass, error: result.error, delayMs });
          const next: Queued = { ...q, pass: q.pass + 1 };
          const timer = scheduler.schedule(() => {
            waiting.delete(timer);
            ready.push(next);
            pump();
          }, delayMs);
          waiting.set(timer, { ...next, error: result.error });
          return;
        }
      }
      finishMember(q, result.synced ? undefined : result.error, report.fresh);
    };

    const finishMember = (q: Queued, error: MxError | undefined, fresh: boolean): void => {
      const done: BatchMemberDone = error === undefined
        ? { type: 'member-done', target: q.target, outcome: 'synced', pass: q.pass, fresh }
        : { type: 'member-done', target: q.target, outcome: needsUserAction(error) ? 'needs-user-action' : 'failed', error, pass: q.pass, fresh };
      recordDone(summary, done);
      emit(done);
    };

    const finishIfDone = (): void => {
      if (finished || subscriber.closed) return;
      if (!(sourceDone || deadlinePassed) || inFlight > 0 || pulling !== undefined || waiting.size > 0) return;
      if (!deadlinePassed && (buffer.length > 0 || ready.length > 0)) return;
      finished = true;
      summary.notStarted += buffer.length + ready.length;
      const listingError = cursor?.error() ?? listingCut;
      if (listingError !== undefined) {
        summary.listingError = listingError;
        emit({ type: 'listing-failed', error: listingError });
      }
      emit(snapshotSummary(summary, deadlinePassed));
      subscriber.complete();
    };

    const onDeadline = (): void => {
      deadlinePassed = true;
      // Members waiting for a later pass end with the failure they had.
      for (const [timer, w] of waiting) {
        timer.unsubscribe();
        finishMember(w, w.error, false);
      }
      waiting.clear();
      if (pulling !== undefined) {
        // The listing was still going (retrying a page, or fetching one): it ends here, with its last failure.
        listingCut = lastListingError ?? { _tag: 'Timeout', method: 'GET', path: '/users', timeoutMs: deadline, message: `the member listing did not finish within the run's deadline (${deadline} ms)` };
        pulling.unsubscribe();
        pulling = undefined;
      }
      source?.unsubscribe();
      sourceDone = true;
      finishIfDone();
    };

    const deadlineTimer = Number.isFinite(deadline) ? scheduler.schedule(onDeadline, deadline) : undefined;

    if (cursor === undefined) {
      source = from(inputs as ObservableInput<BatchInput>).subscribe({
        next: (input) => {
          buffer.push({ input, target: targetOf(input, index++), pass: 1 });
          pump();
        },
        error: (err: unknown) => subscriber.error(err),
        complete: () => {
          sourceDone = true;
          pump();
        },
      });
    } else pump();

    return () => {
      deadlineTimer?.unsubscribe();
      source?.unsubscribe();
      pulling?.unsubscribe();
      for (const t of waiting.keys()) t.unsubscribe();
      for (const m of members) m.unsubscribe();
      members.clear();
      waiting.clear();
    };
  });

/** The error of an attempt that completed without `done` or a `Left` (a bug in a custom input or sink). */
const unendedError = (q: Queued): MxError => ({
  _tag: 'UnexpectedStatus',
  method: 'GET',
  path: q.target.key,
  status: 0,
  message: `${q.target.key}: the run ended without done`,
});

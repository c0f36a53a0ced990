/**
 * One attempt at one member of a batch: the statements job skipped when the member is fresh (`maxAge`), or the
 * whole workflow, given a prefetch (the statements already listed, downloaded ahead while its job runs) and the
 * job's end recorded for the next run.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import { Observable, concatMap, defer, filter, map, of, tap, timer, type SchedulerLike } from 'rxjs';
import type { MxClient } from '../api/client.js';
import type { MemberRef } from '../api/refs.js';
import { statementsApi } from '../api/statements.js';
import type { MxError } from '../core/errors.js';
import type { MxObservable } from '../core/observable-either.js';
import type { RateLimiter, RequestPriority } from '../http/rate-limiter.js';
import type { ApiRequest, Transport } from '../http/transport.js';
import { toEither } from './either.js';
import type { StatementEvent } from './events.js';
import { fetchStatementsWithPrefetch$ } from './fetch-statements.js';
import { isExistingMemberInput, resolveContext, type FetchStatementsInput, type WorkflowOptions } from './input.js';
import { listAndDownload$, type JobPrefetch } from './member-run.js';
import { withRunSummary } from './run-summary.js';
import type { StatementSink } from './sink.js';

/** What a batch hands every attempt. */
export interface AttemptContext {
  readonly client: MxClient;
  /** The options every member shares (the batch's own options removed). */
  readonly shared: Omit<WorkflowOptions, 'mfa'>;
  readonly onConflict: 'reuse' | 'fail' | undefined;
  /** Skip the statements job when the last one ended less than this long ago. */
  readonly maxAge: number | undefined;
  /** The client whose statement calls wait at `prefetch` priority; `undefined`: no prefetch. */
  readonly prefetchClient: MxClient | undefined;
  /** A job still running this long after it started is prefetched (when the limiter has rate to spare). */
  readonly prefetchAfterMs: number;
  /** The client's limiter, whose backlog tells spare rate. */
  readonly limiter: RateLimiter | undefined;
  readonly scheduler: SchedulerLike;
}

/** How an attempt went, filled in as it runs. */
export interface AttemptReport {
  /** `undefined` until it ended: synced (`done`), or the error of its final `Left`. */
  result: { readonly synced: true } | { readonly synced: false; readonly error: MxError } | undefined;
  /** The statements job was skipped: the member was fresh. */
  fresh: boolean;
  /** Called once, when the member is past its start (job started, or statements being listed) or ended. */
  readonly started: () => void;
}

/** An existing member in a batch: `{ userGuid, memberGuid }`. */
export const isMemberRef = (input: unknown): input is MemberRef =>
  typeof (input as MemberRef).userGuid === 'string' && typeof (input as MemberRef).memberGuid === 'string' && !('member' in (input as object));

/** The workflow input of one batch input. */
export const fullInput = (c: AttemptContext, input: FetchStatementsInput | MemberRef): FetchStatementsInput =>
  isMemberRef(input)
    ? { ...c.shared, member: { userGuid: input.userGuid, memberGuid: input.memberGuid } }
    : { ...c.shared, ...(c.onConflict && !isExistingMemberInput(input) ? { onConflict: c.onConflict } : {}), ...input } as FetchStatementsInput;

/** The existing member an input names, if it names one. */
export const memberOf = (input: FetchStatementsInput | MemberRef): MemberRef | undefined =>
  isMemberRef(input) ? input : isExistingMemberInput(input) ? input.member : undefined;

/**
 * A view of `client` whose statement calls (list, download) wait for the rate limiter at `priority`. Shares
 * everything else: transport, limiter, configuration.
 */
export const withStatementsPriority = (client: MxClient, priority: RequestPriority): MxClient => {
  const t = client.transport;
  const at = (req: ApiRequest): ApiRequest => ({ ...req, priority });
  const transport: Transport = {
    ...t, // its limiter, and whatever else it tells
    json$: (req, codec, options) => t.json$(at(req), codec, options),
    empty$: (req) => t.empty$(at(req)),
    bytes$: (req, accept) => t.bytes$(at(req), accept),
  };
  return { ...client, statements: statementsApi(transport, client.config.apiVersion) };
};

/**
 * One attempt at one member, as `Either` events (a final `Left` on failure). `report` says how it ended.
 * Cold; unsubscribing cancels everything it started (a prefetch included).
 */
export const memberAttempt$ = (c: AttemptContext, input: FetchStatementsInput | MemberRef, report: AttemptReport): MxObservable<StatementEvent> =>
  defer(() => {
    const full = fullInput(c, input);
    const ref = memberOf(input);
    const sink = full.download ? full.download.sink : undefined;
    const last$: Observable<number | undefined> =
      c.maxAge !== undefined && ref !== undefined && sink?.lastStatementsJob$ !== undefined
        ? sink.lastStatementsJob$(ref).pipe(map((r) => (E.isRight(r) ? r.right : undefined)))
        : of(undefined);
    return last$.pipe(
      concatMap((last) => {
        if (last !== undefined && ref !== undefined && c.maxAge !== undefined && c.scheduler.now() - last < c.maxAge) {
          report.fresh = true;
          return freshRun$(c, full, ref);
        }
        return fetchStatementsWithPrefetch$(c.client, full, ref !== undefined ? jobPrefetch(c, full) : undefined).pipe(
          tap((event) => {
            // A statements job seen to end well is recorded for maxAge. One MX did not start ("too soon": a 202
            // that started nothing) is not: the listing is as of MX's last aggregation, which may not have been a
            // statements job.
            if (E.isRight(event) && event.right.type === 'connected') record(ref, sink, c.scheduler.now());
          }),
        );
      }),
      tap((event) => {
        if (E.isLeft(event)) report.result = { synced: false, error: event.left };
        else if (event.right.type === 'done') report.result = { synced: true };
        if (E.isLeft(event) || STARTED.has(event.right.type)) report.started();
      }),
    );
  });

/**
 * By default, a statements job still running this long after it started gets its statements downloaded ahead
 * (prefetch).
 *
 * @example
 * ```ts
 * import { PREFETCH_AFTER_MS } from './batch-member.js';
 * PREFETCH_AFTER_MS; // 5000
 * ```
 */
export const PREFETCH_AFTER_MS = 5000;

/** How often a long job's prefetch checks again for spare rate. */
const PREFETCH_RECHECK_MS = 1000;

/** Requests waiting for the limiter that finish, start or serve members (polls and prefetches aside). */
const othersWaiting = (limiter: RateLimiter): number => {
  const { finish, normal, start } = limiter.backlog().waiting;
  return finish + normal + start;
};

/**
 * Events after which a member no longer counts as starting: its job started, its statements are being listed, or
 * it waits for its person (an OAuth window: that may take up to `pendingTimeoutMs`).
 */
const STARTED: ReadonlySet<string> = new Set(['statements-job-started', 'oauth-required', 'statement-listed', 'connected', 'statements-job-unconfirmed', 'done']);

/** A fresh member: list its statements and download what is missing; no statements job, no polling. */
const freshRun$ = (c: AttemptContext, full: FetchStatementsInput, ref: MemberRef): MxObservable<StatementEvent> =>
  defer(() => {
    const ctx = resolveContext(c.client, full);
    return listAndDownload$(ctx, ref).pipe(withRunSummary(ref, ctx.download !== false), toEither());
  });

/**
 * The batch's prefetch of one run, if it has one: once the statements job has run `prefetchAfterMs`, and whenever
 * (checked each second) no download, listing or job start waits for the limiter — a saturated sync would only pay
 * a listing the workflow makes anyway — the statements MX lists already are downloaded at `prefetch` priority.
 */
const jobPrefetch = (c: AttemptContext, full: FetchStatementsInput): JobPrefetch | undefined => {
  if (c.prefetchClient === undefined || full.download === undefined || full.download === false) return undefined;
  const limiter = c.limiter;
  return {
    ctx: resolveContext(c.prefetchClient, full),
    start$: timer(c.prefetchAfterMs, PREFETCH_RECHECK_MS, c.scheduler).pipe(filter(() => limiter === undefined || othersWaiting(limiter) === 0)),
  };
};

/** Records a statements job's end for `maxAge`. Best effort: a time not recorded only means the next run starts a job. */
const record = (ref: MemberRef | undefined, sink: StatementSink | undefined, at: number): void => {
  if (ref === undefined || sink?.recordStatementsJob$ === undefined) return;
  sink.recordStatementsJob$(ref, at).subscribe({ error: () => undefined });
};

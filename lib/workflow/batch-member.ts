/**
 * One attempt at one member of a batch: the statements job skipped when the member is fresh (`maxAge`), or the
 * whole workflow, with the statements already listed downloaded ahead while its job runs (prefetch) and the
 * job's end recorded for the next run.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import {
  BehaviorSubject, EMPTY, Observable, concat, concatMap, defer, filter, map, of, take, tap, type SchedulerLike, type Subscription,
} from 'rxjs';
import type { MxClient } from '../api/client.js';
import type { MemberRef } from '../api/refs.js';
import { statementsApi } from '../api/statements.js';
import type { Statement } from '../codecs/index.js';
import type { MxError } from '../core/errors.js';
import type { RateLimiter, RequestPriority } from '../http/rate-limiter.js';
import type { ApiRequest, Transport } from '../http/transport.js';
import { downloadAll$, listStatements$ } from './download.js';
import { toEither } from './either.js';
import type { DoneEvent, StatementEvent, StatementListedEvent } from './events.js';
import { fetchStatements$ } from './fetch-statements.js';
import { isExistingMemberInput, resolveContext, type FetchStatementsInput, type WorkflowOptions } from './input.js';
import type { StatementSink } from './sink.js';
import type { MxObservable } from '../core/observable-either.js';

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
        return workflowRun$(c, full, ref, sink);
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

/** Events after which a member no longer counts as starting. */
const STARTED: ReadonlySet<string> = new Set(['statements-job-started', 'statement-listed', 'connected', 'statements-job-unconfirmed', 'done']);

/** A fresh member: list its statements and download what is missing; no statements job, no polling. */
const freshRun$ = (c: AttemptContext, full: FetchStatementsInput, ref: MemberRef): MxObservable<StatementEvent> =>
  defer(() => {
    const ctx = resolveContext(c.client, full);
    const d = ctx.download;
    const listed: Statement[] = [];
    let downloaded = 0;
    let skipped = 0;
    let bytes = 0;
    return concat(
      listStatements$(ctx, ref).pipe(
        tap((s) => listed.push(s)),
        map((statement): StatementListedEvent => ({ type: 'statement-listed', memberGuid: ref.memberGuid, statement })),
      ),
      d === false ? EMPTY : defer(() => downloadAll$(ctx, d, ref, listed)).pipe(tap((e) => {
        if (e.type === 'statement-downloaded') {
          downloaded += 1;
          bytes += e.bytes;
        } else if (e.type === 'statement-skipped') skipped += 1;
      })),
      defer(() => of<DoneEvent>({
        type: 'done',
        summary: {
          userGuid: ref.userGuid, memberGuid: ref.memberGuid, statements: listed.length, downloaded, skipped, bytes,
          polls: 0, mfaRounds: 0, downloadEnabled: d !== false,
        },
      })),
    ).pipe(toEither());
  });

/**
 * The whole workflow. With a prefetch client and a sink: once the statements job has run {@link PREFETCH_AFTER_MS},
 * the statements MX lists already are downloaded at `prefetch` priority (rate nothing else needs) until it ends; the workflow's own
 * download phase waits for that to stop, then skips what was saved. Those statements are reported once, as
 * downloaded (the workflow's `statement-skipped` for them is dropped and its `done` counts them as downloaded).
 * A successful job's end is recorded in the sink for `maxAge`.
 */
const workflowRun$ = (
  c: AttemptContext,
  full: FetchStatementsInput,
  ref: MemberRef | undefined,
  sink: StatementSink | undefined,
): MxObservable<StatementEvent> =>
  new Observable<E.Either<MxError, StatementEvent>>((subscriber) => {
    const prefetching = new BehaviorSubject(false);
    const prefetched = new Map<string, number>();
    let prefetch: Subscription | undefined;
    let prefetchDone = false;
    const prefetchClient = c.prefetchClient;

    let later: Subscription | undefined;
    const stopPrefetch = (): void => {
      prefetchDone = true;
      later?.unsubscribe();
      later = undefined;
      prefetch?.unsubscribe();
      prefetch = undefined;
      if (prefetching.value) prefetching.next(false);
    };
    const startPrefetch = (member: MemberRef, s: StatementSink): void => {
      if (prefetchDone || prefetchClient === undefined || full.download === undefined || full.download === false) return;
      const ctx = resolveContext(prefetchClient, { ...full, download: { ...full.download, sink: s, progress: false } });
      const d = ctx.download;
      if (d === false) return;
      prefetching.next(true);
      let ended = false;
      const end = (): void => {
        ended = true;
        prefetch = undefined;
        if (prefetching.value) prefetching.next(false);
      };
      const sub = listStatements$(ctx, member).pipe(
        concatMap((statement) => downloadAll$(ctx, d, member, [statement])),
      ).subscribe({
        next: (e) => {
          if (e.type !== 'statement-downloaded') return;
          prefetched.set(e.statementGuid, e.bytes);
          subscriber.next(E.right(e));
        },
        // A prefetch that fails is only work not done ahead: the workflow downloads (and reports) it.
        error: end,
        complete: end,
      });
      if (!ended) prefetch = sub;
    };

    // The workflow's download phase waits while a prefetch runs (its first step is `has$`).
    const gated: StatementSink | undefined = sink === undefined ? undefined : {
      ...bindSink(sink),
      has$: (target) => prefetching.pipe(filter((p) => !p), take(1), concatMap(() => sink.has$(target))),
    };
    const input: FetchStatementsInput = gated !== undefined && full.download ? { ...full, download: { ...full.download, sink: gated } } : full;

    const main = fetchStatements$(c.client, input).subscribe({
      next: (event) => {
        if (E.isLeft(event)) {
          stopPrefetch();
          subscriber.next(event);
          return;
        }
        const ev = event.right;
        switch (ev.type) {
          case 'statements-job-started':
            // Only a job still running a while after it started is worth working ahead of (a short one would
            // only add a listing), and only while the limiter has rate to spare: while downloads, listings or job
            // starts wait (a saturated sync), a prefetch would only cost a listing the workflow makes anyway.
            // Checked again every second until the job ends.
            if (ref !== undefined && sink !== undefined && prefetchClient !== undefined && later === undefined) {
              const tryStart = (): void => {
                later = undefined;
                if (prefetchDone) return;
                if (c.limiter !== undefined && othersWaiting(c.limiter) > 0) {
                  later = c.scheduler.schedule(tryStart, PREFETCH_RECHECK_MS);
                  return;
                }
                startPrefetch(ref, sink);
              };
              later = c.scheduler.schedule(tryStart, c.prefetchAfterMs);
            }
            break;
          case 'connected':
            stopPrefetch();
            record(ref, sink, c.scheduler.now());
            break;
          case 'statements-job-unconfirmed': {
            // MX started nothing ("too soon" after its last successful aggregation): what it lists is as of then.
            stopPrefetch();
            const at = ev.successfullyAggregatedAt === null ? NaN : Date.parse(ev.successfullyAggregatedAt);
            if (Number.isFinite(at)) record(ref, sink, at);
            break;
          }
          case 'statement-skipped':
            if (prefetched.has(ev.statementGuid)) return;
            break;
          case 'done':
            if (prefetched.size > 0) {
              const extra = [...prefetched.values()].reduce((n, b) => n + b, 0);
              const s = ev.summary;
              subscriber.next(E.right({ ...ev, summary: { ...s, downloaded: s.downloaded + prefetched.size, skipped: Math.max(0, s.skipped - prefetched.size), bytes: s.bytes + extra } }));
              return;
            }
            break;
          default:
            break;
        }
        subscriber.next(event);
      },
      error: (err: unknown) => {
        stopPrefetch();
        subscriber.error(err);
      },
      complete: () => {
        stopPrefetch();
        subscriber.complete();
      },
    });
    return () => {
      stopPrefetch();
      main.unsubscribe();
    };
  });

/** Records a statements job's end for `maxAge`. Best effort: a time not recorded only means the next run starts a job. */
const record = (ref: MemberRef | undefined, sink: StatementSink | undefined, at: number): void => {
  if (ref === undefined || sink?.recordStatementsJob$ === undefined) return;
  sink.recordStatementsJob$(ref, at).subscribe({ error: () => undefined });
};

/** The sink's methods bound to it (a spread would lose `this` for class-based sinks). */
const bindSink = (sink: StatementSink): StatementSink => ({
  has$: (t) => sink.has$(t),
  save$: (t, d) => sink.save$(t, d),
  ...(sink.lastStatementsJob$ ? { lastStatementsJob$: (m: MemberRef) => sink.lastStatementsJob$!(m) } : {}),
  ...(sink.recordStatementsJob$ ? { recordStatementsJob$: (m: MemberRef, at: number) => sink.recordStatementsJob$!(m, at) } : {}),
});

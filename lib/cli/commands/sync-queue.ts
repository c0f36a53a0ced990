/**
 * `sync --queue redis://…`: the members are queued (BullMQ on Redis) for `mx-statements worker` processes — any
 * number, on any machine that reaches Redis, the target and the output folder — and this process follows the whole
 * fleet: its live progress (members done of all, workers, running), one line per member that ended (with the
 * worker that ended it), and the fleet's summary. With no target the embedded sandbox runs here until the fleet is
 * done, and the first lines say how to start a worker against it.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import type { FileSystemError } from '../../node/fs-error.js';
import { map } from 'rxjs';
import type { FleetItem, FleetSummary, RedisRateLimiter } from '../../node/queue/index.js';
import type { BatchMemberDone, BatchSummary } from '../../workflow/index.js';
import { endWithFailure, toFailure } from '../cli-error.js';
import type { ExitCode } from '../exit-codes.js';
import { outputMode, type CliIO } from '../io.js';
import { checkRedisReachable } from '../queue-check.js';
import { memberDoneLine, renderBatchSummary } from '../render/batch.js';
import { scopeOf, showListingSkipped } from '../render/batch-view.js';
import { createRenderer } from '../render/index.js';
import type { BatchProgress, Renderer } from '../render/renderer.js';
import { plural } from '../render/text.js';
import { createRunAbort, drive, raceAbort } from '../run.js';
import type { SyncOptions } from '../sync-options.js';
import { DEFAULT_QUEUE_NAME } from '../sync-options.js';
import { openTarget, targetDescription, type OpenTarget } from '../target.js';
import { shellQuote } from './sandbox.js';
import { inputsText, readInputs, syncExitCode } from './sync-inputs.js';
import { SANDBOX_DEFAULTS } from '../../sandbox/options.js';

/** After this long with no worker on the queue, the run says so once. */
const NO_WORKER_HINT_MS = 10_000;

/**
 * The `worker` command that processes this run's members, as it can be pasted: the queue (its password masked:
 * the person adds it), the target, and the shared rate.
 *
 * @example
 * ```ts
 * import { workerCommand } from './sync-queue.js';
 *
 * workerCommand({ queue: 'redis://127.0.0.1:6379', queueName: 'mx-statements-sync', baseUrl: 'http://127.0.0.1:4010', clientId: 'sandbox-client-id', apiKey: 'sandbox-api-key' });
 * // 'MX_API_KEY=sandbox-api-key npx mx-statements worker --queue redis://127.0.0.1:6379 --base-url http://127.0.0.1:4010 --client-id sandbox-client-id'
 * ```
 */
export const workerCommand = (o: {
  readonly queue: string;
  readonly queueName: string;
  readonly baseUrl?: string;
  readonly env?: string;
  readonly clientId?: string;
  /** Written out only when it is public (the sandbox's default key). */
  readonly apiKey?: string;
  readonly rateLimit?: number;
  readonly apiVersion?: string;
}): string =>
  [
    ...(o.apiKey !== undefined ? [`MX_API_KEY=${shellQuote(o.apiKey)}`] : []),
    'npx mx-statements worker',
    `--queue ${shellQuote(o.queue)}`,
    ...(o.queueName !== DEFAULT_QUEUE_NAME ? [`--queue-name ${shellQuote(o.queueName)}`] : []),
    ...(o.baseUrl !== undefined ? [`--base-url ${shellQuote(o.baseUrl)}`] : []),
    ...(o.env !== undefined ? [`--env ${o.env}`] : []),
    ...(o.clientId !== undefined ? [`--client-id ${shellQuote(o.clientId)}`] : []),
    ...(o.apiVersion !== undefined ? [`--api-version ${o.apiVersion}`] : []),
    ...(o.rateLimit !== undefined ? [`--rate-limit ${o.rateLimit}`] : []),
  ].join(' ');

/** The fleet's member-done line: how the member ended, what it saved, and which worker ended it. */
const fleetMemberLine = (item: Extract<FleetItem, { type: 'fleet-member-done' }>, index: number) => {
  const done: BatchMemberDone<FileSystemError> = {
    type: 'member-done',
    target: { index, key: item.key, userGuid: item.userGuid, memberGuid: item.memberGuid },
    outcome: item.outcome,
    ...(item.error ? { error: item.error } : {}),
    pass: item.pass,
    fresh: item.fresh,
  };
  const line = memberDoneLine(done, { downloaded: item.downloaded, skipped: item.skipped, bytes: item.bytes });
  const why = item.error === undefined && item.reason !== undefined && item.outcome !== 'synced' ? ` (${item.reason})` : '';
  return { done, line: { ...line, text: `${line.text}${why} · ${item.worker}${item.attempt > 1 ? `, queue attempt ${item.attempt}` : ''}` } };
};

/** Shows the fleet's items; returns the summary once it came. */
const createFleetView = (renderer: Renderer, mode: ReturnType<typeof outputMode>, startedAt: number) => {
  let index = 0;
  let statements = 0;
  let bytes = 0;
  let progress: BatchProgress = { total: undefined, started: 0, synced: 0, needsUser: 0, failed: 0, statements: 0, bytes: 0, startedAt };
  return {
    show: (item: FleetItem): FleetSummary | undefined => {
      switch (item.type) {
        case 'fleet-member-done': {
          const { done, line } = fleetMemberLine(item, index++);
          statements += item.statements;
          bytes += item.bytes;
          const count = `${index} of ${progress.total ?? '?'} members done`;
          renderer.record(item, { ...line, text: `${line.text}${mode === 'plain' ? ` (${count})` : ''}` }, scopeOf(done.target));
          progress = { ...progress, statements, bytes };
          renderer.progress(progress);
          return undefined;
        }
        case 'fleet-progress':
          progress = {
            ...progress,
            total: item.total,
            started: item.done + item.active,
            synced: item.synced,
            needsUser: item.needsUserAction,
            failed: item.failed,
            workers: item.workers,
            running: item.active,
            listing: !item.listed,
          };
          renderer.record(item, undefined);
          renderer.progress(progress);
          return undefined;
        case 'fleet-summary':
          renderer.record(item, undefined);
          return item;
      }
    },
    workers: () => progress.workers,
  };
};

/**
 * Runs `sync --queue`: checks Redis, opens the target (the embedded sandbox stays up until the fleet is done),
 * queues the members (listing 'all-members' under the fleet's shared rate when `--rate-limit` is given), says how
 * to start a worker, then follows the run to its fleet summary. Never throws.
 *
 * @example
 * ```ts
 * import { runQueuedSync } from './sync-queue.js';
 * import { resolveSyncOptions } from '../sync-options.js';
 * import type { CliIO } from '../io.js';
 * declare const io: CliIO;
 *
 * const code = await runQueuedSync(resolveSyncOptions({ queue: 'redis://127.0.0.1:6379' }, process.env), io);
 * ```
 */
export const runQueuedSync = async (options: SyncOptions, io: CliIO): Promise<ExitCode> => {
  const queue = options.queue;
  if (queue === undefined) throw new TypeError('runQueuedSync: options.queue is required');
  io.redactor.addBasicAuth(options.clientId, options.apiKey);
  io.redactor.add(queue.password);
  const started = Date.now();
  const mode = outputMode(options.json, io.stderr);
  const renderer = createRenderer(mode, io, { command: 'sync', batch: true });
  const abort = createRunAbort(io.interrupt, options.timeoutMs, io.exitGuard);
  let target: OpenTarget | undefined;
  let limiter: RedisRateLimiter | undefined;
  let code: ExitCode;
  try {
    const inputs = await readInputs(options, abort.signal);
    const where = `queuing ${inputsText(inputs, options.membersFile)} on ${queue.shown} (queue ${queue.name}) for workers`;
    if (options.target.kind !== 'sandbox') renderer.note({ kind: 'progress', text: `Using ${targetDescription(options.target, options.apiVersion)}; ${where}` });
    await raceAbort(checkRedisReachable(queue), abort.signal);
    const { createRedisRateLimiter, enqueueMembers, watchSyncRun } = await import('../../node/queue/index.js');
    if (options.rateLimit !== undefined) {
      limiter = await raceAbort(createRedisRateLimiter({ url: queue.url, queue: queue.name, requestsPerSecond: options.rateLimit }), abort.signal);
    }
    const sandboxOptions = { seedUsers: options.seedUsers, ...(options.aggregationMs !== undefined ? { aggregationMs: options.aggregationMs } : {}) };
    const opening = openTarget(options, io.redactor, sandboxOptions, (notice) => renderer.retry(notice), limiter ? { rateLimiter: limiter } : {});
    target = await raceAbort(opening, abort.signal).catch((e: unknown) => {
      void opening.then((t) => t.close(), () => undefined);
      throw e;
    });
    if (options.target.kind === 'sandbox') renderer.note({ kind: 'progress', text: `Using ${target.description}; ${where}` });
    const t = options.target;
    const command = workerCommand({
      queue: queue.shown,
      queueName: queue.name,
      ...(t.kind === 'sandbox' ? { baseUrl: target.client.config.baseUrl, clientId: options.clientId ?? SANDBOX_DEFAULTS.clientId } : {}),
      ...(t.kind === 'sandbox' && options.apiKey === undefined ? { apiKey: SANDBOX_DEFAULTS.apiKey } : {}),
      ...(t.kind === 'url' ? { baseUrl: t.baseUrl } : {}),
      ...(t.kind === 'environment' ? { env: t.environment } : {}),
      ...(t.kind !== 'sandbox' && options.clientId !== undefined ? { clientId: options.clientId } : {}),
      ...(options.rateLimit !== undefined ? { rateLimit: options.rateLimit } : {}),
      ...(options.apiVersion !== undefined ? { apiVersion: options.apiVersion } : {}),
    });
    const needs = [
      ...(queue.password !== undefined ? ["the Redis password in place of ***"] : []),
      ...(t.kind !== 'sandbox' || options.apiKey !== undefined ? ['MX_API_KEY set'] : []),
    ];
    renderer.note({ kind: 'question', text: `To process them, run in other terminals (any number, each with its --out${needs.length ? `; with ${needs.join(' and ')}` : ''}):` });
    renderer.verbatim([`  ${command}`]);
    const run = await raceAbort(enqueueMembers({
      url: queue.url,
      queue: queue.name,
      members: inputs,
      client: target.client,
      onListingRetry: (r) => renderer.note({ kind: 'retry', text: `listing members: ${toFailure(r.error).message}; asked again in ${Math.round(r.delayMs / 100) / 10} s` }),
      onListingSkip: (skip) => showListingSkipped(renderer, mode, { type: 'listing-skipped', userGuid: skip.userGuid, error: skip.error }),
    }), abort.signal);
    renderer.record(
      { type: 'run-queued', runId: run.runId, total: run.total, queue: queue.name, redis: queue.shown, baseUrl: target.client.config.baseUrl, worker: command } as { type: string },
      { kind: 'done', text: `Queued ${plural(run.total, 'member')} as run ${run.runId}; waiting for the workers` },
    );
    if (run.listingError) renderer.note({ kind: 'fail', text: `listing members stopped early: ${toFailure(run.listingError).message}` });
    const view = createFleetView(renderer, mode, started);
    let summary: FleetSummary | undefined;
    let hinted = false;
    const outcome = await drive(
      watchSyncRun({ url: queue.url, queue: queue.name, runId: run.runId }).pipe(map((item) => E.right(item))),
      (item: FleetItem) => {
        summary = view.show(item) ?? summary;
        if (!hinted && item.type === 'fleet-progress' && item.workers === 0 && Date.now() - started > NO_WORKER_HINT_MS) {
          hinted = true;
          renderer.note({ kind: 'question', text: `No worker is on queue ${queue.name} yet: start one with the command above` });
        }
      },
      abort.signal,
      abort.failure,
    );
    if (outcome.ok && summary) {
      renderer.close();
      if (mode !== 'json') {
        const columns = io.stdout.isTTY === true ? io.stdout.columns : undefined;
        const { type: _type, runId, duplicates, attempts, workers, ...rest } = summary;
        const batch: BatchSummary<FileSystemError> = { type: 'batch-summary', ...rest };
        const text = renderBatchSummary(batch, {
          out: '',
          cwd: io.cwd,
          elapsedMs: Date.now() - started,
          ...(columns ? { columns } : {}),
          fleet: { runId, workers, duplicates, attempts },
        });
        io.stdout.write(`${text}\n`);
      }
      code = syncExitCode(summary);
    } else {
      const failure = outcome.ok ? toFailure(new Error('the fleet ended without a summary')) : outcome.failure;
      code = endWithFailure(renderer, failure);
    }
  } catch (e) {
    code = endWithFailure(renderer, toFailure(e));
  } finally {
    abort.dispose();
    await target?.close();
    await limiter?.close();
  }
  return code;
};

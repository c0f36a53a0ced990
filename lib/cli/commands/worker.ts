/**
 * `mx-statements worker --queue redis://…`: one process of a fleet. It takes the members `sync --queue` queued and
 * runs them through one long-lived batch (rate-bound under the fleet's shared `--rate-limit`, with `--max-age`,
 * prefetch and later passes), saving PDFs under `--out`, with the same live display as `sync`. Start any number,
 * on any machine that reaches Redis, the target and the output folder. SIGTERM finishes the members in hand and
 * exits 0; Ctrl-C stops at once (130: its members are taken again by another worker once their locks expire);
 * `--idle-exit` ends it (0) once the queue has had nothing to do for that long.
 *
 * @module
 */
import * as path from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import type { RedisRateLimiter, SyncWorker } from '../../node/queue/index.js';
import { writeStatements } from '../../node/index.js';
import type { CommandSpec, FlagSpec } from '../args/spec.js';
import { endWithFailure, toFailure } from '../cli-error.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { outputMode, type CliIO } from '../io.js';
import { checkOutDir, removeIfEmpty, sweepTempFilesSync, type OutDir } from '../out-dir.js';
import { checkRedisReachable } from '../queue-check.js';
import { createBatchTracker, showBatchItem } from '../render/batch-view.js';
import { displayPath, formatDuration } from '../render/format.js';
import { createRenderer } from '../render/index.js';
import { plural } from '../render/text.js';
import { createRunAbort, raceAbort } from '../run.js';
import { resolveWorkerOptions, DEFAULT_WORKER_CONCURRENCY, type RawWorkerFlags, type WorkerOptions } from '../sync-options.js';
import { downloadOptions, openTarget, targetDescription, workflowRetries, type OpenTarget } from '../target.js';
import { ALLOW_UNVERIFIED_FLAG, JSON_FLAG, OUT_FLAG, REQUEST_FLAGS, TARGET_FLAGS } from './shared-flags.js';
import { BATCH_GROUP, MAX_AGE_FLAG, QUEUE_GROUP, QUEUE_NAME_FLAG } from './sync-flags.js';

/** `worker`'s flags, in help order. */
export const WORKER_FLAGS: ReadonlyArray<FlagSpec> = [
  { name: 'queue', value: 'URL', help: 'the Redis the members were queued on by "sync --queue" (redis://HOST:PORT)', group: QUEUE_GROUP },
  QUEUE_NAME_FLAG,
  { name: 'idle-exit', value: 'DURATION', help: 'exit (0) once the queue has had nothing waiting or running for this long, e.g. 30s', default: 'run until Ctrl-C or SIGTERM', group: QUEUE_GROUP },
  // A worker has no embedded sandbox of its own: its members live at MX, or in the sandbox "sync --queue" printed.
  ...TARGET_FLAGS.map((f) => ({ ...f, group: 'Target (required: MX, or the sandbox "sync --queue" printed)' })),
  { name: 'concurrency', value: 'N', help: 'members this worker takes from the queue at once (the rate paces their requests)', default: String(DEFAULT_WORKER_CONCURRENCY), group: BATCH_GROUP },
  MAX_AGE_FLAG,
  ...REQUEST_FLAGS.map((f) => (f.name === 'rate-limit' ? { ...f, help: 'at most N requests per second for the whole fleet, shared through Redis (give every worker the same)' } : f)),
  OUT_FLAG,
  ALLOW_UNVERIFIED_FLAG,
  JSON_FLAG,
];

/** How often `--idle-exit` looks at the queue. */
const IDLE_POLL_MS = 1_000;

/** Resolves on the first SIGTERM; `dispose()` removes the listener. */
const onSigterm = (): { promise: Promise<void>; dispose(): void } => {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  const handler = () => resolve();
  process.once('SIGTERM', handler);
  return { promise, dispose: () => void process.removeListener('SIGTERM', handler) };
};

/**
 * Resolves once the queue has had no member waiting, delayed or running for `idleMs` (polling every second);
 * `dispose()` stops watching.
 */
const whenIdle = async (where: { url: string; queue: string }, idleMs: number): Promise<{ promise: Promise<void>; dispose(): Promise<void> }> => {
  const { loadQueuePeers } = await import('../../node/queue/peers.js');
  const { Queue, Redis } = await loadQueuePeers();
  const redis = new Redis(where.url, { maxRetriesPerRequest: null });
  redis.on('error', () => undefined);
  const queue = new Queue(where.queue, { connection: redis, prefix: 'mx-statements' });
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let idleSince: number | undefined;
  const promise = new Promise<void>((resolve) => {
    const tick = async () => {
      if (stopped) return;
      try {
        const c = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'paused');
        const busy = Object.values(c).reduce((n, v) => n + (v ?? 0), 0) > 0;
        idleSince = busy ? undefined : (idleSince ?? Date.now());
        if (idleSince !== undefined && Date.now() - idleSince >= idleMs) return resolve();
      } catch {
        idleSince = undefined; // Redis trouble is not idleness
      }
      if (!stopped) timer = setTimeout(() => void tick(), IDLE_POLL_MS);
    };
    void tick();
  });
  return {
    promise,
    dispose: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await queue.close().catch(() => undefined);
      await redis.quit().catch(() => redis.disconnect());
    },
  };
};

/**
 * Runs a worker until SIGTERM, `--idle-exit`, `--timeout` or Ctrl-C, and returns its exit code: 0 after SIGTERM or
 * `--idle-exit` (the members in hand finished), 124 / 130 otherwise. Never throws.
 *
 * @example
 * ```ts
 * import { runWorker } from './worker.js';
 * import { resolveWorkerOptions } from '../sync-options.js';
 * import type { CliIO } from '../io.js';
 * declare const io: CliIO;
 *
 * const code = await runWorker(resolveWorkerOptions({ queue: 'redis://127.0.0.1:6379', baseUrl: 'http://127.0.0.1:4010' }, process.env), io);
 * ```
 */
export const runWorker = async (options: WorkerOptions, io: CliIO): Promise<ExitCode> => {
  const { queue } = options;
  io.redactor.addBasicAuth(options.clientId, options.apiKey);
  io.redactor.add(queue.password);
  const started = Date.now();
  const mode = outputMode(options.json, io.stderr);
  const renderer = createRenderer(mode, io, { command: 'worker', batch: true });
  const abort = createRunAbort(io.interrupt, options.timeoutMs, io.exitGuard);
  const term = onSigterm();
  let target: OpenTarget | undefined;
  let limiter: RedisRateLimiter | undefined;
  let worker: SyncWorker | undefined;
  let idle: Awaited<ReturnType<typeof whenIdle>> | undefined;
  let out: OutDir | undefined;
  let sink: ReturnType<typeof writeStatements> | undefined;
  let removeSweep: (() => void) | undefined;
  const tracker = createBatchTracker(undefined, started);
  let code: ExitCode;
  try {
    const folder = `${displayPath(path.resolve(io.cwd, options.out), io.cwd)}/`;
    renderer.note({ kind: 'progress', text: `Using ${targetDescription(options.target, options.apiVersion)}; taking members from ${queue.shown} (queue ${queue.name}); PDFs go to ${folder}` });
    const checked = await raceAbort(checkOutDir(options.out, io.cwd), abort.signal);
    if (E.isLeft(checked)) throw checked.left;
    out = checked.right;
    const outPath = out.path;
    removeSweep = io.exitGuard.onForcedExit(() => void sweepTempFilesSync(outPath, started));
    await raceAbort(checkRedisReachable(queue), abort.signal);
    const { createRedisRateLimiter, startSyncWorker } = await import('../../node/queue/index.js');
    if (options.rateLimit !== undefined) {
      limiter = await raceAbort(createRedisRateLimiter({ url: queue.url, queue: queue.name, requestsPerSecond: options.rateLimit }), abort.signal);
    }
    target = await raceAbort(openTarget(options, io.redactor, {}, (notice) => renderer.retry(notice), limiter ? { rateLimiter: limiter } : {}), abort.signal);
    sink = writeStatements(out.path);
    renderer.progress(tracker.progress());
    worker = await raceAbort(startSyncWorker({
      url: queue.url,
      queue: queue.name,
      client: target.client,
      concurrency: options.concurrency,
      ...(options.maxAgeMs !== undefined ? { maxAge: options.maxAgeMs } : {}),
      ...workflowRetries(options),
      download: downloadOptions(options, sink, mode === 'tty'),
      onItem: (item) => void showBatchItem(item, { renderer, mode, tracker }),
    }), abort.signal);
    renderer.note({
      kind: 'done',
      text: `Worker ${worker.id} is taking members${options.idleExitMs !== undefined ? `; it exits once the queue is idle for ${formatDuration(options.idleExitMs)}` : '; SIGTERM finishes the members in hand, Ctrl-C stops at once'}`,
    });
    if (options.idleExitMs !== undefined) idle = await whenIdle({ url: queue.url, queue: queue.name }, options.idleExitMs);
    const aborted = new Promise<'abort'>((resolve) => {
      if (abort.signal.aborted) resolve('abort');
      else abort.signal.addEventListener('abort', () => resolve('abort'), { once: true });
    });
    const why = await Promise.race([
      term.promise.then(() => 'sigterm' as const),
      ...(idle ? [idle.promise.then(() => 'idle' as const)] : []),
      worker.closed.then(() => 'closed' as const),
      aborted,
    ]);
    if (why === 'abort') throw abort.failure() ?? { _tag: 'Interrupted', message: 'stopped' };
    if (why !== 'closed') {
      renderer.note({ kind: 'progress', text: why === 'idle' ? 'The queue is idle: finishing' : 'SIGTERM: finishing the members in hand' });
      await raceAbort(worker.close(), abort.signal);
    }
    await raceAbort(sink.idle(), abort.signal).catch(() => undefined);
    renderer.close();
    const s = worker.stats();
    if (mode !== 'json') {
      io.stdout.write(`Worker ${worker.id} done in ${formatDuration(Date.now() - started)}: ${plural(s.synced, 'member')} synced, ${s.needsUserAction} need their user, ${s.failed} failed, ${s.requeued} put back on the queue; ${plural(tracker.progress().statements, 'PDF')} in ${folder}\n`);
    } else {
      io.stdout.write(`${JSON.stringify({ type: 'worker-summary', worker: worker.id, ...s, statements: tracker.progress().statements })}\n`);
    }
    code = EXIT.ok;
  } catch (e) {
    code = endWithFailure(renderer, toFailure(e));
  } finally {
    term.dispose();
    abort.dispose();
    await idle?.dispose();
    // A worker still running here is being stopped (Ctrl-C, --timeout, a failure): its members go back to the queue.
    if (worker) await Promise.race([worker.close(), new Promise((r) => setTimeout(r, 1_000).unref())]);
    await sink?.idle();
    await target?.close();
    await limiter?.close();
    if (out && tracker.progress().statements === 0) await removeIfEmpty(out.created);
    removeSweep?.();
  }
  return code;
};

/**
 * The `worker` command.
 *
 * @example
 * ```ts
 * import { WORKER_COMMAND } from './worker.js';
 *
 * WORKER_COMMAND.name; // 'worker'
 * ```
 */
export const WORKER_COMMAND: CommandSpec = {
  name: 'worker',
  summary: 'process the members "sync --queue" queued in Redis (run any number of them)',
  description:
    'Takes the members queued by "mx-statements sync --queue" and syncs them as sync does — paced by the fleet\'s ' +
    'shared --rate-limit, skipping statements already saved and verified, with later passes for transient failures — ' +
    'saving PDFs under --out. Any number of workers, on any machine that reaches Redis, the target and the folder, ' +
    'share the work; a worker killed with kill -9 loses no member (another takes it once its lock expires). ' +
    'SIGTERM finishes the members in hand; --idle-exit ends it when the queue is empty. Needs bullmq and ioredis.',
  flags: WORKER_FLAGS,
  examples: [
    'worker --queue redis://127.0.0.1:6379 --base-url http://127.0.0.1:4010 --idle-exit 30s',
    'worker --queue redis://redis.internal:6379 --env production --rate-limit 50 --out /srv/statements',
  ],
  validate: (flags, env) => void resolveWorkerOptions(flags as RawWorkerFlags, env),
  run: async (flags, io) => runWorker(resolveWorkerOptions(flags as RawWorkerFlags, io.env), io),
};

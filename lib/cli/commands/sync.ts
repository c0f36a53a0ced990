/**
 * `mx-statements sync`: the batch over existing members — every member of every user, or the members of a
 * `--members` file — paced by the rate (`--rate-limit`; `--concurrency` is an explicit cap), with later passes for
 * members that failed transiently, `--max-age` freshness, and the webhook receiver (`--webhook-port`) waking the
 * polls; one live region of overall progress on a terminal and one summary at the end. With `--queue` the members
 * are queued for `worker` processes instead, and the progress and summary are the whole fleet's (sync-queue.ts).
 * With no target it runs against the embedded sandbox seeded with a few connected users.
 *
 * @module
 */
import * as path from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import type { FileSystemError } from '../../node/fs-error.js';
import { map } from 'rxjs';
import { writeStatements } from '../../node/index.js';
import type { SandboxOptions } from '../../sandbox/index.js';
import { DEFAULT_CONCURRENCY_WITHOUT_RATE_LIMIT, fetchStatementsForMany$, type BatchItem, type BatchSummary } from '../../workflow/index.js';
import type { CommandSpec, FlagSpec } from '../args/spec.js';
import { endWithFailure, toFailure } from '../cli-error.js';
import type { ExitCode } from '../exit-codes.js';
import { outputMode, type CliIO } from '../io.js';
import { checkOutDir, removeIfEmpty, sweepTempFilesSync, type OutDir } from '../out-dir.js';
import { renderBatchSummary } from '../render/batch.js';
import { createBatchTracker, showBatchItem, type BatchTracker } from '../render/batch-view.js';
import { displayPath } from '../render/format.js';
import { createRenderer } from '../render/index.js';
import { createRunAbort, drive, raceAbort } from '../run.js';
import { DEFAULT_SEED_USERS, resolveSyncOptions, type RawSyncFlags, type SyncOptions } from '../sync-options.js';
import { inputsText, paceText, readInputs, syncExitCode } from './sync-inputs.js';
import { downloadOptions, openTarget, targetDescription, workflowRetries, type OpenTarget } from '../target.js';
import { ALLOW_UNVERIFIED_FLAG, JSON_FLAG, OUT_FLAG, REQUEST_FLAGS, TARGET_FLAGS, TARGET_GROUP } from './shared-flags.js';
import { runQueuedSync } from './sync-queue.js';
import { BATCH_GROUP, MAX_AGE_FLAG, QUEUE_FLAGS } from './sync-flags.js';
import { startSyncWebhooks, WEBHOOK_FLAGS, type SyncWebhooks } from './sync-webhooks.js';

/** `sync`'s flags, in help order. */
export const SYNC_FLAGS: ReadonlyArray<FlagSpec> = [
  ...TARGET_FLAGS,
  {
    name: 'seed-users',
    value: 'N',
    help: 'users, each with one connected MX Bank member, the embedded sandbox starts with (no target only)',
    default: String(DEFAULT_SEED_USERS),
    group: TARGET_GROUP,
  },
  { name: 'aggregation-ms', value: 'MS', help: 'job length of the embedded sandbox (no target only)', default: '1000', group: TARGET_GROUP },
  { name: 'members', value: 'FILE', help: 'a file of user_guid,member_guid lines (# comments allowed)', default: 'every member of every user', group: BATCH_GROUP },
  {
    name: 'concurrency',
    value: 'N',
    help: 'an explicit cap on members in flight, 1 to 1000',
    default: `rate-bound with --rate-limit, else ${DEFAULT_CONCURRENCY_WITHOUT_RATE_LIMIT}`,
    group: BATCH_GROUP,
  },
  MAX_AGE_FLAG,
  ...WEBHOOK_FLAGS,
  ...QUEUE_FLAGS,
  ...REQUEST_FLAGS.map((f) => (f.name === 'rate-limit' ? { ...f, help: 'at most N requests per second for the whole run (with --queue: the whole fleet, shared through Redis)' } : f)),
  OUT_FLAG,
  ALLOW_UNVERIFIED_FLAG,
  JSON_FLAG,
];

/**
 * Runs `sync` and returns its exit code. Never throws.
 *
 * @example
 * ```ts
 * import { runSync } from './sync.js';
 * import { resolveSyncOptions } from '../sync-options.js';
 * import type { CliIO } from '../io.js';
 * declare const io: CliIO;
 *
 * const code = await runSync(resolveSyncOptions({ concurrency: '8' }, process.env), io);
 * ```
 */
export const runSync = async (options: SyncOptions, io: CliIO): Promise<ExitCode> => {
  if (options.queue) return runQueuedSync(options, io);
  io.redactor.addBasicAuth(options.clientId, options.apiKey);
  io.redactor.add(options.webhooks?.password);
  const started = Date.now();
  const mode = outputMode(options.json, io.stderr);
  const renderer = createRenderer(mode, io, { command: 'sync', batch: true });
  const abort = createRunAbort(io.interrupt, options.timeoutMs, io.exitGuard);
  let target: OpenTarget | undefined;
  let hooks: SyncWebhooks | undefined;
  let out: OutDir | undefined;
  let sink: ReturnType<typeof writeStatements> | undefined;
  let removeSweep: (() => void) | undefined;
  let code: ExitCode;
  let tracker: BatchTracker | undefined;
  try {
    const inputs = await readInputs(options, abort.signal);
    const where = `${inputsText(inputs, options.membersFile)}, ${paceText(options)}; PDFs go to ${displayPath(path.resolve(io.cwd, options.out), io.cwd)}/`;
    if (options.target.kind !== 'sandbox') renderer.note({ kind: 'progress', text: `Using ${targetDescription(options.target, options.apiVersion)}; syncing ${where}` });
    const checked = await raceAbort(checkOutDir(options.out, io.cwd), abort.signal);
    if (E.isLeft(checked)) throw checked.left;
    out = checked.right;
    const outPath = out.path;
    removeSweep = io.exitGuard.onForcedExit(() => void sweepTempFilesSync(outPath, started));
    // The receiver first: the embedded sandbox is told where to deliver.
    if (options.webhooks) {
      hooks = await raceAbort(startSyncWebhooks(options.webhooks, options.target.kind === 'sandbox', io.redactor, renderer), abort.signal);
    }
    const sandboxOptions: SandboxOptions = {
      seedUsers: options.seedUsers,
      ...(options.aggregationMs !== undefined ? { aggregationMs: options.aggregationMs } : {}),
      ...(hooks?.sandboxDelivery ? { webhooks: hooks.sandboxDelivery } : {}),
    };
    const opening = openTarget(options, io.redactor, sandboxOptions, (notice) => renderer.retry(notice));
    target = await raceAbort(opening, abort.signal).catch((e: unknown) => {
      void opening.then((t) => t.close(), () => undefined);
      throw e;
    });
    if (options.target.kind === 'sandbox') renderer.note({ kind: 'progress', text: `Using ${target.description}; syncing ${where}` });
    hooks?.announce();
    sink = writeStatements(out.path);
    const track = createBatchTracker(inputs === 'all-members' ? undefined : inputs.length, started);
    tracker = track;
    renderer.progress(track.progress());
    let summary: BatchSummary<FileSystemError> | undefined;
    const items$ = fetchStatementsForMany$(target.client, inputs, {
      ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
      ...(options.maxAgeMs !== undefined ? { maxAge: options.maxAgeMs } : {}),
      ...(hooks ? { wakeups: hooks.server.wakeups$ } : {}),
      ...workflowRetries(options),
      // With webhooks the library's failsafe pace applies (a webhook wakes the poll): the sandbox's fast one would
      // poll as if there were none.
      ...(target.polling && !hooks ? { polling: target.polling } : {}),
      download: downloadOptions(options, sink, mode === 'tty'),
    });
    const outcome = await drive(
      items$.pipe(map((item) => E.right(item))), // batch items are never Left
      (item: BatchItem<FileSystemError>) => {
        summary = showBatchItem(item, { renderer, mode, tracker: track }) ?? summary;
      },
      abort.signal,
      abort.failure,
    );
    await raceAbort(sink.idle(), abort.signal).catch(() => undefined);
    if (outcome.ok && summary) {
      renderer.close();
      if (mode !== 'json') {
        const columns = io.stdout.isTTY === true ? io.stdout.columns : undefined;
        const text = renderBatchSummary(summary, {
          out: options.out,
          cwd: io.cwd,
          elapsedMs: Date.now() - started,
          ...(columns ? { columns } : {}),
          unverified: track.unverified(),
          ...(hooks ? { webhooks: { ...hooks.counts(), polls: track.polls() } } : {}),
        });
        io.stdout.write(`${text}\n`);
      }
      code = syncExitCode(summary);
    } else {
      const failure = outcome.ok ? toFailure(new Error('the batch ended without a summary')) : outcome.failure;
      code = endWithFailure(renderer, failure);
    }
  } catch (e) {
    code = endWithFailure(renderer, toFailure(e));
  } finally {
    abort.dispose();
    await sink?.idle();
    // The sandbox first (it stops delivering), then the receiver.
    await target?.close();
    await hooks?.close();
    if (out && (tracker?.progress().statements ?? 0) === 0) await removeIfEmpty(out.created);
    removeSweep?.();
  }
  return code;
};

/**
 * The `sync` command.
 *
 * @example
 * ```ts
 * import { SYNC_COMMAND } from './sync.js';
 *
 * SYNC_COMMAND.name; // 'sync'
 * ```
 */
export const SYNC_COMMAND: CommandSpec = {
  name: 'sync',
  summary: 'fetch the statements of existing members, skipping those already saved (or queue them for workers)',
  description:
    'Runs the statements job for every member of every user (or the members of --members FILE), as fast as ' +
    '--rate-limit allows, and saves the PDFs not saved yet; a member that failed transiently is tried again in a ' +
    'later pass. A member that needs its user (MFA, new credentials) is reported, never retried in a loop. ' +
    '--max-age skips the job of members synced recently; --webhook-port wakes the polls with webhooks; --queue ' +
    'hands the members to "mx-statements worker" processes. With no --base-url or --env it runs against the ' +
    'embedded sandbox, seeded with a few users.',
  flags: SYNC_FLAGS,
  examples: [
    'sync',
    'sync --members members.csv --rate-limit 50',
    'sync --env production --out /srv/statements --max-age 20h',
    'sync --webhook-port 0',
    'sync --queue redis://127.0.0.1:6379',
  ],
  validate: (flags, env) => void resolveSyncOptions(flags as RawSyncFlags, env),
  run: async (flags, io) => runSync(resolveSyncOptions(flags as RawSyncFlags, io.env), io),
};

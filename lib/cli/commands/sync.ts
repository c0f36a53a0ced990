/**
 * `mx-statements sync`: the batch over existing members — every member of every user, or the members of a
 * `--members` file — `--concurrency` at a time, skipping statements already saved and verified, with one live
 * region of overall progress on a terminal and one summary at the end (synced, needing their user, failed).
 * With no target it runs against the embedded sandbox seeded with a few connected users.
 *
 * @module
 */
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import { map } from 'rxjs';
import type { MemberRef } from '../../api/refs.js';
import type { FileSystemError } from '../../node/fs-error.js';
import { writeStatements } from '../../node/index.js';
import { fetchStatementsForMany$, type BatchItem, type BatchSummary, type BatchTarget } from '../../workflow/index.js';
import type { CommandSpec, FlagSpec } from '../args/spec.js';
import { endWithFailure, toFailure } from '../cli-error.js';
import { EXIT, exitCodeFor, type ExitCode } from '../exit-codes.js';
import { outputMode, type CliIO } from '../io.js';
import { DEFAULT_CONCURRENCY, DEFAULT_SEED_USERS, parseMembersFile, resolveSyncOptions, type RawSyncFlags, type SyncOptions } from '../options.js';
import { checkOutDir, removeIfEmpty, sweepTempFilesSync, type OutDir } from '../out-dir.js';
import { memberDoneLine, renderBatchSummary, type MemberTally } from '../render/batch.js';
import { displayPath } from '../render/format.js';
import { plural } from '../render/text.js';
import { createRenderer } from '../render/index.js';
import type { BatchProgress, Scope } from '../render/renderer.js';
import { createRunAbort, drive, raceAbort } from '../run.js';
import { downloadOptions, openTarget, targetDescription, workflowRetries, type OpenTarget } from '../target.js';
import { JSON_FLAG, OUT_FLAG, REQUEST_FLAGS, TARGET_FLAGS, TARGET_GROUP } from './shared-flags.js';

const BATCH_GROUP = 'Batch';

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
  { name: 'concurrency', value: 'N', help: 'members at once, 1 to 64', default: String(DEFAULT_CONCURRENCY), group: BATCH_GROUP },
  ...REQUEST_FLAGS,
  OUT_FLAG,
  JSON_FLAG,
];

/**
 * Reads and parses the `--members` file. A read failure is a `FileSystemError` value (exit 8) naming the flag.
 *
 * @example
 * ```ts
 * import { readMembersFile } from './sync.js';
 *
 * const read = await readMembersFile('members.csv');
 * if (read._tag === 'Left') console.error(read.left.message); // --members members.csv: cannot be read: no such file or folder (ENOENT)
 * ```
 */
export const readMembersFile = async (file: string): Promise<E.Either<FileSystemError, MemberRef[]>> => {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const reason = err.code === 'ENOENT' ? 'no such file' : err.code === 'EISDIR' ? 'is a folder' : err.code === 'EACCES' ? 'permission denied' : 'failed';
    return E.left({
      _tag: 'FileSystemError',
      method: 'READ',
      path: path.resolve(file),
      message: `--members ${file}: cannot be read: ${reason}${err.code ? ` (${err.code})` : ''}`,
      ...(err.code ? { code: err.code } : {}),
    });
  }
  return E.right(parseMembersFile(text));
};

const scopeOf = (t: BatchTarget): Scope => ({ label: t.memberGuid ?? t.key, fields: { target: t.key } });

/**
 * The exit code of a finished sync: 0 when every member synced; the listing error's code when listing failed
 * and nothing else did; otherwise {@link EXIT.partial}.
 *
 * @example
 * ```ts
 * import { syncExitCode } from './sync.js';
 * import type { BatchSummary } from 'mx-statements-rx';
 * declare const summary: BatchSummary;
 *
 * syncExitCode({ ...summary, failed: 1 }); // 9
 * ```
 */
export const syncExitCode = (s: BatchSummary<FileSystemError>): ExitCode => {
  if (s.failed > 0 || s.needsUserAction > 0) return EXIT.partial;
  if (s.listingError) return exitCodeFor(s.listingError);
  return EXIT.ok;
};

/** Counts what the batch did so far, from its items: the overall progress and each member's tally. */
const createTracker = (total: number | undefined, startedAt: number) => {
  const tallies = new Map<number, { downloaded: number; skipped: number; bytes: number }>();
  let p: BatchProgress = { total, started: 0, synced: 0, needsUser: 0, failed: 0, statements: 0, bytes: 0, startedAt };
  const tally = (t: BatchTarget) => {
    let x = tallies.get(t.index);
    if (!x) {
      x = { downloaded: 0, skipped: 0, bytes: 0 };
      tallies.set(t.index, x);
      p = { ...p, started: p.started + 1 };
    }
    return x;
  };
  return {
    /** Updates the counts; `true` when the progress line changed. */
    add: (item: BatchItem<FileSystemError>): boolean => {
      if (item.type === 'member') {
        const before = p.started;
        const x = tally(item.target);
        const isNew = p.started !== before;
        if (E.isLeft(item.event)) return isNew;
        const ev = item.event.right;
        if (ev.type === 'statement-downloaded') {
          x.downloaded += 1;
          x.bytes += ev.bytes;
          p = { ...p, statements: p.statements + 1, bytes: p.bytes + ev.bytes };
          return true;
        }
        if (ev.type === 'statement-skipped') {
          x.skipped += 1;
          p = { ...p, statements: p.statements + 1, bytes: p.bytes + ev.bytes };
          return true;
        }
        return isNew;
      }
      if (item.type === 'member-done') {
        tally(item.target);
        if (item.outcome === 'synced') p = { ...p, synced: p.synced + 1 };
        else if (item.outcome === 'needs-user-action') p = { ...p, needsUser: p.needsUser + 1 };
        else p = { ...p, failed: p.failed + 1 };
        return true;
      }
      return false;
    },
    progress: (): BatchProgress => p,
    tally: (t: BatchTarget): MemberTally => tallies.get(t.index) ?? { downloaded: 0, skipped: 0, bytes: 0 },
  };
};

/**
 * Runs `sync` and returns its exit code. Never throws.
 *
 * @example
 * ```ts
 * import { runSync } from './sync.js';
 * import { resolveSyncOptions } from '../options.js';
 * import type { CliIO } from '../io.js';
 * declare const io: CliIO;
 *
 * const code = await runSync(resolveSyncOptions({ concurrency: '8' }, process.env), io);
 * ```
 */
export const runSync = async (options: SyncOptions, io: CliIO): Promise<ExitCode> => {
  io.redactor.addBasicAuth(options.clientId, options.apiKey);
  const started = Date.now();
  const mode = outputMode(options.json, io.stderr);
  const renderer = createRenderer(mode, io, { command: 'sync', batch: true });
  const abort = createRunAbort(io.interrupt, options.timeoutMs, io.exitGuard);
  let target: OpenTarget | undefined;
  let out: OutDir | undefined;
  let sink: ReturnType<typeof writeStatements> | undefined;
  let removeSweep: (() => void) | undefined;
  let code: ExitCode;
  let tracker: ReturnType<typeof createTracker> | undefined;
  try {
    let inputs: MemberRef[] | 'all-members' = 'all-members';
    if (options.membersFile !== undefined) {
      const read = await raceAbort(readMembersFile(options.membersFile), abort.signal);
      if (E.isLeft(read)) throw read.left;
      inputs = read.right;
    }
    const what = inputs === 'all-members' ? 'every member of every user' : `${inputs.length} member(s) from ${options.membersFile ?? ''}`;
    const where = `${what}, ${options.concurrency} at a time; PDFs go to ${displayPath(path.resolve(io.cwd, options.out), io.cwd)}/`;
    if (options.target.kind !== 'sandbox') renderer.note({ kind: 'progress', text: `Using ${targetDescription(options.target)}; syncing ${where}` });
    const checked = await raceAbort(checkOutDir(options.out, io.cwd), abort.signal);
    if (E.isLeft(checked)) throw checked.left;
    out = checked.right;
    const outPath = out.path;
    removeSweep = io.exitGuard.onForcedExit(() => void sweepTempFilesSync(outPath, started));
    const sandboxOptions = { seedUsers: options.seedUsers, ...(options.aggregationMs !== undefined ? { aggregationMs: options.aggregationMs } : {}) };
    const opening = openTarget(options, io.redactor, sandboxOptions, (notice) => renderer.retry(notice));
    target = await raceAbort(opening, abort.signal).catch((e: unknown) => {
      void opening.then((t) => t.close(), () => undefined);
      throw e;
    });
    if (options.target.kind === 'sandbox') renderer.note({ kind: 'progress', text: `Using ${target.description}; syncing ${where}` });
    sink = writeStatements(out.path);
    const track = createTracker(inputs === 'all-members' ? undefined : inputs.length, started);
    tracker = track;
    renderer.progress(track.progress());
    let summary: BatchSummary<FileSystemError> | undefined;
    const items$ = fetchStatementsForMany$(target.client, inputs, {
      concurrency: options.concurrency,
      ...workflowRetries(options),
      ...(target.polling ? { polling: target.polling } : {}),
      download: downloadOptions(options, sink, mode === 'tty'),
    });
    const outcome = await drive(
      items$.pipe(map((item) => E.right(item))), // batch items are never Left
      (item: BatchItem<FileSystemError>) => {
        const moved = track.add(item);
        switch (item.type) {
          case 'member':
            // A member's failure is shown once, by its member-done line.
            if (E.isRight(item.event)) renderer.event(item.event.right, scopeOf(item.target));
            else if (mode === 'json') renderer.failure(item.event.left, scopeOf(item.target));
            break;
          case 'member-done': {
            const line = memberDoneLine(item, track.tally(item.target));
            const p = track.progress();
            const done = p.synced + p.needsUser + p.failed;
            const tally = p.total !== undefined ? `${done} of ${plural(p.total, 'member')} done` : `${plural(done, 'member')} done`;
            const counted = mode === 'plain' ? { ...line, text: `${line.text} (${tally})` } : line;
            renderer.record(item, counted, scopeOf(item.target));
            break;
          }
          case 'listing-failed':
            renderer.record(item, { kind: 'fail', text: `listing members failed: ${toFailure(item.error).message}` });
            break;
          case 'batch-summary':
            summary = item;
            renderer.record(item, undefined);
            break;
        }
        if (moved) renderer.progress(track.progress());
      },
      abort.signal,
      abort.failure,
    );
    await raceAbort(sink.idle(), abort.signal).catch(() => undefined);
    if (outcome.ok && summary) {
      renderer.close();
      if (mode !== 'json') {
        const columns = io.stdout.isTTY === true ? io.stdout.columns : undefined;
        const text = renderBatchSummary(summary, { out: options.out, cwd: io.cwd, elapsedMs: Date.now() - started, ...(columns ? { columns } : {}) });
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
    await target?.close();
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
  summary: 'fetch the statements of existing members, skipping those already saved',
  description:
    'Runs the statements job for every member of every user (or the members of --members FILE), --concurrency at a ' +
    'time, and saves the PDFs not saved yet. A member that needs its user (MFA, new credentials) is reported, never ' +
    'retried in a loop. With no --base-url or --env it runs against the embedded sandbox, seeded with a few users.',
  flags: SYNC_FLAGS,
  examples: ['sync', 'sync --members members.csv --concurrency 8', 'sync --env production --out /srv/statements'],
  validate: (flags, env) => void resolveSyncOptions(flags as RawSyncFlags, env),
  run: async (flags, io) => runSync(resolveSyncOptions(flags as RawSyncFlags, io.env), io),
};

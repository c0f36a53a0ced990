/**
 * `mx-statements sync`: the batch over existing members — every member of every user, or the members of a
 * `--members` file — `--concurrency` at a time, skipping statements already saved and verified, ending with a
 * summary (synced, needing their user, failed). With no target it runs against the embedded sandbox seeded
 * with a few connected users.
 *
 * @module
 */
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { Command, Option } from 'commander';
import * as E from 'fp-ts/lib/Either.js';
import { map } from 'rxjs';
import type { MemberRef } from '../../api/refs.js';
import type { FileSystemError } from '../../core/errors.js';
import { writeStatements } from '../../node/index.js';
import { fetchStatementsForMany$, type BatchItem, type BatchSummary, type BatchTarget } from '../../workflow/index.js';
import { endWithFailure, toFailure } from '../cli-error.js';
import { EXIT, exitCodeFor, type ExitCode } from '../exit-codes.js';
import { outputMode, type CliIO } from '../io.js';
import {
  DEFAULT_CONCURRENCY, DEFAULT_SEED_USERS, DEMO, parseMembersFile, resolveSyncOptions, type RawSyncFlags, type SyncOptions,
} from '../options.js';
import { memberDoneLine, renderBatchSummary } from '../render/batch.js';
import { createRenderer } from '../render/index.js';
import type { Scope } from '../render/renderer.js';
import { createRunAbort, drive } from '../run.js';
import { downloadOptions, openTarget, workflowRetries, type OpenTarget } from '../target.js';
import type { CommandContext } from './context.js';
import { addOutputFlags, addTargetFlags, OUTPUT_GROUP, TARGET_GROUP } from './shared-flags.js';

/** Reads and parses the `--members` file. A read failure is a `FileSystemError` value (exit 8). */
export const readMembersFile = async (file: string): Promise<E.Either<FileSystemError, MemberRef[]>> => {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    return E.left({
      _tag: 'FileSystemError',
      method: 'READ',
      path: path.resolve(file),
      message: `--members: cannot read ${file}: ${err.code ?? ''} ${err.message ?? ''}`.trim(),
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
export const syncExitCode = (s: BatchSummary): ExitCode => {
  if (s.failed > 0 || s.needsUserAction > 0) return EXIT.partial;
  if (s.listingError) return exitCodeFor(s.listingError);
  return EXIT.ok;
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
  const mode = outputMode(options.json, io.stderr);
  const renderer = createRenderer(mode, io);
  const abort = createRunAbort(io.interrupt, options.timeoutMs);
  let target: OpenTarget | undefined;
  let sink: ReturnType<typeof writeStatements> | undefined;
  let code: ExitCode;
  try {
    let inputs: MemberRef[] | 'all-members' = 'all-members';
    if (options.membersFile !== undefined) {
      const read = await readMembersFile(options.membersFile);
      if (E.isLeft(read)) throw read.left;
      inputs = read.right;
    }
    target = await openTarget(options, io.redactor, { seedUsers: options.seedUsers });
    renderer.info(
      `Using the ${target.description}; syncing ${inputs === 'all-members' ? 'every member of every user' : `${inputs.length} member(s) from ${options.membersFile ?? ''}`}` +
        `, ${options.concurrency} at a time; PDFs go to ${options.out}`,
    );
    sink = writeStatements(options.out);
    let summary: BatchSummary | undefined;
    const items$ = fetchStatementsForMany$(target.client, inputs, {
      concurrency: options.concurrency,
      ...workflowRetries(options),
      download: downloadOptions(options, sink, mode === 'tty'),
    });
    const outcome = await drive(
      items$.pipe(map((item) => E.right(item))), // batch items are never Left
      (item: BatchItem) => {
        switch (item.type) {
          case 'member':
            // A member's failure is shown once, by its member-done line.
            if (E.isRight(item.event)) renderer.event(item.event.right, scopeOf(item.target));
            else if (mode === 'json') renderer.failure(item.event.left, scopeOf(item.target));
            return;
          case 'member-done':
            renderer.record(item, memberDoneLine(item), scopeOf(item.target));
            return;
          case 'listing-failed':
            renderer.record(item, { kind: 'fail', text: `listing members failed: ${toFailure(item.error).message}` });
            return;
          case 'batch-summary':
            summary = item;
            renderer.record(item, undefined);
            return;
        }
      },
      abort.signal,
      abort.failure,
    );
    await sink.idle();
    if (outcome.ok && summary) {
      renderer.close();
      if (mode !== 'json') io.stdout.write(`\n${renderBatchSummary(summary)}\n`);
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
  }
  return code;
};

/**
 * The `sync` subcommand.
 *
 * @example
 * ```ts
 * import { Command } from 'commander';
 * import { syncCommand } from './sync.js';
 * import type { CommandContext } from './context.js';
 * declare const ctx: CommandContext;
 *
 * const program = new Command('mx-statements');
 * program.addCommand(syncCommand(ctx));
 * ```
 */
export const syncCommand = (ctx: CommandContext): Command => {
  const batch = 'Batch:';
  const command = addTargetFlags(
    new Command('sync').description(
      'fetch the statements of existing members (every member of every user, or --members FILE), skipping those already saved',
    ),
  )
    .addOption(new Option('--seed-users <n>', `users the embedded sandbox starts with (no target only; default ${DEFAULT_SEED_USERS})`).helpGroup(TARGET_GROUP))
    .addOption(new Option('--members <file>', 'a file of user_guid,member_guid lines (# comments allowed)').helpGroup(batch))
    .addOption(new Option('--concurrency <n>', `members at once (default ${DEFAULT_CONCURRENCY})`).helpGroup(batch))
    .addOption(new Option('--out <dir>', `where PDFs go (default ${DEMO.out})`).helpGroup(OUTPUT_GROUP));
  return addOutputFlags(command).action(async (flags: RawSyncFlags) => {
    ctx.done(await runSync(resolveSyncOptions(flags, ctx.io.env), ctx.io));
  });
};

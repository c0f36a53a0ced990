/**
 * `mx-statements fetch`: one member's statements, end to end, with live progress, prompts and a summary.
 *
 * @module
 */
import { Command, Option } from 'commander';
import * as E from 'fp-ts/lib/Either.js';
import { Subject, concat, concatMap, defer, ignoreElements, of, tap, type Observable } from 'rxjs';
import type { ChallengeAnswer } from '../../codecs/index.js';
import type { MxError } from '../../core/errors.js';
import { writeStatements } from '../../node/index.js';
import { fetchStatements$, type StatementEvent } from '../../workflow/index.js';
import { endWithFailure, toFailure } from '../cli-error.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { isInteractive, outputMode, type CliIO } from '../io.js';
import { DEMO, resolveFetchOptions, type FetchOptions, type RawFetchFlags } from '../options.js';
import { answerRound, gatherCredentials, type PromptContext } from '../prompts.js';
import { createRenderer } from '../render/index.js';
import { createSummaryCollector, renderSummaryTable } from '../render/summary-table.js';
import { createRunAbort, drive } from '../run.js';
import { downloadOptions, openTarget, workflowRetries, type OpenTarget } from '../target.js';
import type { CommandContext } from './context.js';
import { addOutputFlags, addTargetFlags, collect, OUTPUT_GROUP, TARGET_GROUP } from './shared-flags.js';

/**
 * Runs `fetch` and returns its exit code. Never throws: every failure is rendered and mapped to a code.
 *
 * @example
 * ```ts
 * import { runFetch } from './fetch.js';
 * import { resolveFetchOptions } from '../options.js';
 * import type { CliIO } from '../io.js';
 * declare const io: CliIO;
 *
 * const code = await runFetch(resolveFetchOptions({}, process.env), io); // the offline demo
 * ```
 */
export const runFetch = async (options: FetchOptions, io: CliIO): Promise<ExitCode> => {
  io.redactor.add(options.password, ...options.mfaAnswers);
  io.redactor.addBasicAuth(options.clientId, options.apiKey);
  const mode = outputMode(options.json, io.stderr);
  const renderer = createRenderer(mode, io);
  const abort = createRunAbort(io.interrupt, options.timeoutMs);
  const summary = createSummaryCollector();
  const mfa = new Subject<ChallengeAnswer[]>();
  const answers = [...options.mfaAnswers];
  let target: OpenTarget | undefined;
  let sink: ReturnType<typeof writeStatements> | undefined;
  let code: ExitCode;
  try {
    target = await openTarget(options, io.redactor, options.aggregationMs !== undefined ? { aggregationMs: options.aggregationMs } : {});
    renderer.info(`Using the ${target.description}; ${options.download ? `PDFs go to ${options.out}` : 'listing only'}`);
    sink = writeStatements(options.out);
    const prompt: PromptContext = {
      interactive: isInteractive(io.stdin, io.stderr),
      input: io.stdin,
      output: io.stderr,
      signal: abort.signal,
      redactor: io.redactor,
      pause: () => renderer.suspend(),
      resume: () => renderer.resume(),
    };
    const known = {
      ...(options.username !== undefined ? { username: options.username } : {}),
      ...(options.password !== undefined ? { password: options.password } : {}),
    };
    const answerChallenges = (ev: StatementEvent): Observable<never> =>
      ev.type !== 'challenged'
        ? of()
        : defer(() => answerRound(ev.challenges, answers, prompt)).pipe(
          tap((round) => {
            // No answer left and nobody to ask: end the answers, so the workflow reports MfaRequired at once.
            if (round.kind === 'answers') mfa.next(round.answers);
            else mfa.complete();
          }),
          ignoreElements(),
        );
    const events$: Observable<E.Either<MxError, StatementEvent>> = fetchStatements$(target.client, {
      user: options.user,
      institution: options.institution,
      credentials: (fields) => gatherCredentials(fields, known, prompt),
      mfa,
      onConflict: options.onConflict,
      ...workflowRetries(options),
      download: options.download ? downloadOptions(options, sink, mode === 'tty') : false,
    }).pipe(concatMap((r) => (E.isRight(r) ? concat(of(r), answerChallenges(r.right)) : of(r))));

    const outcome = await drive(
      events$,
      (ev) => {
        summary.add(ev);
        renderer.event(ev);
      },
      abort.signal,
      abort.failure,
    );
    await sink.idle();
    if (outcome.ok) {
      renderer.close();
      if (mode !== 'json') io.stdout.write(`\n${renderSummaryTable(summary.rows(), io.cwd)}\n`);
      code = EXIT.ok;
    } else {
      code = endWithFailure(renderer, outcome.failure);
    }
  } catch (e) {
    code = endWithFailure(renderer, toFailure(e));
  } finally {
    abort.dispose();
    mfa.complete();
    await sink?.idle();
    await target?.close();
  }
  return code;
};

/**
 * The `fetch` subcommand.
 *
 * @example
 * ```ts
 * import { Command } from 'commander';
 * import { fetchCommand } from './fetch.js';
 * import type { CommandContext } from './context.js';
 * declare const ctx: CommandContext;
 *
 * const program = new Command('mx-statements');
 * program.addCommand(fetchCommand(ctx));
 * ```
 */
export const fetchCommand = (ctx: CommandContext): Command => {
  const member = 'Member (defaults: MX Bank test user, with the embedded sandbox):';
  const command = addTargetFlags(
    new Command('fetch').description("fetch one member's statement PDFs; with no target, runs offline against the embedded sandbox"),
  )
    .addOption(new Option('--aggregation-ms <ms>', 'job length of the embedded sandbox (no target only)').helpGroup(TARGET_GROUP))
    .addOption(new Option('--user-id <id>', `your id for the end user (created, or reused if it exists; default ${DEMO.userId})`).helpGroup(member))
    .addOption(new Option('--user-guid <guid>', 'an existing MX user (USR-…)').conflicts('userId').helpGroup(member))
    .addOption(new Option('--institution <name>', 'institution name to search (among those with statements)').helpGroup(member))
    .addOption(new Option('--institution-code <code>', `institution code (default ${DEMO.institutionCode})`).conflicts('institution').helpGroup(member))
    .addOption(new Option('--username <name>', 'login (asked on a terminal when missing)').helpGroup(member))
    .addOption(
      new Option('--password <password>', 'password (default: $MX_MEMBER_PASSWORD; asked on a terminal, hidden, when missing)').helpGroup(member),
    )
    .addOption(new Option('--mfa-answer <text>', 'answer to the next MFA question (repeatable, in order)').argParser(collect).helpGroup(member))
    .addOption(new Option('--on-conflict <mode>', 'when the member already exists: reuse it or fail').choices(['reuse', 'fail']).helpGroup(member))
    .addOption(new Option('--out <dir>', `where PDFs go (default ${DEMO.out})`).helpGroup(OUTPUT_GROUP))
    .addOption(new Option('--no-download', 'list the statements only').helpGroup(OUTPUT_GROUP));
  return addOutputFlags(command).action(async (flags: RawFetchFlags) => {
    const env = ctx.io.env;
    const password = flags.password ?? env['MX_MEMBER_PASSWORD'];
    const options = resolveFetchOptions({ ...flags, ...(password !== undefined ? { password } : {}) }, env);
    ctx.done(await runFetch(options, ctx.io));
  });
};

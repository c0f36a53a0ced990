/**
 * `mx-statements fetch`: one member's statements, end to end, with live progress, prompts and one summary.
 *
 * @module
 */
import * as path from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import { Subject, concat, concatMap, defer, ignoreElements, of, tap, type Observable } from 'rxjs';
import type { ChallengeAnswer } from '../../codecs/index.js';
import type { MxError } from '../../core/errors.js';
import type { FileSystemError } from '../../node/fs-error.js';
import { writeStatements } from '../../node/index.js';
import { fetchStatements$, type OAuthRequiredEvent, type StatementEvent } from '../../workflow/index.js';
import type { CommandSpec, FlagSpec, ParsedFlags } from '../args/spec.js';
import { endWithFailure, toFailure } from '../cli-error.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { isInteractive, outputMode, type CliIO } from '../io.js';
import { DEMO, resolveFetchOptions, type FetchOptions, type RawFetchFlags } from '../options.js';
import { checkOutDir, removeIfEmpty, sweepTempFilesSync, type OutDir } from '../out-dir.js';
import { answerRound, gatherCredentials, type PromptContext } from '../prompts/answers.js';
import { displayPath } from '../render/format.js';
import { createRenderer } from '../render/index.js';
import { createSummaryCollector, renderSummary } from '../render/summary.js';
import { createRunAbort, drive, raceAbort } from '../run.js';
import { downloadOptions, openTarget, targetDescription, workflowRetries, type OpenTarget } from '../target.js';
import { ALLOW_UNVERIFIED_FLAG, JSON_FLAG, OUT_FLAG, OUTPUT_GROUP, REQUEST_FLAGS, TARGET_FLAGS, TARGET_GROUP } from './shared-flags.js';
import { DEFAULT_OAUTH_PENDING_TIMEOUT_MS } from '../../workflow/input.js';
import { formatDuration } from '../render/format.js';
import { offerToOpen, type OAuthOffer } from '../oauth/offer.js';

const MEMBER_GROUP = "Member (defaults: MX Bank's test user, with the embedded sandbox)";
const OAUTH_GROUP = 'OAuth institutions (--institution-code mx_bank_oauth with the sandbox)';

/** `fetch`'s flags, in help order. */
export const FETCH_FLAGS: ReadonlyArray<FlagSpec> = [
  ...TARGET_FLAGS,
  { name: 'aggregation-ms', value: 'MS', help: 'job length of the embedded sandbox (no target only)', default: '1000', group: TARGET_GROUP },
  { name: 'user-id', value: 'ID', help: 'your id for the end user: created, or reused when it exists', default: DEMO.userId, group: MEMBER_GROUP },
  { name: 'user-guid', value: 'GUID', help: 'an existing MX user (USR-…) instead of --user-id', group: MEMBER_GROUP },
  { name: 'institution', value: 'NAME', help: 'institution name, searched among those with statements', group: MEMBER_GROUP },
  { name: 'institution-code', value: 'CODE', help: "the institution's code", default: DEMO.institutionCode, group: MEMBER_GROUP },
  { name: 'username', value: 'NAME', help: 'the login; asked on a terminal when missing (never for an OAuth bank)', default: `${DEMO.username} with the sandbox`, group: MEMBER_GROUP },
  {
    name: 'password',
    value: 'PASSWORD',
    secret: true,
    help: 'the password; asked on a terminal (hidden) when missing (never for an OAuth bank)',
    default: `$MX_MEMBER_PASSWORD, or ${DEMO.password} with the sandbox`,
    group: MEMBER_GROUP,
  },
  {
    name: 'mfa-answer',
    value: 'TEXT',
    secret: true,
    repeatable: true,
    help: 'the answer to the next MFA question (repeat it, in order); for a list, a choice\'s label or value',
    group: MEMBER_GROUP,
  },
  { name: 'on-conflict', value: 'MODE', choices: ['reuse', 'fail'], help: 'when the member already exists', default: 'reuse', group: MEMBER_GROUP },
  {
    name: 'oauth-redirect-url',
    value: 'URL',
    help: "OAuth institutions: where the bank's window sends the person afterwards (MX's client_redirect_url)",
    default: 'a page saying the window can be closed',
    group: OAUTH_GROUP,
  },
  {
    name: 'oauth-timeout',
    value: 'DURATION',
    help: 'OAuth institutions: how long to wait for the sign-in (PENDING), e.g. 10m, 2h, or none',
    default: formatDuration(DEFAULT_OAUTH_PENDING_TIMEOUT_MS),
    group: OAUTH_GROUP,
  },
  ...REQUEST_FLAGS,
  OUT_FLAG,
  ALLOW_UNVERIFIED_FLAG,
  { name: 'no-download', help: 'list the statements only', group: OUTPUT_GROUP },
  JSON_FLAG,
];

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
  const started = Date.now();
  const mode = outputMode(options.json, io.stderr);
  const renderer = createRenderer(mode, io, { command: 'fetch', oauthTimeoutMs: options.oauthTimeoutMs });
  const abort = createRunAbort(io.interrupt, options.timeoutMs, io.exitGuard);
  const summary = createSummaryCollector();
  const mfa = new Subject<ChallengeAnswer[]>();
  const answers = [...options.mfaAnswers];
  const interactive = isInteractive(io.stdin, io.stderr);
  let target: OpenTarget | undefined;
  let out: OutDir | undefined;
  let sink: ReturnType<typeof writeStatements> | undefined;
  let removeSweep: (() => void) | undefined;
  let saved = 0;
  let offer: OAuthOffer | undefined;
  let code: ExitCode;
  try {
    const where = options.download ? `PDFs go to ${displayPath(path.resolve(io.cwd, options.out), io.cwd)}/` : 'listing only';
    if (options.target.kind !== 'sandbox') renderer.note({ kind: 'progress', text: `Using ${targetDescription(options.target, options.apiVersion)}; ${where}` });
    if (options.download) {
      const checked = await raceAbort(checkOutDir(options.out, io.cwd), abort.signal);
      if (E.isLeft(checked)) throw checked.left;
      out = checked.right;
      const outPath = out.path;
      removeSweep = io.exitGuard.onForcedExit(() => void sweepTempFilesSync(outPath, started));
    }
    const opening = openTarget(
      options,
      io.redactor,
      options.aggregationMs !== undefined ? { aggregationMs: options.aggregationMs } : {},
      (notice) => renderer.retry(notice),
    );
    target = await raceAbort(opening, abort.signal).catch((e: unknown) => {
      void opening.then((t) => t.close(), () => undefined);
      throw e;
    });
    if (options.target.kind === 'sandbox') renderer.note({ kind: 'progress', text: `Using ${target.description}; ${where}` });
    sink = writeStatements(out?.path ?? options.out);
    const prompt: PromptContext = {
      interactive,
      input: io.stdin,
      output: io.stderr,
      signal: abort.signal,
      interrupt: io.raiseInterrupt,
      redactor: io.redactor,
      env: io.env,
      pause: () => renderer.suspend(),
      resume: () => renderer.resume(),
      note: (line) => renderer.note(line),
    };
    const known = {
      ...(options.username !== undefined ? { username: options.username } : {}),
      ...(options.password !== undefined ? { password: options.password } : {}),
    };
    const offerOAuth = (ev: OAuthRequiredEvent): OAuthOffer | undefined =>
      mode === 'tty' && interactive
        ? offerToOpen(ev.url, { machine: { platform: process.platform, env: io.env }, input: io.stdin, note: (line) => renderer.note(line), interrupt: io.raiseInterrupt })
        : undefined;
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
    const events$: Observable<E.Either<MxError | FileSystemError, StatementEvent>> = fetchStatements$(target.client, {
      user: options.user,
      institution: options.institution,
      credentials: (fields) => gatherCredentials(fields, known, prompt),
      mfa,
      onConflict: options.onConflict,
      oauth: {
        pendingTimeoutMs: options.oauthTimeoutMs,
        ...(options.oauthRedirectUrl !== undefined ? { clientRedirectUrl: options.oauthRedirectUrl } : {}),
        // The embedded sandbox's window tells how it ended: Cancel (or Deny) there ends the run at once.
        ...(target.oauthCompletions ? { completions: target.oauthCompletions } : {}),
      },
      ...workflowRetries(options),
      ...(target.polling ? { polling: target.polling } : {}),
      download: options.download ? downloadOptions(options, sink, mode === 'tty') : false,
    }).pipe(concatMap((r) => (E.isRight(r) ? concat(of(r), answerChallenges(r.right)) : of(r))));

    const outcome = await drive(
      events$,
      (ev) => {
        if (ev.type === 'statement-downloaded') saved += 1;
        // The OAuth wait ends with any step but a status poll: the Enter key goes back to whoever asks next.
        if (ev.type !== 'status') offer = offer?.stop();
        summary.add(ev);
        renderer.event(ev);
        if (ev.type === 'oauth-required') offer = offerOAuth(ev);
      },
      abort.signal,
      abort.failure,
    );
    await raceAbort(sink.idle(), abort.signal).catch(() => undefined);
    if (outcome.ok) {
      renderer.close();
      if (mode !== 'json') {
        const columns = io.stdout.isTTY === true ? io.stdout.columns : undefined;
        io.stdout.write(`${renderSummary(summary.rows(), { cwd: io.cwd, elapsedMs: Date.now() - started, ...(columns ? { columns } : {}) })}\n`);
      }
      code = EXIT.ok;
    } else {
      code = endWithFailure(renderer, outcome.failure);
    }
  } catch (e) {
    code = endWithFailure(renderer, toFailure(e));
  } finally {
    offer?.stop();
    abort.dispose();
    mfa.complete();
    await sink?.idle();
    await target?.close();
    if (out && saved === 0) await removeIfEmpty(out.created);
    removeSweep?.();
  }
  return code;
};

/** `fetch`'s options from its flags and the environment (`MX_MEMBER_PASSWORD` when no `--password`). */
const fetchOptions = (flags: ParsedFlags, env: Readonly<Record<string, string | undefined>>): FetchOptions => {
  const raw = flags as RawFetchFlags;
  const password = raw.password ?? env['MX_MEMBER_PASSWORD'];
  return resolveFetchOptions({ ...raw, ...(password !== undefined ? { password } : {}) }, env);
};

/**
 * The `fetch` command.
 *
 * @example
 * ```ts
 * import { FETCH_COMMAND } from './fetch.js';
 *
 * FETCH_COMMAND.flags.some((f) => f.name === 'mfa-answer'); // true
 * ```
 */
export const FETCH_COMMAND: CommandSpec = {
  name: 'fetch',
  summary: "fetch one member's statement PDFs (offline against the embedded sandbox with no target)",
  description:
    'Creates (or reuses) the user and the member, starts the statements job, answers MFA, then downloads, ' +
    'verifies and saves every statement PDF. With no --base-url or --env it runs offline against the embedded ' +
    "MX sandbox as MX Bank's test user.",
  flags: FETCH_FLAGS,
  examples: [
    'fetch',
    'fetch --password challenge --mfa-answer correct',
    'fetch --env integration --institution "MX Bank" --username mxuser',
  ],
  validate: (flags, env) => void fetchOptions(flags, env),
  run: async (flags, io) => runFetch(fetchOptions(flags, io.env), io),
};

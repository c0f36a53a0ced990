/**
 * Failures that belong to the CLI rather than to the library (bad usage, `--timeout`, Ctrl-C, a bug), their
 * exit codes, and the one-line text (with a hint) shown for any failure.
 *
 * @module
 */
import { describeError, isMxError, type MxError } from '../core/errors.js';
import { EXIT, exitCodeFor, type ExitCode } from './exit-codes.js';
import { UsageError } from './options.js';
import type { Renderer } from './render/renderer.js';

/** A failure of the CLI itself, shaped like an {@link MxError} (`_tag` + `message`) so output treats both alike. */
export type CliError =
  | { readonly _tag: 'UsageError'; readonly message: string; readonly flag?: string }
  | { readonly _tag: 'RunTimeout'; readonly message: string; readonly timeoutMs: number }
  | { readonly _tag: 'Interrupted'; readonly message: string }
  | { readonly _tag: 'PartialSync'; readonly message: string; readonly failed: number; readonly needsAction: number }
  | { readonly _tag: 'InternalError'; readonly message: string };

/** Anything a command can end with. */
export type Failure = MxError | CliError;

/**
 * Turns a thrown value into a {@link Failure}: a `UsageError` stays usage, an `MxError` value passes through,
 * an `MxConfigError` is usage (it names the bad setting), the rest is internal.
 *
 * @example
 * ```ts
 * import { toFailure } from './cli-error.js';
 * import { UsageError } from './options.js';
 *
 * toFailure(new UsageError('--out must not be empty', '--out'))._tag; // 'UsageError'
 * ```
 */
export const toFailure = (thrown: unknown): Failure => {
  if (thrown instanceof UsageError) return { _tag: 'UsageError', message: thrown.message, ...(thrown.flag ? { flag: thrown.flag } : {}) };
  if (isMxError(thrown)) return thrown;
  if (thrown instanceof Error && thrown.name === 'MxConfigError') return { _tag: 'UsageError', message: thrown.message };
  if (thrown instanceof Error && (thrown.name === 'ExitPromptError' || thrown.name === 'AbortPromptError')) {
    return { _tag: 'Interrupted', message: 'interrupted' };
  }
  const message = thrown instanceof Error ? `${thrown.name}: ${thrown.message}` : String(thrown);
  return { _tag: 'InternalError', message };
};

/**
 * The exit code of any failure.
 *
 * @example
 * ```ts
 * import { failureExitCode } from './cli-error.js';
 *
 * failureExitCode({ _tag: 'Interrupted', message: 'interrupted' }); // 130
 * ```
 */
export const failureExitCode = (f: Failure): ExitCode => {
  switch (f._tag) {
    case 'UsageError':
      return EXIT.usage;
    case 'RunTimeout':
      return EXIT.timeout;
    case 'Interrupted':
      return EXIT.interrupted;
    case 'PartialSync':
      return EXIT.partial;
    case 'InternalError':
      return EXIT.internal;
    default:
      return exitCodeFor(f);
  }
};

const hint = (f: Failure): string | undefined => {
  switch (f._tag) {
    case 'ConnectionFailed':
      if (f.connectionStatus === 'REJECTED') return 'the MFA answer was wrong';
      if (f.connectionStatus === 'DENIED') return 'the institution refused the username or password';
      if (f.connectionStatus === 'EXPIRED') return 'the MFA question was not answered in time';
      return undefined;
    case 'MfaRequired':
      return 'pass --mfa-answer (once per question) or run in a terminal to be asked';
    case 'Unauthorized':
      return 'check MX_CLIENT_ID / MX_API_KEY (or --client-id / --api-key)';
    case 'NetworkError':
      return 'is the host reachable? Check --base-url / --env';
    case 'MissingCredentials':
      return 'pass --username / --password, or run in a terminal to be asked';
    default:
      return undefined;
  }
};

/**
 * One line for a failure: `Tag: message — hint`.
 *
 * @example
 * ```ts
 * import { describeCliError } from './cli-error.js';
 *
 * describeCliError({ _tag: 'Interrupted', message: 'interrupted' }); // 'Interrupted: interrupted'
 * ```
 */
export const describeCliError = (f: Failure): string => {
  const text = isMxError(f) ? describeError(f) : `${f._tag}: ${f.message}`;
  const h = hint(f);
  return h ? `${text} — ${h}` : text;
};

/**
 * Ends a command on a failure: shows it, closes the renderer, and gives the exit code that goes with it.
 *
 * @example
 * ```ts
 * import { endWithFailure, toFailure } from './cli-error.js';
 * import type { ExitCode } from './exit-codes.js';
 * import type { Renderer } from './render/renderer.js';
 * declare const renderer: Renderer;
 * declare const run: () => Promise<ExitCode>;
 *
 * let code: ExitCode;
 * try {
 *   code = await run();
 * } catch (e) {
 *   code = endWithFailure(renderer, toFailure(e));
 * }
 * ```
 */
export const endWithFailure = (renderer: Pick<Renderer, 'failure' | 'close'>, failure: Failure): ExitCode => {
  renderer.failure(failure);
  renderer.close();
  return failureExitCode(failure);
};

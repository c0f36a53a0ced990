/**
 * Failures that belong to the CLI rather than to the library (bad usage, `--timeout`, Ctrl-C, a bug), their
 * exit codes, and the one-line text (with a hint) shown for any failure.
 *
 * @module
 */
import { isMxError, type MxError } from '../core/errors.js';
import { isFileSystemError, type FileSystemError } from '../node/fs-error.js';
import { EXIT, exitCodeFor, type ExitCode } from './exit-codes.js';
import { PromptInterrupted } from './prompts/ask.js';
import { failureText } from './render/failure.js';
import type { Renderer } from './render/renderer.js';
import { UsageError } from './usage-error.js';

/** A failure of the CLI itself, shaped like an {@link MxError} (`_tag` + `message`) so output treats both alike. */
export type CliError =
  | { readonly _tag: 'UsageError'; readonly message: string; readonly flag?: string }
  | { readonly _tag: 'RunTimeout'; readonly message: string; readonly timeoutMs: number }
  | { readonly _tag: 'Interrupted'; readonly message: string }
  | { readonly _tag: 'PartialSync'; readonly message: string; readonly failed: number; readonly needsAction: number }
  | { readonly _tag: 'QueueUnavailable'; readonly message: string; readonly code?: string }
  | { readonly _tag: 'InternalError'; readonly message: string };

/** Anything a command can end with. */
export type Failure = MxError | FileSystemError | CliError;

const CLI_TAGS: ReadonlySet<string> = new Set<CliError['_tag']>(['UsageError', 'RunTimeout', 'Interrupted', 'PartialSync', 'QueueUnavailable', 'InternalError']);

/**
 * Whether a value is a {@link CliError} (an abort's reason is one).
 *
 * @example
 * ```ts
 * import { isCliError } from './cli-error.js';
 *
 * isCliError({ _tag: 'RunTimeout', message: '--timeout', timeoutMs: 5000 }); // true
 * ```
 */
export const isCliError = (v: unknown): v is CliError =>
  typeof v === 'object' && v !== null && !(v instanceof Error) && CLI_TAGS.has(String((v as { _tag?: unknown })._tag)) &&
  typeof (v as { message?: unknown }).message === 'string';

/**
 * Turns a thrown value into a {@link Failure}: a `UsageError` stays usage, an `MxError` value passes through,
 * an `MxConfigError` is usage (it names the bad setting), Ctrl-C in a prompt is an interrupt, the rest is
 * internal.
 *
 * @example
 * ```ts
 * import { toFailure } from './cli-error.js';
 * import { UsageError } from './usage-error.js';
 *
 * toFailure(new UsageError('--out must not be empty', '--out'))._tag; // 'UsageError'
 * ```
 */
export const toFailure = (thrown: unknown): Failure => {
  if (isCliError(thrown)) return thrown;
  if (thrown instanceof UsageError) return { _tag: 'UsageError', message: thrown.message, ...(thrown.flag ? { flag: thrown.flag } : {}) };
  if (isMxError(thrown) || isFileSystemError(thrown)) return thrown;
  if (thrown instanceof Error && thrown.name === 'MxConfigError') return { _tag: 'UsageError', message: thrown.message };
  if (thrown instanceof PromptInterrupted) return { _tag: 'Interrupted', message: `stopped: ${thrown.message}; no partial file kept` };
  // BullMQ or ioredis missing (--queue, worker): a set-up problem the message says how to fix.
  if (thrown instanceof Error && thrown.name === 'MissingQueuePeersError') return { _tag: 'UsageError', message: thrown.message, flag: '--queue' };
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
 * failureExitCode({ _tag: 'Interrupted', message: 'stopped by Ctrl-C' }); // 130
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
    case 'QueueUnavailable':
      return EXIT.network;
    case 'InternalError':
      return EXIT.internal;
    default:
      return exitCodeFor(f);
  }
};

/**
 * One line for a failure: `Tag: what happened — what to do` (see {@link failureText}).
 *
 * @example
 * ```ts
 * import { describeCliError } from './cli-error.js';
 *
 * describeCliError({ _tag: 'Interrupted', message: 'stopped by Ctrl-C (SIGINT); no partial file kept' });
 * // 'Interrupted: stopped by Ctrl-C (SIGINT); no partial file kept'
 * ```
 */
export const describeCliError = (f: Failure): string => failureText(f);

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

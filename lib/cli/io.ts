/**
 * The process around a command — streams, environment, working directory, the redactor, the interrupt signal —
 * as one injectable value, and the output mode it implies.
 *
 * @module
 */
import type { ExitCode } from './exit-codes.js';
import type { Redactor } from './redact.js';
import type { TextStream } from './render/renderer.js';

/** A writable text stream with what the live display and the prompts need from a terminal. */
export type OutStream = TextStream & NodeJS.WritableStream;

/**
 * The last resort once a run is being stopped (Ctrl-C, `--timeout`): the process ends with the run's code after a
 * short grace, whatever is still pending (a file system call that never returns, a socket that never closes).
 */
export interface ExitGuard {
  /** The run is stopping with `code`: arm the forced exit. */
  stopping(code: ExitCode): void;
  /** Registers synchronous clean-up (temp files, the cursor) for a forced exit; returns its remover. */
  onForcedExit(cleanup: () => void): () => void;
}

/**
 * An {@link ExitGuard} that never forces anything (for running commands inside a test process).
 *
 * @example
 * ```ts
 * import { NO_EXIT_GUARD } from './io.js';
 *
 * NO_EXIT_GUARD.stopping(130); // nothing happens
 * ```
 */
export const NO_EXIT_GUARD: ExitGuard = { stopping: () => undefined, onForcedExit: () => () => undefined };

/** Everything a command touches outside itself. */
export interface CliIO {
  readonly stdout: OutStream;
  readonly stderr: OutStream;
  readonly stdin: NodeJS.ReadableStream & { readonly isTTY?: boolean };
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly redactor: Redactor;
  /** Aborted on SIGINT (Ctrl-C). */
  readonly interrupt: AbortSignal;
  /** Interrupts the run as SIGINT would (Ctrl-C inside a prompt, where the terminal is in raw mode). */
  readonly raiseInterrupt: () => void;
  /** Ends the process if stopping the run takes too long. */
  readonly exitGuard: ExitGuard;
}

/** How progress is shown. */
export type OutputMode = 'json' | 'tty' | 'plain';

/**
 * `json` with `--json`; `tty` when stderr is a terminal; `plain` otherwise.
 *
 * @example
 * ```ts
 * import { outputMode } from './io.js';
 *
 * outputMode(false, { isTTY: false }); // 'plain'
 * ```
 */
export const outputMode = (json: boolean, stderr: { readonly isTTY?: boolean }): OutputMode =>
  json ? 'json' : stderr.isTTY === true ? 'tty' : 'plain';

/**
 * Whether there is a person to ask: stdin and stderr (where prompts draw) are both terminals.
 *
 * @example
 * ```ts
 * import { isInteractive } from './io.js';
 *
 * isInteractive({ isTTY: true }, { isTTY: false }); // false
 * ```
 */
export const isInteractive = (stdin: { readonly isTTY?: boolean }, stderr: { readonly isTTY?: boolean }): boolean =>
  stdin.isTTY === true && stderr.isTTY === true;

/**
 * Whether to colour terminal output: on a TTY, unless `NO_COLOR` is set (https://no-color.org).
 *
 * @example
 * ```ts
 * import { useColor } from './io.js';
 *
 * useColor({ isTTY: true }, { NO_COLOR: '1' }); // false
 * ```
 */
export const useColor = (stream: { readonly isTTY?: boolean }, env: Readonly<Record<string, string | undefined>>): boolean =>
  stream.isTTY === true && (env['NO_COLOR'] ?? '') === '' && env['TERM'] !== 'dumb';

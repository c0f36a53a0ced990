/**
 * The process around a command — streams, environment, working directory, the redactor, the interrupt signal —
 * as one injectable value, and the output mode it implies.
 *
 * @module
 */
import type { Redactor } from './redact.js';
import type { TextStream } from './render/renderer.js';

/** A writable text stream with what cli-progress and @inquirer need from a terminal. */
export type OutStream = TextStream & NodeJS.WritableStream;

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

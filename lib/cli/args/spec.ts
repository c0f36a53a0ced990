/**
 * The declarative shape of the command line: each command is a table of flags, and the parser, the help, the
 * secret guard and the docs spec all read the same table. Adding a flag is one entry here plus one line in the
 * command's options resolver.
 *
 * @module
 */
import type { ExitCode } from '../exit-codes.js';
import type { CliIO } from '../io.js';

/**
 * One `--flag`. A flag with `value` takes one (`--out DIR`, `--out=DIR`); without, it is a switch.
 *
 * @example
 * ```ts
 * import type { FlagSpec } from './spec.js';
 *
 * const out: FlagSpec = { name: 'out', value: 'DIR', help: 'where PDFs go', default: './statements', group: 'Output' };
 * ```
 */
export interface FlagSpec {
  /** The long name without dashes (`base-url`); parsed values are keyed by its camelCase form (`baseUrl`). */
  readonly name: string;
  /** The value's placeholder in help (`URL`, `SECONDS`); absent for a switch. */
  readonly value?: string;
  /** One line for `--help` (wrapped to the terminal). */
  readonly help: string;
  /** The default as shown in help and docs, always as `(default: …)`. */
  readonly default?: string;
  /** The only values accepted; checked by the parser, shown as the placeholder (`integration|production`). */
  readonly choices?: ReadonlyArray<string>;
  /** May be given several times; the values are kept in order. */
  readonly repeatable?: boolean;
  /** The value is a secret (an API key, a password): registered with the redactor before anything else runs. */
  readonly secret?: boolean;
  /** The help heading it is listed under. */
  readonly group: string;
}

/**
 * The values of the flags given, by camelCase name: a string (or strings, when repeatable), or `true` for a
 * switch. Flags not given are absent.
 *
 * @example
 * ```ts
 * import type { ParsedFlags } from './spec.js';
 *
 * const flags: ParsedFlags = { baseUrl: 'http://127.0.0.1:4010', mfaAnswer: ['correct'], json: true };
 * ```
 */
export type ParsedFlags = Readonly<Record<string, string | ReadonlyArray<string> | true>>;

/**
 * A subcommand: its flags, its help text, and what runs it.
 *
 * @example
 * ```ts
 * import type { CommandSpec } from './spec.js';
 * import { EXIT } from '../exit-codes.js';
 *
 * const hello: CommandSpec = {
 *   name: 'hello',
 *   summary: 'say hello',
 *   description: 'Says hello.',
 *   flags: [],
 *   validate: () => undefined,
 *   run: async (_flags, io) => {
 *     io.stdout.write('hello\n');
 *     return EXIT.ok;
 *   },
 * };
 * ```
 */
export interface CommandSpec {
  readonly name: string;
  /** One line for the top-level command list. */
  readonly summary: string;
  /** The paragraph at the top of the command's help. */
  readonly description: string;
  readonly flags: ReadonlyArray<FlagSpec>;
  /** Example invocations for the help (without the program name). */
  readonly examples?: ReadonlyArray<string>;
  /**
   * Checks the flags' values as `run` would, without running anything (no I/O): throws the `UsageError` that
   * `run` would report. The docs spec uses it on every command the docs show.
   */
  readonly validate: (flags: ParsedFlags, env: Readonly<Record<string, string | undefined>>) => void;
  /** Runs the command with the parsed flags; returns its exit code and never throws for an expected failure. */
  readonly run: (flags: ParsedFlags, io: CliIO) => Promise<ExitCode>;
}

/**
 * `base-url` → `baseUrl`: the key of a flag's value in {@link ParsedFlags}.
 *
 * @example
 * ```ts
 * import { flagKey } from './spec.js';
 *
 * flagKey('no-download'); // 'noDownload'
 * ```
 */
export const flagKey = (name: string): string => name.replace(/-([a-z0-9])/g, (_m, c: string) => c.toUpperCase());

/**
 * How a flag is written in help and docs: `--out DIR`, `--env integration|production`, `--json`.
 *
 * @example
 * ```ts
 * import { flagUsage } from './spec.js';
 *
 * flagUsage({ name: 'env', value: 'NAME', choices: ['integration', 'production'], help: '', group: '' }); // '--env integration|production'
 * ```
 */
export const flagUsage = (f: FlagSpec): string =>
  f.value === undefined ? `--${f.name}` : `--${f.name} ${f.choices ? f.choices.join('|') : f.value}`;

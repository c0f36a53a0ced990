/**
 * `--help` text, built from the same flag tables the parser reads and wrapped to the terminal's width. The
 * exit-code table is shown once, in the top-level help.
 *
 * @module
 */
import { EXIT_TABLE } from '../exit-codes.js';
import { displayWidth, wrapLine } from '../render/text.js';
import { flagUsage, type CommandSpec, type FlagSpec } from './spec.js';

/** The program's name, as typed. */
export const PROGRAM = 'mx-statements';

const DEFAULT_WIDTH = 80;
const MAX_WIDTH = 100;

const usableWidth = (columns: number | undefined): number =>
  Math.min(MAX_WIDTH, columns !== undefined && columns > 0 ? columns - 1 : DEFAULT_WIDTH - 1);

const paragraph = (text: string, width: number, indent = ''): string[] =>
  text.split('\n').flatMap((line) => wrapLine(`${indent}${line}`, width, { indent }));

/** The width of the term column for these terms: the longest that fits in 30 columns, plus the gaps. */
const termColumn = (terms: ReadonlyArray<string>): number => Math.max(...terms.map((t) => displayWidth(t)).filter((w) => w <= 30), 4) + 4;

/** Two columns: a term (flag, command) and its text, wrapped under its own column; a longer term gets a line of its own. */
const twoColumns = (rows: ReadonlyArray<readonly [string, string]>, width: number, termWidth = termColumn(rows.map(([t]) => t))): string[] => {
  const narrow = width - termWidth < 30;
  return rows.flatMap(([term, text]) => {
    if (narrow || displayWidth(term) + 4 > termWidth) {
      return [`  ${term}`, ...wrapLine(`${' '.repeat(6)}${text}`, width, { indent: ' '.repeat(6) })];
    }
    const first = `  ${term}`.padEnd(termWidth);
    return wrapLine(`${first}${text}`, width, { indent: ' '.repeat(termWidth) });
  });
};

/**
 * A flag's help line: its text, then `(default: …)` when it has one.
 *
 * @example
 * ```ts
 * import { flagHelp } from './help.js';
 *
 * flagHelp({ name: 'out', value: 'DIR', help: 'where PDFs go', default: './statements', group: 'Output' });
 * // 'where PDFs go (default: ./statements)'
 * ```
 */
export const flagHelp = (f: FlagSpec): string => (f.default !== undefined ? `${f.help} (default: ${f.default})` : f.help);

/**
 * The help of one command: usage, description, the flags by group, examples, and where the exit codes are.
 *
 * @example
 * ```ts
 * import { commandHelp } from './help.js';
 * import type { CommandSpec } from './spec.js';
 * declare const fetch: CommandSpec;
 *
 * process.stdout.write(commandHelp(fetch, process.stdout.columns));
 * ```
 */
export const commandHelp = (command: CommandSpec, columns?: number): string => {
  const width = usableWidth(columns);
  const lines = [`Usage: ${PROGRAM} ${command.name} [flags]`, '', ...paragraph(command.description, width)];
  const groups = [...new Set(command.flags.map((f) => f.group))];
  const termWidth = termColumn(command.flags.map(flagUsage));
  for (const group of groups) {
    lines.push('', ...paragraph(`${group}:`, width));
    lines.push(...twoColumns(command.flags.filter((f) => f.group === group).map((f) => [flagUsage(f), flagHelp(f)] as const), width, termWidth));
  }
  lines.push('', 'Help:', ...twoColumns([['--help', 'show this help']], width, termWidth));
  // Examples are never wrapped: each stays one command to copy (the terminal soft-wraps a long one).
  if (command.examples?.length) lines.push('', 'Examples:', ...command.examples.map((e) => `  ${PROGRAM} ${e}`));
  lines.push('', ...paragraph(`Exit codes: listed by \`${PROGRAM} --help\`.`, width));
  return `${lines.join('\n')}\n`;
};

/**
 * The top-level help: the commands, the global flags, and the exit-code table.
 *
 * @example
 * ```ts
 * import { programHelp } from './help.js';
 * import type { CommandSpec } from './spec.js';
 * declare const commands: ReadonlyArray<CommandSpec>;
 *
 * process.stdout.write(programHelp(commands, '0.1.0', 80));
 * ```
 */
export const programHelp = (commands: ReadonlyArray<CommandSpec>, version: string, columns?: number): string => {
  const width = usableWidth(columns);
  const lines = [
    `Usage: ${PROGRAM} <command> [flags]`,
    '',
    ...paragraph(
      `Fetch bank statement PDFs through the MX Platform API (version ${version} of mx-statements-rx). With no target, ` +
        '`fetch` and `sync` run offline against an embedded MX sandbox.',
      width,
    ),
    '',
    'Commands:',
    ...twoColumns(commands.map((c) => [c.name, c.summary] as const), width),
    '',
    'Flags:',
    ...twoColumns([['--help, -h', 'show help (also after a command: mx-statements fetch --help)'], ['--version, -V', 'show the version']], width),
    '',
    'Exit codes:',
    ...twoColumns(EXIT_TABLE.map((r) => [String(r.code).padStart(3), r.meaning] as const), width),
  ];
  return `${lines.join('\n')}\n`;
};

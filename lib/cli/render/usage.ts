/**
 * The one format of a usage error, wherever it is found (the parser, an options resolver, a prompt that has
 * no terminal): the command, the message naming the flag, and where the flags are listed.
 *
 * @module
 */
import { PROGRAM } from '../args/help.js';
import { terminalSafe } from './text.js';

/**
 * The text of a usage error for `command` (none: the program itself), two lines with the final newline.
 *
 * @example
 * ```ts
 * import { usageErrorText } from './usage.js';
 *
 * usageErrorText('fetch', '--timeout must be a positive number of seconds, got "soon"');
 * // 'mx-statements fetch: --timeout must be a positive number of seconds, got "soon"\n' +
 * // 'Run "mx-statements fetch --help" for the flags.\n'
 * ```
 */
export const usageErrorText = (command: string | undefined, message: string): string => {
  const name = command ? `${PROGRAM} ${command}` : PROGRAM;
  return `${name}: ${terminalSafe(message)}\nRun "${name} --help" for the ${command ? 'flags' : 'commands'}.\n`;
};

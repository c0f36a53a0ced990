/**
 * The one kind of failure that is the user's to fix on the command line.
 *
 * @module
 */

/**
 * A usage mistake: an unknown flag, a bad value, flags that conflict, a required value missing. Exit code 2.
 * The message names the flag at fault and reads as a sentence after the command's name.
 *
 * @example
 * ```ts
 * import { UsageError } from './usage-error.js';
 *
 * throw new UsageError('--timeout must be a positive number of seconds, got "soon"', '--timeout');
 * ```
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  /** @param flag the flag at fault (e.g. `--timeout`), when there is one. */
  constructor(message: string, readonly flag?: string) {
    super(message);
  }
}

/**
 * What each subcommand's action receives from `main`.
 *
 * @module
 */
import type { ExitCode } from '../exit-codes.js';
import type { CliIO } from '../io.js';

/** The process around the command, and where to report its exit code. */
export interface CommandContext {
  readonly io: CliIO;
  /** Records the exit code of the command that ran. */
  done(code: ExitCode): void;
}

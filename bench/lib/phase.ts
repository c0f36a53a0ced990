/** What every phase script shares: its flags, and how it reports its result to `bench/run.ts`. */
import { parseArgs, type BenchArgs } from './args.js';
import { RESULT_PREFIX } from './child.js';

/** Progress for the person watching (stderr, so stdout stays machine-readable). */
export const log = (message: string): void => {
  process.stderr.write(`  ${message}\n`);
};

/**
 * Runs a phase: parses the flags, awaits `body`, prints its result as one prefixed JSON line and exits (0, or
 * 1 with the error on stderr).
 */
export const runPhase = (name: string, body: (args: BenchArgs) => Promise<unknown>): void => {
  const args = parseArgs(process.argv.slice(2));
  body(args).then(
    (result) => {
      process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`, () => process.exit(0));
    },
    (err: unknown) => {
      process.stderr.write(`bench ${name} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    },
  );
};

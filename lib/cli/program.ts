/**
 * The program: the command table (`fetch`, `sync`, `worker`, `sandbox`), help and version, and the one place usage errors
 * found while parsing are printed (exit 2).
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { commandHelp, programHelp } from './args/help.js';
import { parseCommandLine, secretValues } from './args/parse.js';
import type { CommandSpec } from './args/spec.js';
import { FETCH_COMMAND } from './commands/fetch.js';
import { SANDBOX_COMMAND } from './commands/sandbox.js';
import { SYNC_COMMAND } from './commands/sync.js';
import { WORKER_COMMAND } from './commands/worker.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import type { CliIO } from './io.js';
import { jsonLine } from './render/json.js';
import { terminalSafe } from './render/text.js';
import { usageErrorText } from './render/usage.js';
import { UsageError } from './usage-error.js';

/**
 * Every command, in help order. A new command is one {@link CommandSpec} added here.
 *
 * @example
 * ```ts
 * import { COMMANDS } from './program.js';
 *
 * COMMANDS.map((c) => c.name); // ['fetch', 'sync', 'worker', 'sandbox']
 * ```
 */
export const COMMANDS: ReadonlyArray<CommandSpec> = [FETCH_COMMAND, SYNC_COMMAND, WORKER_COMMAND, SANDBOX_COMMAND];

/**
 * The package's version, from package.json.
 *
 * @example
 * ```ts
 * import { packageVersion } from './program.js';
 *
 * packageVersion(); // '0.1.0'
 * ```
 */
export const packageVersion = (): string => {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
};

/**
 * The values of secret flags (`--api-key`, `--password`, `--mfa-answer`, both forms) in `words`, to register
 * with the redactor before anything runs.
 *
 * @example
 * ```ts
 * import { argvSecrets } from './program.js';
 *
 * argvSecrets(['fetch', '--api-key', 'k-123']); // ['k-123']
 * ```
 */
export const argvSecrets = (words: ReadonlyArray<string>): string[] => secretValues(words, COMMANDS);

/**
 * Parses `argv` (as `process.argv`: node, script, …) and runs the command. Returns the exit code: the command's
 * own, 0 for `--help`/`--version`, 2 for any usage error (which names the flag).
 *
 * @example
 * ```ts
 * import { runCli } from './program.js';
 * import type { CliIO } from './io.js';
 * declare const io: CliIO;
 *
 * process.exitCode = await runCli(process.argv, io);
 * ```
 */
export const runCli = async (argv: ReadonlyArray<string>, io: CliIO): Promise<ExitCode> => {
  const words = argv.slice(2);
  const named = COMMANDS.find((c) => c.name === words[0]);
  const usage = (e: UsageError): ExitCode => {
    if (words.includes('--json')) io.stdout.write(jsonLine({ type: 'error', error: { _tag: 'UsageError', message: e.message, ...(e.flag ? { flag: e.flag } : {}) } } as { type: string }));
    io.stderr.write(usageErrorText(named?.name, e.message));
    return EXIT.usage;
  };
  try {
    const parsed = parseCommandLine(words, COMMANDS);
    switch (parsed.kind) {
      case 'help':
        io.stdout.write(parsed.command ? commandHelp(parsed.command, io.stdout.columns) : programHelp(COMMANDS, packageVersion(), io.stdout.columns));
        return EXIT.ok;
      case 'version':
        io.stdout.write(`${packageVersion()}\n`);
        return EXIT.ok;
      case 'run':
        return await parsed.command.run(parsed.flags, io);
    }
  } catch (e) {
    if (e instanceof UsageError) return usage(e);
    const text = `mx-statements: unexpected error (a bug, please report it): ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`;
    io.stderr.write(`${text.split('\n').map(terminalSafe).join('\n')}\n`);
    return EXIT.internal;
  }
};

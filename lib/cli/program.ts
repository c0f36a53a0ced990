/**
 * The commander program: `fetch`, `sync`, `sandbox`, help with the exit-code table, usage errors → exit 2.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { fetchCommand } from './commands/fetch.js';
import { sandboxCommand } from './commands/sandbox.js';
import { syncCommand } from './commands/sync.js';
import type { CommandContext } from './commands/context.js';
import { EXIT, EXIT_TABLE, type ExitCode } from './exit-codes.js';
import type { CliIO } from './io.js';
import { UsageError } from './options.js';
import { jsonLine } from './render/json.js';

const version = (): string => {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
};

/** The exit-code table as help text. */
export const exitCodeHelp = (): string =>
  `\nExit codes:\n${EXIT_TABLE.map((r) => `  ${String(r.code).padStart(3)}  ${r.meaning}`).join('\n')}\n`;

/**
 * Builds the program. Actions report their exit code through `ctx.done`.
 *
 * @example
 * ```ts
 * import { buildProgram } from './program.js';
 * import type { ExitCode } from './exit-codes.js';
 * import type { CliIO } from './io.js';
 * declare const io: CliIO;
 *
 * let exitCode: ExitCode | undefined;
 * const program = buildProgram({ io, done: (code) => (exitCode = code) });
 * await program.parseAsync(process.argv);
 * ```
 */
export const buildProgram = (ctx: CommandContext): Command => {
  const program = new Command('mx-statements')
    .description('Fetch bank statement PDFs through the MX Platform API (v20111101).\nWith no target, `fetch` runs offline against an embedded MX sandbox.')
    .version(version(), '-V, --version')
    .exitOverride()
    .showHelpAfterError('(add --help for usage)')
    .configureOutput({
      writeOut: (s) => void ctx.io.stdout.write(s),
      writeErr: (s) => void ctx.io.stderr.write(s),
    })
    .addHelpText('after', exitCodeHelp());
  program.addCommand(fetchCommand(ctx));
  program.addCommand(syncCommand(ctx));
  program.addCommand(sandboxCommand(ctx));
  for (const c of program.commands) {
    // Subcommands added with addCommand do not inherit these on their own.
    c.copyInheritedSettings(program);
    c.addHelpText('after', exitCodeHelp());
  }
  return program;
};

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
  let code: ExitCode | undefined;
  const program = buildProgram({ io, done: (c) => (code = c) });
  const json = argv.includes('--json');
  const usage = (message: string): ExitCode => {
    if (json) io.stdout.write(jsonLine({ type: 'error', error: { _tag: 'UsageError', message } } as { type: string }));
    return EXIT.usage;
  };
  try {
    await program.parseAsync([...argv]);
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return EXIT.ok;
      // commander has already printed its message (naming the flag) to stderr.
      return usage(e.message.replace(/^error: /, ''));
    }
    if (e instanceof UsageError) {
      io.stderr.write(`error: ${e.message}\n(add --help for usage)\n`);
      return usage(e.message);
    }
    io.stderr.write(`error: unexpected: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return EXIT.internal;
  }
  return code ?? EXIT.usage;
};

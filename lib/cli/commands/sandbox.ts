/**
 * `mx-statements sandbox`: the embedded MX sandbox as a standalone server (see docs/sandbox.md). The first
 * line on stdout is `listening on http://HOST:PORT`, then one line per request unless `--quiet`. It runs until
 * SIGINT or SIGTERM, then closes every connection and timer and exits 0; it exits 1 when it cannot start
 * (e.g. `EADDRINUSE`).
 *
 * @module
 */
import { Command, Option } from 'commander';
import { SANDBOX_DEFAULTS } from '../../sandbox/options.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import type { CliIO } from '../io.js';
import { resolveSandboxOptions, SANDBOX_CLI_PORT, type RawSandboxFlags, type SandboxCommandOptions } from '../options.js';
import type { CommandContext } from './context.js';
import { collect } from './shared-flags.js';

/** Resolves on the first SIGTERM or on the interrupt signal (SIGINT). */
const untilStopped = (interrupt: AbortSignal): { promise: Promise<void>; dispose(): void } => {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  const handler = () => resolve();
  process.once('SIGTERM', handler);
  if (interrupt.aborted) resolve();
  else interrupt.addEventListener('abort', handler, { once: true });
  return {
    promise,
    dispose: () => {
      process.removeListener('SIGTERM', handler);
      interrupt.removeEventListener('abort', handler);
    },
  };
};

/**
 * Starts the sandbox and serves until stopped. Returns the exit code.
 *
 * @example
 * ```ts
 * import { runSandbox } from './sandbox.js';
 * import { resolveSandboxOptions } from '../options.js';
 * import type { CliIO } from '../io.js';
 * declare const io: CliIO;
 *
 * await runSandbox(resolveSandboxOptions({ port: '0' }), io);
 * ```
 */
export const runSandbox = async (options: SandboxCommandOptions, io: CliIO): Promise<ExitCode> => {
  const custom = options.sandbox.apiKey !== undefined;
  io.redactor.addBasicAuth(options.sandbox.clientId ?? SANDBOX_DEFAULTS.clientId, options.sandbox.apiKey);
  const { startSandbox } = await import('../../sandbox/index.js');
  let handle: Awaited<ReturnType<typeof startSandbox>>;
  try {
    handle = await startSandbox({
      ...options.sandbox,
      ...(options.log ? { log: (line: string) => void io.stdout.write(`${line}\n`) } : {}),
    });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    io.stderr.write(`error: the sandbox could not start: ${err.code ? `${err.code}: ` : ''}${err.message ?? String(e)}\n`);
    return EXIT.internal;
  }
  const stop = untilStopped(io.interrupt);
  try {
    io.stdout.write(`listening on ${handle.url}\n`);
    io.stderr.write(
      `client id ${handle.clientId}, API key ${custom ? '(as given with --api-key)' : `${SANDBOX_DEFAULTS.apiKey} (the default)`}; Ctrl-C stops\n` +
        `try: mx-statements fetch --base-url ${handle.url} --client-id ${handle.clientId} --api-key …\n`,
    );
    await stop.promise;
  } finally {
    stop.dispose();
    await handle.close();
  }
  io.stderr.write('sandbox stopped\n');
  return EXIT.ok;
};

/**
 * The `sandbox` subcommand.
 *
 * @example
 * ```ts
 * import { Command } from 'commander';
 * import { sandboxCommand } from './sandbox.js';
 * import type { CommandContext } from './context.js';
 * declare const ctx: CommandContext;
 *
 * const program = new Command('mx-statements');
 * program.addCommand(sandboxCommand(ctx));
 * ```
 */
export const sandboxCommand = (ctx: CommandContext): Command =>
  new Command('sandbox')
    .description('run the embedded MX sandbox as a standalone server (offline stand-in for int-api.mx.com)')
    .addOption(new Option('--host <host>', 'interface to listen on').default(SANDBOX_DEFAULTS.host))
    .addOption(new Option('--port <port>', 'port; 0 picks a free one').default(String(SANDBOX_CLI_PORT)))
    .addOption(new Option('--client-id <id>', 'Basic-auth user name it accepts').default(SANDBOX_DEFAULTS.clientId))
    .addOption(new Option('--api-key <key>', `Basic-auth password it accepts (default ${SANDBOX_DEFAULTS.apiKey})`))
    .addOption(new Option('--aggregation-ms <ms>', 'length of one aggregation / statements job').default(String(SANDBOX_DEFAULTS.aggregationMs)))
    .addOption(new Option('--challenge-ttl-ms <ms>', 'how long a CHALLENGED member waits before EXPIRED'))
    .addOption(new Option('--statements <n>', 'statements per member').default(String(SANDBOX_DEFAULTS.statementsPerMember)))
    .addOption(new Option('--large-pdf-bytes <n>', 'pad every PDF to at least this many bytes'))
    .addOption(new Option('--faults <rate>', 'fraction of requests (0..1) answered with an injected fault'))
    .addOption(new Option('--fault-kinds <list>', 'comma-separated: 500,502,503,429,reset,slow,truncate'))
    .addOption(new Option('--rate-limit <n>', 'requests per second per client id (429 beyond)'))
    .addOption(new Option('--latency-ms <ms>', 'delay before every answer'))
    .addOption(new Option('--seed-users <n>', 'pre-create N users, each with one connected MX Bank member'))
    .addOption(new Option('--seed <seed>', 'seed of every guid, statement and fault decision'))
    .addOption(new Option('--cors-origin <origin>', 'allow a browser origin (repeatable)').argParser(collect))
    .addOption(new Option('--quiet', 'no per-request log lines'))
    .action(async (flags: RawSandboxFlags) => {
      ctx.done(await runSandbox(resolveSandboxOptions(flags), ctx.io));
    });

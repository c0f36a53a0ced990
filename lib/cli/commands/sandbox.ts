/**
 * `mx-statements sandbox`: the embedded MX sandbox as a standalone server (see docs/sandbox.md). The first
 * line on stdout is `listening on http://HOST:PORT`, then one line per request unless `--quiet`. It runs until
 * SIGINT or SIGTERM, then closes every connection and timer and exits 0; it exits 1 when it cannot start
 * (e.g. `EADDRINUSE`).
 *
 * @module
 */
import { FAULT_KINDS, SANDBOX_DEFAULTS } from '../../sandbox/options.js';
import type { CommandSpec, FlagSpec } from '../args/spec.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import type { CliIO } from '../io.js';
import { DEMO, resolveSandboxOptions, SANDBOX_CLI_PORT, type RawSandboxFlags, type SandboxCommandOptions } from '../options.js';
import { shortGuidsIn, terminalSafe, wrapLine } from '../render/text.js';

const SERVER_GROUP = 'Server';
const BEHAVIOUR_GROUP = 'Behaviour';
const WEBHOOK_GROUP = 'Webhooks';
const LIMITS_GROUP = 'Connection limits';

/** `sandbox`'s flags, in help order. */
export const SANDBOX_FLAGS: ReadonlyArray<FlagSpec> = [
  { name: 'host', value: 'HOST', help: 'interface to listen on', default: SANDBOX_DEFAULTS.host, group: SERVER_GROUP },
  { name: 'port', value: 'PORT', help: 'port; 0 picks a free one', default: String(SANDBOX_CLI_PORT), group: SERVER_GROUP },
  { name: 'client-id', value: 'ID', help: 'the Basic-auth user name it accepts', default: SANDBOX_DEFAULTS.clientId, group: SERVER_GROUP },
  { name: 'api-key', value: 'KEY', secret: true, help: 'the Basic-auth password it accepts', default: SANDBOX_DEFAULTS.apiKey, group: SERVER_GROUP },
  { name: 'cors-origin', value: 'ORIGIN', repeatable: true, help: 'allow a browser origin (repeatable)', default: 'none', group: SERVER_GROUP },
  { name: 'quiet', help: 'no per-request log lines', group: SERVER_GROUP },
  { name: 'aggregation-ms', value: 'MS', help: 'length of one aggregation or statements job', default: String(SANDBOX_DEFAULTS.aggregationMs), group: BEHAVIOUR_GROUP },
  { name: 'challenge-ttl-ms', value: 'MS', help: 'how long a CHALLENGED member waits before EXPIRED', default: String(SANDBOX_DEFAULTS.challengeTtlMs), group: BEHAVIOUR_GROUP },
  { name: 'statements', value: 'N', help: 'statements per member', default: String(SANDBOX_DEFAULTS.statementsPerMember), group: BEHAVIOUR_GROUP },
  { name: 'large-pdf-bytes', value: 'N', help: 'pad every PDF to at least this many bytes', default: 'none', group: BEHAVIOUR_GROUP },
  { name: 'faults', value: 'RATE', help: 'fraction of requests, 0 to 1, answered with an injected fault', default: '0', group: BEHAVIOUR_GROUP },
  { name: 'fault-kinds', value: 'LIST', help: `which faults, comma-separated, of ${FAULT_KINDS.join(', ')}`, default: 'all', group: BEHAVIOUR_GROUP },
  { name: 'rate-limit', value: 'N', help: 'requests per second per client id; 429 beyond', default: 'none', group: BEHAVIOUR_GROUP },
  { name: 'latency-ms', value: 'MS', help: 'delay before every answer', default: String(SANDBOX_DEFAULTS.latencyMs), group: BEHAVIOUR_GROUP },
  { name: 'seed-users', value: 'N', help: 'users to create at start, each with one connected MX Bank member', default: String(SANDBOX_DEFAULTS.seedUsers), group: BEHAVIOUR_GROUP },
  { name: 'seed', value: 'SEED', help: 'seed of every guid, statement and fault decision', default: SANDBOX_DEFAULTS.seed, group: BEHAVIOUR_GROUP },
  {
    name: 'legacy-accept',
    help: 'serve a request without Accept-Version as v20111101 (clients written before August 2026); else 406, as MX does',
    group: BEHAVIOUR_GROUP,
  },
  {
    name: 'job-start-delay-ms',
    value: 'MS',
    help: 'a job begins this long after its 202, the status showing the previous state meanwhile; 0 = at once',
    default: String(SANDBOX_DEFAULTS.jobStartDelayMs),
    group: BEHAVIOUR_GROUP,
  },
  {
    name: 'too-soon-ms',
    value: 'MS',
    help: "a job asked for this soon after the last successful one is a 202 that starts nothing (MX's \"too soon\"); 0 = off",
    default: String(SANDBOX_DEFAULTS.tooSoonMs),
    group: BEHAVIOUR_GROUP,
  },
  { name: 'too-soon-mx-bank', help: 'apply --too-soon-ms to MX Bank too (MX\'s MX Bank has no such limit)', group: BEHAVIOUR_GROUP },
  { name: 'webhook-url', value: 'URL', help: "deliver MX's webhooks (STATEMENT, AGGREGATION, CONNECTION_STATUS) there, retrying failures", default: 'none', group: WEBHOOK_GROUP },
  { name: 'webhook-username', value: 'NAME', help: 'the Basic-auth user name sent with each webhook (with --webhook-password)', default: 'no Authorization header', group: WEBHOOK_GROUP },
  { name: 'webhook-password', value: 'PASSWORD', secret: true, help: 'the Basic-auth password sent with each webhook (never printed)', group: WEBHOOK_GROUP },
  {
    name: 'max-connections',
    value: 'N',
    help: 'connections open at once; beyond, the oldest idle one is dropped, or 429 when all are busy',
    default: String(SANDBOX_DEFAULTS.maxConnections),
    group: LIMITS_GROUP,
  },
  {
    name: 'headers-timeout-ms',
    value: 'MS',
    help: "a connection must send a request's complete headers within this long, else it is closed",
    default: String(SANDBOX_DEFAULTS.headersTimeoutMs),
    group: LIMITS_GROUP,
  },
];

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
 * `value` quoted for a POSIX shell when it needs to be (single quotes), else as is.
 *
 * @example
 * ```ts
 * import { shellQuote } from './sandbox.js';
 *
 * shellQuote('http://127.0.0.1:4010'); // 'http://127.0.0.1:4010'
 * shellQuote("it's");                   // `'it'\''s'`
 * ```
 */
export const shellQuote = (value: string): string => (/^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`);

/**
 * The command to paste in another terminal to fetch from a running sandbox, exactly as it runs. With the
 * default key the key is written out (it is public); with a custom one the command reads `MX_API_KEY`.
 *
 * @example
 * ```ts
 * import { tryCommand } from './sandbox.js';
 *
 * tryCommand('http://127.0.0.1:4010', 'sandbox-client-id', 'sandbox-api-key');
 * // 'MX_API_KEY=sandbox-api-key npx mx-statements fetch --base-url http://127.0.0.1:4010 --client-id sandbox-client-id --username mxuser --password password'
 * ```
 */
export const tryCommand = (url: string, clientId: string, defaultKey: string | undefined): string =>
  `${defaultKey !== undefined ? `MX_API_KEY=${shellQuote(defaultKey)} ` : ''}npx mx-statements fetch --base-url ${shellQuote(url)} ` +
  `--client-id ${shellQuote(clientId)} --username ${DEMO.username} --password ${DEMO.password}`;

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
  // On a terminal, lines for people are wrapped to its width (a command to paste is left whole: it soft-wraps and
  // still copies as one), and the request log shortens guids in the middle; in a pipe everything stays whole.
  const fit = (stream: CliIO['stderr'], text: string, indent = ''): string =>
    stream.isTTY === true && stream.columns ? wrapLine(text, stream.columns - 1, { indent }).join('\n') : text;
  const logLine = (line: string): string => fit(io.stdout, terminalSafe(io.stdout.isTTY === true ? shortGuidsIn(line) : line), '  ');
  io.redactor.addBasicAuth(options.sandbox.clientId ?? SANDBOX_DEFAULTS.clientId, options.sandbox.apiKey);
  const { startSandbox } = await import('../../sandbox/index.js');
  let handle: Awaited<ReturnType<typeof startSandbox>>;
  try {
    handle = await startSandbox({
      ...options.sandbox,
      ...(options.log ? { log: (line: string) => void io.stdout.write(`${logLine(line)}\n`) } : {}),
    });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    io.stderr.write(`${terminalSafe(`mx-statements sandbox: could not start: ${err.code ? `${err.code}: ` : ''}${err.message ?? String(e)}`)}\n`);
    return EXIT.internal;
  }
  const stop = untilStopped(io.interrupt);
  try {
    io.stdout.write(`listening on ${handle.url}\n`);
    io.stderr.write(
      `${fit(io.stderr, `Client id ${terminalSafe(handle.clientId)}, API key ${custom ? 'as given with --api-key' : `${SANDBOX_DEFAULTS.apiKey} (the default)`}. Ctrl-C stops it.`)}\n` +
        `${fit(io.stderr, `To fetch from it, run in another terminal${custom ? ', with MX_API_KEY set to that key' : ''}:`)}\n` +
        `  ${tryCommand(handle.url, handle.clientId, custom ? undefined : SANDBOX_DEFAULTS.apiKey)}\n`,
    );
    const hooks = options.sandbox.webhooks;
    if (hooks) {
      io.stderr.write(`${fit(io.stderr, terminalSafe(`Webhooks go to ${hooks.url}${hooks.username !== undefined ? ` (Basic auth as ${hooks.username})` : ' (no Authorization header)'}.`))}\n`);
    }
    await stop.promise;
  } finally {
    stop.dispose();
    await handle.close();
  }
  // On a terminal, over the "^C" it echoed.
  io.stderr.write(`${io.stderr.isTTY === true ? '\r' : ''}sandbox stopped\n`);
  return EXIT.ok;
};

/**
 * The `sandbox` command.
 *
 * @example
 * ```ts
 * import { SANDBOX_COMMAND } from './sandbox.js';
 *
 * SANDBOX_COMMAND.name; // 'sandbox'
 * ```
 */
export const SANDBOX_COMMAND: CommandSpec = {
  name: 'sandbox',
  summary: 'run the embedded MX sandbox as a standalone server (an offline stand-in for int-api.mx.com)',
  description:
    'Serves the MX Platform API as the embedded sandbox does (MX Bank, test passwords, MFA, real PDFs, injected ' +
    'faults) until Ctrl-C or SIGTERM. The first stdout line is "listening on http://HOST:PORT"; one line per ' +
    'request follows unless --quiet. See docs/sandbox.md.',
  flags: SANDBOX_FLAGS,
  examples: ['sandbox --port 4010', 'sandbox --port 0 --faults 0.2 --fault-kinds 503,reset'],
  validate: (flags) => void resolveSandboxOptions(flags as RawSandboxFlags),
  run: async (flags, io) => runSandbox(resolveSandboxOptions(flags as RawSandboxFlags), io),
};

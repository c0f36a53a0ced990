#!/usr/bin/env node
/**
 * The `mx-statements` executable: wires the process (streams, environment, Ctrl-C, the secret guard) to
 * {@link runCli} and exits with its code.
 *
 * @module
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CliIO } from './io.js';
import { runCli } from './program.js';
import { createRedactor, guardStreams, type Redactor } from './redact.js';
import { EXIT } from './exit-codes.js';
import { MX_BANK_TEST_VALUES } from './public-values.js';

const SECRET_FLAGS = ['--api-key', '--password', '--mfa-answer'];
const SECRET_ENV = ['MX_API_KEY', 'MX_MEMBER_PASSWORD'];

/**
 * Registers every secret visible before parsing — values of `--api-key`, `--password`, `--mfa-answer` (both
 * `--flag value` and `--flag=value`) and of `MX_API_KEY` / `MX_MEMBER_PASSWORD` — so that not even a usage
 * error can echo one.
 *
 * @example
 * ```ts
 * import { registerArgvSecrets } from './main.js';
 * import { createRedactor } from './redact.js';
 *
 * const redactor = createRedactor();
 * registerArgvSecrets(['--api-key', 'k-123'], {}, redactor);
 * redactor.scrub('key k-123'); // 'key [redacted]'
 * ```
 */
export const registerArgvSecrets = (args: ReadonlyArray<string>, env: Readonly<Record<string, string | undefined>>, redactor: Redactor): void => {
  args.forEach((arg, i) => {
    for (const flag of SECRET_FLAGS) {
      if (arg === flag) redactor.add(args[i + 1]);
      else if (arg.startsWith(`${flag}=`)) redactor.add(arg.slice(flag.length + 1));
    }
  });
  for (const name of SECRET_ENV) redactor.add(env[name]);
  redactor.addBasicAuth(env['MX_CLIENT_ID'], env['MX_API_KEY']);
};

const flush = (stream: NodeJS.WriteStream): Promise<void> => new Promise((resolve) => stream.write('', () => resolve()));

const main = async (): Promise<void> => {
  const redactor = createRedactor();
  redactor.exempt(MX_BANK_TEST_VALUES);
  registerArgvSecrets(process.argv.slice(2), process.env, redactor);
  guardStreams([process.stdout, process.stderr], redactor);
  const interrupt = new AbortController();
  let interrupts = 0;
  process.on('SIGINT', () => {
    interrupts += 1;
    if (interrupts > 1) process.exit(EXIT.interrupted); // a second Ctrl-C: do not wait for clean-up
    interrupt.abort();
  });
  const io: CliIO = {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
    redactor,
    interrupt: interrupt.signal,
  };
  const code = await runCli(process.argv, io);
  await Promise.all([flush(process.stdout), flush(process.stderr)]);
  // Exit explicitly: a prompt may have left stdin referenced, and nothing else is pending by now.
  process.exit(code);
};

const isMain = (): boolean => {
  const entry = process.argv[1];
  if (entry === undefined) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
};

if (isMain()) await main();

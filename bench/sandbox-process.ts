/**
 * The bench's sandbox, in its own process so its memory is never counted against the library's.
 *
 * Usage: `node --import tsx bench/sandbox-process.ts '<SandboxOptions as JSON>'`. Prints
 * `{"url":…,"clientId":…,"apiKey":…}` as the first stdout line, then serves until SIGTERM/SIGINT or until its
 * stdin closes (so it never outlives the process that started it).
 */
import { startSandbox, type SandboxOptions } from '../lib/sandbox/index.js';

const options = JSON.parse(process.argv[2] ?? '{}') as SandboxOptions;
const sandbox = await startSandbox(options);
process.stdout.write(`${JSON.stringify({ url: sandbox.url, clientId: sandbox.clientId, apiKey: sandbox.apiKey })}\n`);

let stopping = false;
const stop = (): void => {
  if (stopping) return;
  stopping = true;
  void sandbox.close().then(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.resume();

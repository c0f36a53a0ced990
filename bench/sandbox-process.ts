/**
 * The bench's sandbox, in its own process so its memory is never counted against the library's.
 *
 * Usage: `node --import tsx bench/sandbox-process.ts '<SandboxOptions as JSON>'`. Prints
 * `{"url":…,"clientId":…,"apiKey":…}` as the first stdout line, then serves until SIGTERM/SIGINT or until its
 * stdin closes (so it never outlives the process that started it). With `"countRequests": true` in the options it
 * counts the requests it answers (by kind and status, and the 429s by time since the first request) and prints
 * them as a `@@stats {…}` line whenever it reads a `stats` line on stdin (the fleet's workers cannot all report:
 * one is killed).
 */
import { createInterface } from 'node:readline';
import { startSandbox, type SandboxOptions } from '../lib/sandbox/index.js';
import { requestKind } from './lib/counting-fetch.js';

/** What the sandbox counted (see `countRequests`). */
export interface SandboxCounts {
  requests: number;
  readonly byKind: Record<string, number>;
  readonly byStatus: Record<string, number>;
  /** Seconds from the first request to each 429. */
  readonly http429At: number[];
}

const raw = JSON.parse(process.argv[2] ?? '{}') as SandboxOptions & { countRequests?: boolean };
const { countRequests, ...options } = raw;
const counts: SandboxCounts = { requests: 0, byKind: {}, byStatus: {}, http429At: [] };
let first: number | undefined;
const log = (line: string): void => {
  const m = /^(\S+) (\S+) (\d{3}) /.exec(line);
  if (!m) return;
  const now = performance.now();
  first ??= now;
  counts.requests += 1;
  const kind = requestKind(m[1]!, `http://sandbox${m[2]!}`);
  counts.byKind[kind] = (counts.byKind[kind] ?? 0) + 1;
  counts.byStatus[m[3]!] = (counts.byStatus[m[3]!] ?? 0) + 1;
  if (m[3] === '429') counts.http429At.push(Math.round(now - first) / 1000);
};
const sandbox = await startSandbox(countRequests ? { ...options, log } : options);
process.stdout.write(`${JSON.stringify({ url: sandbox.url, clientId: sandbox.clientId, apiKey: sandbox.apiKey })}\n`);

let stopping = false;
const stop = (): void => {
  if (stopping) return;
  stopping = true;
  void sandbox.close().then(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
createInterface({ input: process.stdin }).on('line', (line) => {
  if (line.trim() === 'stats') process.stdout.write(`@@stats ${JSON.stringify(counts)}\n`);
});
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.resume();

/**
 * One worker of the bench's fleet, in its own process: `node bench/.build/bench/fleet-worker.js '<json>'`.
 * Prints `ready` once it takes members, then `done <member>` per member it ends; stops when its stdin closes or on
 * SIGTERM (and dies on SIGKILL, which is the point of the `fleet` phase).
 */
import { createMxClient } from '../lib/api/client.js';
import { createRedisRateLimiter } from '../lib/node/queue/redis-rate-limiter.js';
import { startSyncWorker } from '../lib/node/queue/worker.js';
import { writeStatements } from '../lib/node/sink.js';
import { MX_POLLING } from '../lib/workflow/policy.js';

/** What the phase passes to a worker. */
export interface FleetWorkerOptions {
  readonly redisUrl: string;
  readonly queue: string;
  readonly sandbox: { readonly url: string; readonly clientId: string; readonly apiKey: string };
  readonly out: string;
  readonly requestsPerSecond: number;
  readonly concurrency: number;
  readonly lockDurationMs: number;
}

const o = JSON.parse(process.argv[2] ?? '{}') as FleetWorkerOptions;
const rateLimiter = await createRedisRateLimiter({ url: o.redisUrl, queue: o.queue, requestsPerSecond: o.requestsPerSecond });
const client = createMxClient({ baseUrl: o.sandbox.url, clientId: o.sandbox.clientId, apiKey: o.sandbox.apiKey, rateLimiter });
const sink = writeStatements(o.out, { fsync: false });
const worker = await startSyncWorker({
  url: o.redisUrl,
  queue: o.queue,
  client,
  download: { sink },
  // MX's own pace, as against MX (the sandbox would otherwise get its fast profile)
  polling: MX_POLLING,
  concurrency: o.concurrency,
  lockDurationMs: o.lockDurationMs,
  stalledIntervalMs: o.lockDurationMs / 2,
  onItem: (item) => {
    if (item.type === 'member-done') process.stdout.write(`done ${item.target.memberGuid}\n`);
  },
});
process.stdout.write('ready\n');
let stopping = false;
const stop = (): void => {
  if (stopping) return;
  stopping = true;
  void worker.close().then(() => sink.idle()).then(() => rateLimiter.close()).then(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.resume();

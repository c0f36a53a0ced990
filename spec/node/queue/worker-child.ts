/**
 * A fleet worker in its own process, for the kill -9 specs: `node --import tsx worker-child.ts '<json>'`. Prints
 * `ready` once it takes members, `started <member>` when a member's statements job started and `done <member>`
 * when it ended; runs until killed or its stdin closes.
 */
import { createMxClient } from '../../../lib/api/client.js';
import { writeStatements } from '../../../lib/node/sink.js';
import { createRedisRateLimiter } from '../../../lib/node/queue/redis-rate-limiter.js';
import { startSyncWorker } from '../../../lib/node/queue/worker.js';

interface ChildOptions {
  readonly redisUrl: string;
  readonly queue: string;
  readonly sandbox: { readonly url: string; readonly clientId: string; readonly apiKey: string };
  readonly out: string;
  readonly requestsPerSecond: number;
  readonly lockDurationMs: number;
  readonly concurrency?: number;
  readonly maxStalledCount?: number;
}

const o = JSON.parse(process.argv[2] ?? '{}') as ChildOptions;
const rateLimiter = await createRedisRateLimiter({ url: o.redisUrl, queue: o.queue, requestsPerSecond: o.requestsPerSecond });
const client = createMxClient({ baseUrl: o.sandbox.url, clientId: o.sandbox.clientId, apiKey: o.sandbox.apiKey, rateLimiter });
const sink = writeStatements(o.out, { fsync: false });
const worker = await startSyncWorker({
  url: o.redisUrl, queue: o.queue, client, download: { sink }, lockDurationMs: o.lockDurationMs, stalledIntervalMs: o.lockDurationMs / 2,
  ...(o.concurrency !== undefined ? { concurrency: o.concurrency } : {}),
  ...(o.maxStalledCount !== undefined ? { maxStalledCount: o.maxStalledCount } : {}),
  onItem: (item) => {
    if (item.type === 'member-done') process.stdout.write(`done ${item.target.memberGuid}\n`);
    if (item.type === 'member' && item.event._tag === 'Right' && item.event.right.type === 'statements-job-started') {
      process.stdout.write(`started ${item.target.memberGuid ?? '?'}\n`);
    }
  },
});
process.stdout.write('ready\n');
const stop = () => {
  void worker.close().then(() => rateLimiter.close()).then(() => sink.idle()).then(() => process.exit(0));
};
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.once('SIGTERM', stop);
process.stdin.resume();

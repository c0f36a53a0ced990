/**
 * `fleet`: a run queued on BullMQ + Redis and processed by worker processes sharing one rate limit through Redis,
 * one of them killed with SIGKILL mid-run. Every request is counted by the sandbox itself (the killed worker
 * cannot report its own).
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { lastValueFrom, tap, timeout, toArray } from 'rxjs';
import { createMxClient } from '../../lib/api/client.js';
import { enqueueMembers } from '../../lib/node/queue/enqueue.js';
import { createRedisRateLimiter } from '../../lib/node/queue/redis-rate-limiter.js';
import { watchSyncRun, type FleetSummary } from '../../lib/node/queue/watch.js';
import type { FleetWorkerOptions } from '../fleet-worker.js';
import { benchFile, exited, spawnTs } from '../lib/child.js';
import { log, runPhase } from '../lib/phase.js';
import { startRedisServer } from '../../spec/helpers/redis-server.js';
import type { FleetResult } from '../lib/results.js';
import { startSandboxChild } from '../lib/sandbox-child.js';
import { round } from '../lib/stats.js';

const RATE_LIMIT = 100;
const WORKERS = 3;
const JOB_SECONDS = 2;
const STATEMENTS_PER_MEMBER = 6;
const KILL_AT = 0.3;

const startWorker = (options: FleetWorkerOptions): Promise<ChildProcess> =>
  new Promise((resolve, reject) => {
    const child = spawnTs(benchFile('fleet-worker'), [JSON.stringify(options)]);
    const t = setTimeout(() => reject(new Error('a fleet worker did not start within 30 s')), 30_000);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line === 'ready') {
        clearTimeout(t);
        resolve(child);
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(t);
      reject(new Error(`a fleet worker exited before it was ready (${signal ?? code})`));
    });
  });

runPhase('fleet', async ({ quick }): Promise<FleetResult> => {
  const members = quick ? 300 : 2000;
  const redis = await startRedisServer();
  const sandbox = await startSandboxChild({
    seed: 'bench-fleet', seedUsers: members, rateLimit: RATE_LIMIT, aggregationMs: JOB_SECONDS * 1000,
    statementsPerMember: STATEMENTS_PER_MEMBER, countRequests: true,
  });
  const out = await mkdtemp(path.join(tmpdir(), 'mx-bench-fleet-'));
  const queue = 'bench-fleet';
  const workers: ChildProcess[] = [];
  const limiter = await createRedisRateLimiter({ url: redis.url, queue, requestsPerSecond: RATE_LIMIT });
  try {
    const workerOptions: FleetWorkerOptions = {
      redisUrl: redis.url, queue, sandbox: { url: sandbox.url, clientId: sandbox.clientId, apiKey: sandbox.apiKey }, out,
      requestsPerSecond: RATE_LIMIT, concurrency: 32, lockDurationMs: 8000,
    };
    for (let i = 0; i < WORKERS; i++) workers.push(await startWorker(workerOptions));
    const client = createMxClient({ baseUrl: sandbox.url, clientId: sandbox.clientId, apiKey: sandbox.apiKey, rateLimiter: limiter });
    const t0 = performance.now();
    const run = await enqueueMembers({ url: redis.url, queue, members: 'all-members', client });
    log(`fleet: ${run.total} members queued in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    let done = 0;
    let killedAtDone = -1;
    const victim = workers[0]!;
    const items = await lastValueFrom(watchSyncRun({ url: redis.url, queue, runId: run.runId, pollMs: 200 }).pipe(
      tap((item) => {
        if (item.type !== 'fleet-member-done') return;
        done += 1;
        if (killedAtDone < 0 && done >= members * KILL_AT) {
          killedAtDone = done;
          victim.kill('SIGKILL');
          log(`fleet: killed worker ${victim.pid} with SIGKILL at ${done}/${members}`);
        }
        if (done % Math.round(members / 5) === 0) log(`fleet: ${done}/${members} members, ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      }),
      toArray(),
      timeout(30 * 60_000),
    ));
    const wallSeconds = (performance.now() - t0) / 1000;
    const summary = items.at(-1) as FleetSummary;
    if (summary?.type !== 'fleet-summary') throw new Error('the fleet run ended without a summary');
    const counts = await sandbox.stats();
    const pdfsOnDisk = (await readdir(out, { recursive: true })).filter((f) => f.endsWith('.pdf')).length;
    const lowerBoundSeconds = counts.requests / RATE_LIMIT;
    for (const p of [...summary.failures, ...summary.needingAction].slice(0, 5)) log(`fleet: ${p.key}: ${p.errorTag}: ${p.message}`);
    return {
      members,
      workers: WORKERS,
      rateLimit: RATE_LIMIT,
      jobSeconds: JOB_SECONDS,
      statementsPerMember: STATEMENTS_PER_MEMBER,
      killedAtDone,
      total: summary.total,
      synced: summary.synced,
      failed: summary.failed + summary.needsUserAction,
      duplicates: summary.duplicates,
      syncedExactlyOnce: summary.synced - summary.duplicates,
      requests: counts.requests,
      requestsPerMember: round(counts.requests / members, 2),
      wallSeconds: round(wallSeconds, 2),
      lowerBoundSeconds: round(lowerBoundSeconds, 2),
      ratio: round(wallSeconds / lowerBoundSeconds, 4),
      http429: counts.byStatus['429'] ?? 0,
      http429AfterFirstSecond: counts.http429At.filter((s) => s > 1).length,
      pdfRequests: counts.byKind.pdf ?? 0,
      statements: summary.statements,
      pdfsOnDisk,
      attempts: summary.attempts,
      requestsByKind: counts.byKind,
    };
  } finally {
    for (const w of workers) {
      w.stdin?.end();
      w.kill('SIGTERM');
    }
    await Promise.all(workers.map((w) => Promise.race([exited(w), new Promise((r) => setTimeout(r, 15_000))])));
    for (const w of workers) if (w.exitCode === null && w.signalCode === null) w.kill('SIGKILL');
    await limiter.close();
    await sandbox.close();
    await redis.stop();
    await rm(out, { recursive: true, force: true });
  }
});

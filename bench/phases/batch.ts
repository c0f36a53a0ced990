/**
 * `batch`: a scheduled sync of every member of every seeded user (`fetchStatementsForMany$(client,
 * 'all-members', …)`, listed lazily, the library's default pace) with downloads to disk, against a sandbox (its own process) limited to
 * `rateLimit` requests per second, by a client whose rate limiter is set to the same number. Every HTTP request
 * is counted through a wrapping fetch; the wall time is compared with requests / rateLimit.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { lastValueFrom, tap } from 'rxjs';
import { createMxClient } from '../../lib/api/client.js';
import { writeStatements } from '../../lib/node/sink.js';
import type { FileSystemError } from '../../lib/node/fs-error.js';
import { fetchStatementsForMany$, type BatchSummary } from '../../lib/workflow/batch.js';
import { countingFetch } from '../lib/counting-fetch.js';
import { maxRssMb, rssMb, sampleRss } from '../lib/memory.js';
import { log, runPhase } from '../lib/phase.js';
import type { BatchResult } from '../lib/results.js';
import { startSandboxChild } from '../lib/sandbox-child.js';
import { round } from '../lib/stats.js';

const RATE_LIMIT = 50;
const AGGREGATION_MS = 250;
const STATEMENTS_PER_MEMBER = 6;

runPhase('batch', async ({ quick }): Promise<BatchResult> => {
  const members = quick ? 100 : 1000;
  const sandbox = await startSandboxChild({
    seed: 'bench-batch',
    seedUsers: members,
    rateLimit: RATE_LIMIT,
    aggregationMs: AGGREGATION_MS,
    statementsPerMember: STATEMENTS_PER_MEMBER,
  });
  const dir = await mkdtemp(path.join(tmpdir(), 'mx-bench-batch-'));
  try {
    const { fetch, counts } = countingFetch();
    const client = createMxClient({
      baseUrl: sandbox.url,
      clientId: sandbox.clientId,
      apiKey: sandbox.apiKey,
      rateLimit: { requestsPerSecond: RATE_LIMIT },
      fetch,
    });
    const sink = writeStatements(dir);
    const baselineRssMb = rssMb();
    const sampler = sampleRss(50);
    let done = 0;
    const processed = new Map<string, number>();
    const t0 = performance.now();
    const last = await lastValueFrom(
      fetchStatementsForMany$(client, 'all-members', { download: { sink } }).pipe(
        tap((item) => {
          if (item.type !== 'member-done') return;
          done += 1;
          processed.set(item.target.key, (processed.get(item.target.key) ?? 0) + 1);
          if (done % Math.max(1, members / 10) === 0) log(`batch: ${done}/${members} members, ${counts.requests} requests, ${((performance.now() - t0) / 1000).toFixed(1)} s`);
        }),
      ),
    );
    const wallSeconds = (performance.now() - t0) / 1000;
    await sink.idle();
    const sampledPeak = sampler.stop();
    if (last.type !== 'batch-summary') throw new Error(`the batch ended with ${last.type}, not a summary`);
    const summary: BatchSummary<FileSystemError> = last;
    for (const p of [...summary.failures, ...summary.needingAction].slice(0, 5)) log(`batch: ${p.key}: ${p.errorTag}: ${p.message}`);
    const duplicateMembers = summary.total - processed.size;
    const missingMembers = Math.max(0, members - processed.size);
    if (duplicateMembers > 0 || missingMembers > 0) {
      log(`batch: WARNING ${summary.total} runs for ${processed.size} distinct members (${members} seeded): ${duplicateMembers} duplicates, ${missingMembers} missing`);
    }
    const lowerBoundSeconds = counts.requests / RATE_LIMIT;
    return {
      members,
      rateLimit: RATE_LIMIT,
      concurrency: 'rate-bound',
      requests: counts.requests,
      wallSeconds: round(wallSeconds, 2),
      lowerBoundSeconds: round(lowerBoundSeconds, 2),
      ratio: round(wallSeconds / lowerBoundSeconds, 4),
      http429: counts.byStatus['429'] ?? 0,
      failures: summary.failed + summary.needsUserAction + missingMembers + (summary.listingError ? 1 : 0),
      peakRssMb: round(Math.max(maxRssMb(), sampledPeak), 1),
      baselineRssMb: round(baselineRssMb, 1),
      statements: summary.downloaded + summary.skipped,
      memberRuns: summary.total,
      duplicateMembers,
      requestsByKind: counts.byKind,
    };
  } finally {
    await sandbox.close();
    await rm(dir, { recursive: true, force: true });
  }
});

/** One measured `fetchStatementsForMany$` run over every seeded member: what the long-job phases share. */
import { lastValueFrom, tap } from 'rxjs';
import { createMxClient } from '../../lib/api/client.js';
import type { FileSystemError } from '../../lib/node/fs-error.js';
import type { FileStatementSink } from '../../lib/node/sink.js';
import { fetchStatementsForMany$, type BatchOptions, type BatchSummary } from '../../lib/workflow/batch.js';
import { countingFetch, type FetchCounts } from './counting-fetch.js';
import { log } from './phase.js';
import type { SandboxChild } from './sandbox-child.js';

/** What one run measured. */
export interface MeasuredSync {
  readonly summary: BatchSummary<FileSystemError>;
  readonly counts: FetchCounts;
  readonly wallSeconds: number;
  /** Distinct members that ended (`member-done`). */
  readonly distinct: number;
  /** Members that ended more than once. */
  readonly duplicates: number;
}

/** Runs a sync of 'all-members' against `sandbox` with a client limited to `rateLimit`, counting every request. */
export const measureSync = async (
  sandbox: SandboxChild,
  rateLimit: number,
  sink: FileStatementSink,
  options: BatchOptions<FileSystemError>,
  label: string,
  expected: number,
): Promise<MeasuredSync> => {
  const { fetch, counts } = countingFetch();
  const client = createMxClient({
    baseUrl: sandbox.url, clientId: sandbox.clientId, apiKey: sandbox.apiKey, rateLimit: { requestsPerSecond: rateLimit }, fetch, downloadFetch: fetch,
  });
  const ended = new Map<string, number>();
  const t0 = performance.now();
  const last = await lastValueFrom(
    fetchStatementsForMany$(client, 'all-members', { ...options, download: { sink } }).pipe(
      tap((item) => {
        if (item.type !== 'member-done') return;
        ended.set(item.target.key, (ended.get(item.target.key) ?? 0) + 1);
        if (ended.size % Math.max(1, Math.round(expected / 5)) === 0) {
          log(`${label}: ${ended.size}/${expected} members, ${counts.requests} requests, ${((performance.now() - t0) / 1000).toFixed(1)} s`);
        }
      }),
    ),
  );
  const wallSeconds = (performance.now() - t0) / 1000;
  await sink.idle();
  if (last.type !== 'batch-summary') throw new Error(`${label}: the batch ended with ${last.type}, not a summary`);
  for (const p of [...last.failures, ...last.needingAction].slice(0, 5)) log(`${label}: ${p.key}: ${p.errorTag}: ${p.message}`);
  return {
    summary: last,
    counts,
    wallSeconds,
    distinct: ended.size,
    duplicates: [...ended.values()].filter((n) => n > 1).length,
  };
};

/**
 * Issue 13's bounds of a long-job sync, from what a run measured: `boundSeconds` is the issue's own —
 * `max((members × (1 job + 1 status + 1 list + statements) + member listing) / rate, job)` — the time the fewest
 * requests a sync needs take at the rate, or the job; `requestBoundSeconds` is `max(requests made / rate, job)`.
 * Wasted requests raise the second, never the first: the targets are on `ratio` (wall time / the issue's bound).
 */
export const longJobBounds = (run: MeasuredSync, members: number, statementsPerMember: number, rate: number, jobSeconds: number) => {
  const listing = (run.counts.byKind.list_users ?? 0) + (run.counts.byKind.list_members ?? 0);
  const boundSeconds = Math.max((members * (3 + statementsPerMember) + listing) / rate, jobSeconds);
  const requestBoundSeconds = Math.max(run.counts.requests / rate, jobSeconds);
  return {
    boundSeconds,
    ratio: run.wallSeconds / boundSeconds,
    requestBoundSeconds,
    ratioVsRequestsMade: run.wallSeconds / requestBoundSeconds,
  };
};

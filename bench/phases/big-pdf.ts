/**
 * `bigPdf`: statements of 50 MB each fetched by the workflow (`fetchStatements$` on an existing member, the
 * Node path: `nodeFetch` on `node:http`, `writeStatements` sink, native SHA-256), each verified (signature,
 * length, SHA-256 against `content_hash`) and saved to disk, in this fresh process while its RSS is sampled. The
 * sandbox runs in another process. Downloads run at the workflow's default concurrency (4).
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import { lastValueFrom, tap } from 'rxjs';
import { createMxClient } from '../../lib/api/client.js';
import { nodeSha256 } from '../../lib/node/hash.js';
import { nodeFetch } from '../../lib/node/node-fetch.js';
import { writeStatements } from '../../lib/node/sink.js';
import { fetchStatements$ } from '../../lib/workflow/fetch-statements.js';
import { DEFAULT_DOWNLOAD_CONCURRENCY } from '../../lib/workflow/input.js';
import { maxRssMb, rssMb, sampleRss } from '../lib/memory.js';
import { log, runPhase } from '../lib/phase.js';
import type { BigPdfResult } from '../lib/results.js';
import { startSandboxChild } from '../lib/sandbox-child.js';
import { seededMember } from '../lib/seeded-member.js';
import { round } from '../lib/stats.js';

const MB = 1024 * 1024;

runPhase('bigPdf', async ({ quick }): Promise<BigPdfResult> => {
  const files = quick ? 5 : 20;
  const mbEach = 50;
  const sandbox = await startSandboxChild({
    seed: 'bench-big-pdf', seedUsers: 1, statementsPerMember: files, largePdfBytes: mbEach * MB, aggregationMs: 100,
  });
  const dir = await mkdtemp(path.join(tmpdir(), 'mx-bench-big-'));
  try {
    const client = createMxClient({
      baseUrl: sandbox.url, clientId: sandbox.clientId, apiKey: sandbox.apiKey, timeoutMs: 120_000, downloadFetch: nodeFetch,
    });
    const member = await seededMember(client, 1);
    const sink = writeStatements(dir);
    const baselineRssMb = rssMb();
    const sampler = sampleRss(50);
    const rssAfterEachMb: number[] = [];
    const saved: Array<{ location: string; bytes: number }> = [];
    const t0 = performance.now();
    const last = await lastValueFrom(
      fetchStatements$(client, { member, download: { sink }, hasher: nodeSha256 }).pipe(
        tap((r) => {
          if (E.isLeft(r)) throw new Error(`workflow failed: ${r.left.message}`);
          const ev = r.right;
          if (ev.type !== 'statement-downloaded') return;
          saved.push(ev);
          rssAfterEachMb.push(round(rssMb(), 1));
          log(`bigPdf: saved ${path.basename(ev.location)} (${(ev.bytes / MB).toFixed(1)} MB), rss ${rssMb().toFixed(1)} MB, array buffers ${(process.memoryUsage().arrayBuffers / MB).toFixed(1)} MB`);
        }),
      ),
    );
    const wallSeconds = (performance.now() - t0) / 1000;
    await sink.idle();
    const sampledPeakRssMb = sampler.stop();
    if (E.isLeft(last) || last.right.type !== 'done') throw new Error('the workflow did not end with done');
    for (const s of saved) {
      const st = await stat(s.location);
      if (st.size !== s.bytes || s.bytes < mbEach * MB) throw new Error(`${s.location}: ${st.size} bytes on disk, ${s.bytes} reported`);
    }
    return {
      files,
      mbEach,
      peakRssMb: round(Math.max(maxRssMb(), sampledPeakRssMb), 1),
      baselineRssMb: round(baselineRssMb, 1),
      sampledPeakRssMb: round(sampledPeakRssMb, 1),
      rssAfterEachMb,
      concurrency: DEFAULT_DOWNLOAD_CONCURRENCY,
      verified: saved.length,
      wallSeconds: round(wallSeconds, 2),
    };
  } finally {
    await sandbox.close();
    await rm(dir, { recursive: true, force: true });
  }
});

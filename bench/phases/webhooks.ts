/**
 * `batchWebhooks`: the long-job sync (20-s statements jobs, 50 req/s) with the sandbox delivering MX's webhooks to
 * `listenForWebhooks` in this process, whose wakeups the batch gets (`wakeups`): polls then happen mostly when a
 * webhook says a member's job ended, at the slow failsafe pace otherwise.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { writeStatements } from '../../lib/node/sink.js';
import { listenForWebhooks } from '../../lib/node/webhooks/server.js';
import type { BatchOptions } from '../../lib/workflow/batch.js';
import * as workflow from '../../lib/workflow/index.js';
import { log, runPhase } from '../lib/phase.js';
import type { WebhooksResult } from '../lib/results.js';
import { startSandboxChild } from '../lib/sandbox-child.js';
import { round } from '../lib/stats.js';
import { longJobBounds, measureSync } from '../lib/sync-run.js';

const RATE_LIMIT = 50;
const JOB_SECONDS = 20;
const STATEMENTS_PER_MEMBER = 6;
const HOOKS = { username: 'bench-hooks', password: 'bench-hooks-password' };

runPhase('batchWebhooks', async ({ quick }): Promise<WebhooksResult> => {
  const members = quick ? 60 : 200;
  const receiver = await listenForWebhooks({ ...HOOKS, path: '/mx/webhooks' });
  const sandbox = await startSandboxChild({
    seed: 'bench-webhooks', seedUsers: members, rateLimit: RATE_LIMIT, aggregationMs: JOB_SECONDS * 1000, statementsPerMember: STATEMENTS_PER_MEMBER,
    webhooks: { url: receiver.url, ...HOOKS },
  });
  const dir = await mkdtemp(path.join(tmpdir(), 'mx-bench-hooks-'));
  try {
    // `wakeups` is contract 5 of the workflow (WorkflowOptions.wakeups); the workflow's failsafe pace comes with it.
    const wakeupsWired = 'WEBHOOK_FAILSAFE_POLLING' in workflow;
    if (!wakeupsWired) log('batchWebhooks: this workflow has no wakeups yet (contract 5): polls are not cut short');
    const options = { wakeups: receiver.wakeups$ } as BatchOptions;
    const run = await measureSync(sandbox, RATE_LIMIT, writeStatements(dir, { fsync: false }), options, 'batchWebhooks', members);
    const s = run.summary;
    const stats = receiver.stats();
    const b = longJobBounds(run, members, STATEMENTS_PER_MEMBER, RATE_LIMIT, JOB_SECONDS);
    return {
      members,
      rateLimit: RATE_LIMIT,
      jobSeconds: JOB_SECONDS,
      synced: s.synced,
      failures: s.failed + s.needsUserAction + Math.max(0, members - run.distinct) + (s.listingError ? 1 : 0),
      wakeupsWired,
      statusPollsPerMember: round((run.counts.byKind.status ?? 0) / members, 2),
      requestsPerMember: round(run.counts.requests / members, 2),
      webhooksReceived: stats.received,
      webhookDuplicates: stats.duplicates,
      webhooksRejected: stats.rejected,
      wallSeconds: round(run.wallSeconds, 2),
      boundSeconds: round(b.boundSeconds, 2),
      ratio: round(b.ratio, 4),
      requestBoundSeconds: round(b.requestBoundSeconds, 2),
      ratioVsRequestsMade: round(b.ratioVsRequestsMade, 4),
      http429: run.counts.byStatus['429'] ?? 0,
    };
  } finally {
    await sandbox.close();
    await receiver.close();
    await rm(dir, { recursive: true, force: true });
  }
});

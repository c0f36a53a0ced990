/**
 * `longJobs` and `rerun`: issue 13's setup — members whose statements job takes 20 s, a 50 req/s sandbox — synced
 * with the library's defaults (rate-bound, prefetch), then synced again at once with `maxAge`, which must cost one
 * statement listing per member plus the member listing.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { writeStatements } from '../../lib/node/sink.js';
import { MX_POLLING } from '../../lib/workflow/policy.js';
import { log, runPhase } from '../lib/phase.js';
import type { LongJobsResult, RerunResult } from '../lib/results.js';
import { startSandboxChild } from '../lib/sandbox-child.js';
import { round } from '../lib/stats.js';
import { longJobBounds, measureSync } from '../lib/sync-run.js';

const RATE_LIMIT = 50;
const JOB_SECONDS = 20;
const STATEMENTS_PER_MEMBER = 6;

runPhase('longJobs', async ({ quick }): Promise<{ longJobs: LongJobsResult; rerun: RerunResult }> => {
  const members = quick ? 100 : 200;
  const sandbox = await startSandboxChild({
    seed: 'bench-long-jobs', seedUsers: members, rateLimit: RATE_LIMIT, aggregationMs: JOB_SECONDS * 1000, statementsPerMember: STATEMENTS_PER_MEMBER,
  });
  const dir = await mkdtemp(path.join(tmpdir(), 'mx-bench-long-'));
  try {
    // MX's own pace (MX_POLLING), as against MX: the sandbox would otherwise get its fast profile.
    const first = await measureSync(sandbox, RATE_LIMIT, writeStatements(dir, { fsync: false }), { polling: MX_POLLING }, 'longJobs', members);
    const s = first.summary;
    const requests = first.counts.requests;
    const statusPolls = first.counts.byKind.status ?? 0;
    const b = longJobBounds(first, members, STATEMENTS_PER_MEMBER, RATE_LIMIT, JOB_SECONDS);
    const longJobs: LongJobsResult = {
      members,
      rateLimit: RATE_LIMIT,
      jobSeconds: JOB_SECONDS,
      statementsPerMember: STATEMENTS_PER_MEMBER,
      synced: s.synced,
      failures: s.failed + s.needsUserAction + Math.max(0, members - first.distinct) + (s.listingError ? 1 : 0),
      passes: s.passes ?? 1,
      requests,
      requestsPerMember: round(requests / members, 2),
      statusPollsPerMember: round(statusPolls / members, 2),
      wallSeconds: round(first.wallSeconds, 2),
      boundSeconds: round(b.boundSeconds, 2),
      ratio: round(b.ratio, 4),
      requestBoundSeconds: round(b.requestBoundSeconds, 2),
      ratioVsRequestsMade: round(b.ratioVsRequestsMade, 4),
      http429: first.counts.byStatus['429'] ?? 0,
      downloaded: s.downloaded,
      requestsByKind: first.counts.byKind,
    };
    log(`longJobs: ${first.wallSeconds.toFixed(1)} s for ${requests} requests (the issue's bound ${b.boundSeconds.toFixed(1)} s, of the requests made ${b.requestBoundSeconds.toFixed(1)} s)`);

    const again = await measureSync(sandbox, RATE_LIMIT, writeStatements(dir, { fsync: false }), { maxAge: 24 * 60 * 60_000 }, 'rerun', members);
    const listing2 = (again.counts.byKind.list_users ?? 0) + (again.counts.byKind.list_members ?? 0);
    const listUsers = again.counts.byKind.list_users ?? 0;
    const rerun: RerunResult = {
      members,
      fresh: again.summary.fresh ?? 0,
      synced: again.summary.synced,
      requests: again.counts.requests,
      requestsPerMember: round(again.counts.requests / members, 3),
      requestsPerMemberBeyondListing: round((again.counts.requests - listing2) / members, 3),
      requestsPerMemberBeyondUsers: round((again.counts.requests - listUsers) / members, 3),
      downloaded: again.summary.downloaded,
      wallSeconds: round(again.wallSeconds, 2),
      requestsByKind: again.counts.byKind,
    };
    return { longJobs, rerun };
  } finally {
    await sandbox.close();
    await rm(dir, { recursive: true, force: true });
  }
});

/**
 * Issue 11 §9 end to end: a sync under heavy injected faults loses no member. Members that failed transiently
 * (after the client's and the workflow's own retries) are tried again in later passes within the run's deadline,
 * and the summary says how many passes it took.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { expect } from 'chai';
import { lastValueFrom, toArray } from 'rxjs';
import { createMxClient } from '../../lib/api/client.js';
import { writeStatements } from '../../lib/node/index.js';
import { startSandbox, type SandboxHandle } from '../../lib/sandbox/index.js';
import { fetchStatementsForMany$, type BatchSummary } from '../../lib/workflow/batch.js';

const MEMBERS = 30;

describe('workflow/fetchStatementsForMany$ under 30 % injected faults (issue 11 §9)', function () {
  this.timeout(120_000);
  let sandbox: SandboxHandle;
  let dir: string;
  before(async () => {
    sandbox = await startSandbox({
      seed: 'batch-faults', seedUsers: MEMBERS, statementsPerMember: 2, aggregationMs: 200, rateLimit: 100,
      faults: { rate: 0.3, kinds: ['500', '502', '503', '429', 'reset', 'truncate'], retryAfterSeconds: 1 },
    });
    dir = await mkdtemp(path.join(tmpdir(), 'mx-batch-faults-'));
  });
  after(async () => {
    await sandbox.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('syncs every member, in as many passes as it takes, and says how many', async () => {
    // Fewer retries than the defaults (1 attempt per request, 1 more per step and download), so that with this
    // few members some failures still get past them: only the batch's passes can save those members.
    const client = createMxClient({
      baseUrl: sandbox.url, clientId: sandbox.clientId, apiKey: sandbox.apiKey, rateLimit: { requestsPerSecond: 100 },
      retry: { maxAttempts: 1 },
    });
    const sink = writeStatements(dir, { fsync: false });
    const items = await lastValueFrom(fetchStatementsForMany$(client, 'all-members', {
      download: { sink, retries: 1 }, stepRetries: 1, maxPasses: 20, passDelayMs: 10, deadlineMs: 100_000,
    }).pipe(toArray()));
    await sink.idle();
    const summary = items.at(-1) as BatchSummary;
    const retries = items.filter((i) => i.type === 'member-retry').length;
    expect(summary).to.deep.include({ type: 'batch-summary', total: MEMBERS, synced: MEMBERS, failed: 0, needsUserAction: 0, listingError: null });
    expect(retries, 'transient failures that reached the batch').to.be.greaterThan(0);
    expect(summary.passes).to.be.greaterThan(1);
    expect(summary.retried).to.be.within(1, MEMBERS);
    expect(summary.statements).to.equal(MEMBERS * 2);
    // the summary's passes are the members' own: the highest pass any member ended in, and who needed more than one
    const passes = items.flatMap((i) => (i.type === 'member-done' ? [i.pass ?? 0] : []));
    expect(passes).to.have.length(MEMBERS);
    expect(summary.passes).to.equal(Math.max(...passes));
    expect(summary.retried).to.equal(passes.filter((p) => p > 1).length);
  });
});

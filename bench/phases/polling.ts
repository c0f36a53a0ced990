/**
 * `polling`: status requests and detection lag of the default policy (`MX_POLLING`, exponential with jitter and
 * a 30 s cap) against a poll every 3 s (MX's examples), for jobs of 5, 30, 120 and 600 s, in virtual time through
 * the workflow's own `pollUntil$`. Jitter comes from seeded PRNGs; each row is the mean over `runs` seeds.
 */
import { MX_POLLING, type PollPolicy } from '../../lib/workflow/policy.js';
import { log, runPhase } from '../lib/phase.js';
import type { PollingRow } from '../lib/results.js';
import { simulatePolling } from '../lib/poll-sim.js';
import { seededRandom } from '../lib/prng.js';
import { round } from '../lib/stats.js';

const JOBS = [5, 30, 120, 600] as const;

/** MX's examples: a status request every 3 s, the first 3 s after the job starts. */
export const FIXED_3S: PollPolicy = {
  firstDelayMs: 3000, minIntervalMs: 3000, intervalMs: 3000, factor: 1, maxIntervalMs: 3000,
  deadlineMs: Number.POSITIVE_INFINITY, maxErrors: 0,
};

const mean = (xs: ReadonlyArray<number>): number => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

const row = (jobSeconds: number, name: PollingRow['policy'], policy: PollPolicy, runs: number): PollingRow => {
  const requests: number[] = [];
  const lags: number[] = [];
  let withinDeadline = true;
  for (let seed = 1; seed <= runs; seed++) {
    const run = simulatePolling(jobSeconds * 1000, policy, seededRandom(seed));
    if (run.lagMs === undefined) throw new Error(`polling never saw the end of a ${jobSeconds} s job (${name})`);
    requests.push(run.statusRequests);
    lags.push(run.lagMs);
    // Would the default overall deadline (measured from the start of polling) have cut this run short?
    if (jobSeconds * 1000 + run.lagMs >= MX_POLLING.deadlineMs) withinDeadline = false;
  }
  return {
    jobSeconds,
    policy: name,
    statusRequests: round(mean(requests), 2),
    detectionLagSeconds: round(mean(lags) / 1000, 3),
    maxStatusRequests: Math.max(...requests),
    maxDetectionLagSeconds: round(Math.max(...lags) / 1000, 3),
    pollCapSeconds: Math.max(policy.maxIntervalMs, policy.minIntervalMs) / 1000,
    withinDefaultDeadline: withinDeadline,
    runs,
  };
};

runPhase('polling', async ({ quick }): Promise<PollingRow[]> => {
  const runs = quick ? 100 : 1000;
  const rows: PollingRow[] = [];
  for (const job of JOBS) {
    rows.push(row(job, 'default', MX_POLLING, runs));
    rows.push(row(job, 'fixed-3s', FIXED_3S, 1)); // no jitter: one run says it all
  }
  for (const r of rows) log(`polling: ${r.jobSeconds} s ${r.policy}: ${r.statusRequests} requests, lag ${r.detectionLagSeconds} s`);
  return rows;
});

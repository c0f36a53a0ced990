/** The targets, checked against a run's results. */
import { isFailure, type BenchResults, type TargetCheck } from './results.js';

const check = (key: string, target: string, actual: number | string, met: boolean): TargetCheck => ({
  key, target, actual: String(actual), met,
});

/** The most the RSS after each big file may drift (last − first) and still count as flat. */
export const FLAT_RSS_TOLERANCE_MB = 10;

/** Every target the issue sets, for the phases that ran. A failed phase misses all of its targets. */
export const checkTargets = (r: Omit<BenchResults, 'targets' | 'meta'>): TargetCheck[] => {
  const out: TargetCheck[] = [];
  if (r.overhead !== undefined) {
    if (isFailure(r.overhead)) out.push(check('overhead', 'runs', r.overhead.error, false));
    else out.push(check('overhead.ratio', '≤ 1.05', r.overhead.ratio, r.overhead.ratio <= 1.05));
  }
  if (r.polling !== undefined) {
    if (isFailure(r.polling)) out.push(check('polling', 'runs', r.polling.error, false));
    else {
      for (const ours of r.polling.filter((p) => p.policy === 'default')) {
        const fixed = r.polling.find((p) => p.policy === 'fixed-3s' && p.jobSeconds === ours.jobSeconds);
        if (ours.jobSeconds >= 30 && fixed) {
          out.push(check(`polling[${ours.jobSeconds}s].statusRequests`, `< fixed-3s (${fixed.statusRequests})`,
            ours.statusRequests, ours.statusRequests < fixed.statusRequests));
        }
        out.push(check(`polling[${ours.jobSeconds}s].maxDetectionLagSeconds`, `≤ cap ${ours.pollCapSeconds}`,
          ours.maxDetectionLagSeconds, ours.maxDetectionLagSeconds <= ours.pollCapSeconds));
      }
    }
  }
  if (r.batch !== undefined) {
    if (isFailure(r.batch)) out.push(check('batch', 'runs', r.batch.error, false));
    else {
      out.push(check('batch.ratio', '≤ 1.15', r.batch.ratio, r.batch.ratio <= 1.15));
      out.push(check('batch.http429', '= 0', r.batch.http429, r.batch.http429 === 0));
      out.push(check('batch.failures', '= 0', r.batch.failures, r.batch.failures === 0));
      out.push(check('batch.peakRssMb', '≤ 200', r.batch.peakRssMb, r.batch.peakRssMb <= 200));
      out.push(check('batch.duplicateMembers', '= 0 (each member synced once)', r.batch.duplicateMembers, r.batch.duplicateMembers === 0));
    }
  }
  if (r.bigPdf !== undefined) {
    if (isFailure(r.bigPdf)) out.push(check('bigPdf', 'runs', r.bigPdf.error, false));
    else {
      out.push(check('bigPdf.peakRssMb', '≤ 120', r.bigPdf.peakRssMb, r.bigPdf.peakRssMb <= 120));
      const each = r.bigPdf.rssAfterEachMb;
      const drift = (each[each.length - 1] ?? 0) - (each[0] ?? 0);
      out.push(check('bigPdf.rssAfterEachMb', `flat (last − first ≤ ${FLAT_RSS_TOLERANCE_MB} MB)`,
        `${drift.toFixed(1)} MB`, each.length === r.bigPdf.files && drift <= FLAT_RSS_TOLERANCE_MB));
      out.push(check('bigPdf.verified', `= files (${r.bigPdf.files})`, r.bigPdf.verified, r.bigPdf.verified === r.bigPdf.files));
    }
  }
  if (r.longJobs !== undefined) {
    if (isFailure(r.longJobs)) out.push(check('longJobs', 'runs', r.longJobs.error, false));
    else {
      const l = r.longJobs;
      out.push(check('longJobs.synced', `= members (${l.members}), 0 lost`, `${l.synced} (${l.failures} failures)`, l.synced === l.members && l.failures === 0));
      out.push(check('longJobs.ratio', "≤ 1.15 × the issue's bound, max((9 requests per member + listing) / rate, job time)", l.ratio, l.ratio <= 1.15));
      out.push(check('longJobs.http429', '= 0', l.http429, l.http429 === 0));
    }
  }
  if (r.rerun !== undefined) {
    if (isFailure(r.rerun)) out.push(check('rerun', 'runs', r.rerun.error, false));
    else {
      out.push(check('rerun.requestsPerMemberBeyondListing', '≤ 1.1', r.rerun.requestsPerMemberBeyondListing, r.rerun.requestsPerMemberBeyondListing <= 1.1));
      out.push(check('rerun.requestsPerMember', '≤ 2.1 (members listed user by user)', r.rerun.requestsPerMember, r.rerun.requestsPerMember <= 2.1));
    }
  }
  if (r.batchWebhooks !== undefined) {
    if (isFailure(r.batchWebhooks)) out.push(check('batchWebhooks', 'runs', r.batchWebhooks.error, false));
    else {
      const w = r.batchWebhooks;
      out.push(check('batchWebhooks.statusPollsPerMember', '≤ 1.2', w.statusPollsPerMember, w.statusPollsPerMember <= 1.2));
      out.push(check('batchWebhooks.synced', `= members (${w.members})`, w.synced, w.synced === w.members && w.failures === 0));
    }
  }
  if (r.fleet !== undefined) {
    if (isFailure(r.fleet)) out.push(check('fleet', 'runs', r.fleet.error, false));
    else {
      const f = r.fleet;
      out.push(check('fleet.ratio', '≤ 1.15', f.ratio, f.ratio <= 1.15));
      out.push(check('fleet.http429AfterFirstSecond', '= 0', f.http429AfterFirstSecond, f.http429AfterFirstSecond === 0));
      out.push(check('fleet.syncedExactlyOnce', `= members (${f.members}) after kill -9`, f.syncedExactlyOnce, f.syncedExactlyOnce === f.members && f.killedAtDone > 0));
      out.push(check('fleet.pdfsOnDisk', `= statements (${f.statements}), each saved once`, f.pdfsOnDisk, f.pdfsOnDisk === f.statements));
    }
  }
  return out;
};

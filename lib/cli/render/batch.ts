/**
 * Text for a batch (`sync`): one line per finished member, and the closing summary.
 *
 * @module
 */
import type { BatchMemberDone, BatchSummary } from '../../workflow/index.js';
import { describeError } from '../../core/errors.js';
import type { Line } from './describe.js';
import { formatBytes } from './format.js';

/**
 * The line for a member that finished.
 *
 * @example
 * ```ts
 * import { memberDoneLine } from './batch.js';
 *
 * memberDoneLine({ type: 'member-done', target: { index: 0, key: 'USR-1/MBR-1', userGuid: 'USR-1', memberGuid: 'MBR-1' }, outcome: 'synced' });
 * // { kind: 'done', text: 'synced' }
 * ```
 */
export const memberDoneLine = (d: BatchMemberDone): Line => {
  const why = d.error ? describeError(d.error) : 'the run ended early';
  switch (d.outcome) {
    case 'synced':
      return { kind: 'done', text: 'synced' };
    case 'needs-user-action':
      return { kind: 'question', text: `needs its user: ${why}` };
    case 'failed':
      return { kind: 'fail', text: `failed: ${why}` };
  }
};

/** At most this many problems are listed per kind in the printed summary (the counts stay exact). */
export const SUMMARY_LIST_LIMIT = 50;

/**
 * The closing summary of a sync, as text (no trailing newline).
 *
 * @example
 * ```ts
 * import { renderBatchSummary } from './batch.js';
 * import type { BatchSummary } from 'mx-statements-rx';
 * declare const summary: BatchSummary;
 *
 * renderBatchSummary(summary);
 * // Members: 3 synced, 0 need their user, 0 failed (3 in all)
 * // Statements: 18 (18 downloaded, 92.4 KB; 0 already saved)
 * ```
 */
export const renderBatchSummary = (s: BatchSummary): string => {
  const lines = [
    `Members: ${s.synced} synced, ${s.needsUserAction} need their user, ${s.failed} failed (${s.total} in all)`,
    `Statements: ${s.statements} (${s.downloaded} downloaded, ${formatBytes(s.bytes)}; ${s.skipped} already saved and verified)`,
  ];
  const list = (title: string, problems: BatchSummary['failures'], count: number) => {
    if (count === 0) return;
    lines.push('', `${title}:`);
    for (const p of problems.slice(0, SUMMARY_LIST_LIMIT)) lines.push(`  ${p.key}  ${p.errorTag}: ${p.message}`);
    if (count > SUMMARY_LIST_LIMIT) lines.push(`  … and ${count - SUMMARY_LIST_LIMIT} more (see --json for all)`);
  };
  list('Need their user (MFA, credentials, locked…)', s.needingAction, s.needsUserAction);
  list('Failed', s.failures, s.failed);
  if (s.listingError) lines.push('', `Listing members stopped early: ${describeError(s.listingError)}`);
  return lines.join('\n');
};

/**
 * The running totals of a batch and the `batch-summary` made from them.
 *
 * @module
 */
import type { BatchMemberDone, BatchProblem, BatchSummary } from './batch.js';
import type { MxError } from '../core/errors.js';

/**
 * The summary lists keep at most this many entries each (the counts stay exact).
 *
 * @example
 * ```ts
 * import { MAX_SUMMARY_PROBLEMS } from './batch-summary.js';
 * MAX_SUMMARY_PROBLEMS; // 1000
 * ```
 */
export const MAX_SUMMARY_PROBLEMS = 1000;

/** What a batch counts while it runs. */
export interface MutableSummary {
  total: number;
  synced: number;
  needsUserAction: number;
  failed: number;
  statements: number;
  downloaded: number;
  skipped: number;
  bytes: number;
  listingError: MxError | null;
  needingAction: BatchProblem[];
  failures: BatchProblem[];
  passes: number;
  retried: number;
  fresh: number;
  notStarted: number;
  skippedUsers: BatchProblem[];
}

/** Zeroes. */
export const newSummary = (): MutableSummary => ({
  total: 0, synced: 0, needsUserAction: 0, failed: 0, statements: 0, downloaded: 0, skipped: 0, bytes: 0,
  listingError: null, needingAction: [], failures: [], passes: 0, retried: 0, fresh: 0, notStarted: 0, skippedUsers: [],
});

/** Counts a member's final outcome. */
export const recordDone = (s: MutableSummary, done: BatchMemberDone): void => {
  s.total += 1;
  const pass = done.pass ?? 1;
  s.passes = Math.max(s.passes, pass);
  if (pass > 1) s.retried += 1;
  if (done.fresh === true) s.fresh += 1;
  if (done.outcome === 'synced') {
    s.synced += 1;
    return;
  }
  const problem: BatchProblem = {
    key: done.target.key,
    userGuid: done.target.userGuid,
    memberGuid: done.target.memberGuid,
    errorTag: done.error?._tag ?? 'UnexpectedStatus',
    message: done.error?.message ?? 'the run ended without done',
  };
  if (done.outcome === 'needs-user-action') {
    s.needsUserAction += 1;
    if (s.needingAction.length < MAX_SUMMARY_PROBLEMS) s.needingAction.push(problem);
  } else {
    s.failed += 1;
    if (s.failures.length < MAX_SUMMARY_PROBLEMS) s.failures.push(problem);
  }
};

/** Lists a user the 'all-members' listing skipped. */
export const recordSkippedUser = (s: MutableSummary, skip: { readonly userGuid: string; readonly error: MxError }): void => {
  if (s.skippedUsers.length >= MAX_SUMMARY_PROBLEMS) return;
  s.skippedUsers.push({ key: skip.userGuid, userGuid: skip.userGuid, memberGuid: null, errorTag: skip.error._tag, message: skip.error.message });
};

/** Adds a member's `done` figures (statements, downloads, bytes). */
export const recordStatements = (s: MutableSummary, run: { readonly statements: number; readonly downloaded: number; readonly skipped: number; readonly bytes: number }): void => {
  s.statements += run.statements;
  s.downloaded += run.downloaded;
  s.skipped += run.skipped;
  s.bytes += run.bytes;
};

/** The `batch-summary` item. */
export const snapshotSummary = (s: MutableSummary, deadlineReached: boolean): BatchSummary => ({
  type: 'batch-summary',
  total: s.total,
  synced: s.synced,
  needsUserAction: s.needsUserAction,
  failed: s.failed,
  statements: s.statements,
  downloaded: s.downloaded,
  skipped: s.skipped,
  bytes: s.bytes,
  listingError: s.listingError,
  needingAction: s.needingAction,
  failures: s.failures,
  passes: s.passes,
  retried: s.retried,
  fresh: s.fresh,
  notStarted: s.notStarted,
  deadlineReached,
  skippedUsers: s.skippedUsers,
});

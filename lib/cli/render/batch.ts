/**
 * Text for a batch (`sync`): one line per finished member, and the closing summary.
 *
 * @module
 */
import * as path from 'node:path';
import type { FileSystemError } from '../../node/fs-error.js';
import type { BatchMemberDone, BatchSummary } from '../../workflow/index.js';
import type { Line } from './describe.js';
import { failureText } from './failure.js';
import { displayPath, formatBytes, formatDuration } from './format.js';
import { plural, terminalSafe, wrapLine } from './text.js';

/** What one member's run saved. */
export interface MemberTally {
  readonly downloaded: number;
  readonly skipped: number;
  readonly bytes: number;
}

/**
 * The line for a member that finished.
 *
 * @example
 * ```ts
 * import { memberDoneLine } from './batch.js';
 *
 * memberDoneLine({ type: 'member-done', target: { index: 0, key: 'USR-1/MBR-1', userGuid: 'USR-1', memberGuid: 'MBR-1' }, outcome: 'synced' },
 *   { downloaded: 6, skipped: 0, bytes: 30_822 });
 * // { kind: 'done', text: 'synced: 6 PDFs, 6 new (30.1 KB)' }
 * ```
 */
export const memberDoneLine = (d: BatchMemberDone<FileSystemError>, tally: MemberTally = { downloaded: 0, skipped: 0, bytes: 0 }): Line => {
  const why = d.error ? failureText(d.error) : 'the run ended early';
  switch (d.outcome) {
    case 'synced': {
      const total = tally.downloaded + tally.skipped;
      const what = total === 0 ? 'no statements' : tally.downloaded === 0 ? `${plural(total, 'PDF')}, all already saved` : `${plural(total, 'PDF')}, ${tally.downloaded} new (${formatBytes(tally.bytes)})`;
      return { kind: 'done', text: `synced: ${what}` };
    }
    case 'needs-user-action':
      return { kind: 'question', text: `needs its user: ${why}` };
    case 'failed':
      return { kind: 'fail', text: `failed: ${why}` };
  }
};

/** At most this many problems are listed per kind in the printed summary (the counts stay exact). */
export const SUMMARY_LIST_LIMIT = 50;

/** Options of {@link renderBatchSummary}. */
export interface BatchSummaryOptions {
  /** The output folder as given, and the working directory it is shown relative to. */
  readonly out: string;
  readonly cwd: string;
  /** The terminal's columns when the summary goes to one: lines are wrapped to fit. */
  readonly columns?: number;
  readonly elapsedMs?: number;
}

/**
 * The closing summary of a sync, as text (no trailing newline).
 *
 * @example
 * ```ts
 * import { renderBatchSummary } from './batch.js';
 * import type { BatchSummary } from 'mx-statements-rx';
 * declare const summary: BatchSummary;
 *
 * renderBatchSummary(summary, { out: './statements', cwd: process.cwd() });
 * // Done: 3 members synced, 0 need their user, 0 failed (3 in all)
 * // Statements: 18 PDFs, 92.4 KB (18 downloaded, 0 already saved) in statements/
 * ```
 */
export const renderBatchSummary = (s: BatchSummary<FileSystemError>, options: BatchSummaryOptions): string => {
  const took = options.elapsedMs !== undefined ? ` in ${formatDuration(options.elapsedMs)}` : '';
  const folder = displayPath(path.resolve(options.cwd, options.out), options.cwd).replace(/\/*$/, '/');
  const lines = [
    `Done${took}: ${plural(s.synced, 'member')} synced, ${s.needsUserAction} need their user, ${s.failed} failed (${s.total} in all)`,
    `Statements: ${plural(s.statements, 'PDF')}, ${formatBytes(s.bytes)} (${s.downloaded} downloaded, ${s.skipped} already saved) in ${terminalSafe(folder)}`,
  ];
  const list = (title: string, problems: BatchSummary<FileSystemError>['failures'], count: number) => {
    if (count === 0) return;
    lines.push(`${title} (${count}):`);
    for (const p of problems.slice(0, SUMMARY_LIST_LIMIT)) lines.push(`  ${terminalSafe(p.key)}  ${terminalSafe(`${p.errorTag}: ${p.message}`)}`);
    if (count > SUMMARY_LIST_LIMIT) lines.push(`  … and ${count - SUMMARY_LIST_LIMIT} more (--json lists them all)`);
  };
  list('Need their user (MFA, credentials, locked…)', s.needingAction, s.needsUserAction);
  list('Failed', s.failures, s.failed);
  if (s.listingError) lines.push(terminalSafe(`Listing members stopped early: ${failureText(s.listingError)}`));
  const width = options.columns !== undefined && options.columns > 0 ? options.columns - 1 : 0;
  return lines.flatMap((l) => wrapLine(l, width, { indent: '      ' })).join('\n');
};

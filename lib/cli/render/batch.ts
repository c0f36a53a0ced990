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
  /** Kept without a `content_hash` (`--allow-unverified`). */
  readonly unverified?: number;
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
  const why = d.error ? failureText(d.error, { batch: true }) : 'the run ended early';
  switch (d.outcome) {
    case 'synced': {
      const total = tally.downloaded + tally.skipped;
      const what = total === 0 ? 'no statements' : tally.downloaded === 0 ? `${plural(total, 'PDF')}, all already saved` : `${plural(total, 'PDF')}, ${tally.downloaded} new (${formatBytes(tally.bytes)})`;
      const notes = [
        ...(d.fresh ? ['fresh: no new job (--max-age)'] : []),
        ...(d.pass !== undefined && d.pass > 1 ? [`on pass ${d.pass}`] : []),
        ...(tally.unverified ? [`${tally.unverified} unverified`] : []),
      ];
      return { kind: 'done', text: `synced: ${what}${notes.length ? `; ${notes.join(', ')}` : ''}` };
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
  /** PDFs kept without a `content_hash` (`--allow-unverified`), counted from the events. */
  readonly unverified?: number;
  /** The webhook receiver's counts and the status polls made, with `--webhook-port`. */
  readonly webhooks?: { readonly received: number; readonly duplicates: number; readonly rejected: number; readonly polls: number };
  /** A fleet run (`--queue`): its id, the workers that ended members, members processed twice, the most queue attempts. */
  readonly fleet?: { readonly runId: string; readonly workers: number; readonly duplicates: number; readonly attempts: number };
}

/** `, 1 pass`, `, 2 passes (1 member tried again)`. */
const passesText = (s: BatchSummary<FileSystemError>): string => {
  if (s.passes === undefined) return '';
  const again = s.retried ? ` (${plural(s.retried, 'member')} tried again)` : '';
  return `, ${plural(s.passes, 'pass', 'passes')}${again}`;
};

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
  const where = options.fleet ? 'by the workers' : `in ${terminalSafe(displayPath(path.resolve(options.cwd, options.out), options.cwd).replace(/\/*$/, '/'))}`;
  const lines = [
    `Done${took}${passesText(s)}: ${s.synced} of ${plural(s.total, 'member')} synced, ${s.needsUserAction} need their user, ${s.failed} failed`,
    `Statements: ${plural(s.statements, 'PDF')}, ${formatBytes(s.bytes)} (${s.downloaded} downloaded, ${s.skipped} already saved) ${where}`,
  ];
  if (s.fresh) lines.push(`Fresh: ${plural(s.fresh, 'member')} had a statements job younger than --max-age: listed, gaps filled, no new job`);
  if (options.unverified) lines.push(`Unverified: ${plural(options.unverified, 'PDF')} kept without a content_hash from MX (--allow-unverified)`);
  if (options.webhooks) {
    const w = options.webhooks;
    // The polls per member is what webhooks save (one each is the floor): it fits 80 columns up to 10 000s of members.
    const polls = s.total > 0 ? `${(w.polls / s.total).toFixed(1)} status polls per member` : plural(w.polls, 'status poll');
    lines.push(`Webhooks: ${w.received} received, ${w.duplicates} redelivered, ${w.rejected} refused; ${polls}`);
  }
  if (options.fleet) {
    const f = options.fleet;
    lines.push(`Fleet: run ${terminalSafe(f.runId)}, ${plural(f.workers, 'worker')}; ${f.duplicates === 0 ? 'every member ran once' : `${plural(f.duplicates, 'member')} ran twice`}${f.attempts > 1 ? `; up to ${f.attempts} queue attempts` : ''}`);
  }
  if (s.notStarted) lines.push(`Not started: ${plural(s.notStarted, 'member')} (the run's deadline came first)`);
  else if (s.deadlineReached) lines.push("The run's deadline came before every member ended its passes");
  const list = (title: string, problems: BatchSummary<FileSystemError>['failures'], count: number) => {
    if (count === 0) return;
    lines.push(`${title} (${count}):`);
    for (const p of problems.slice(0, SUMMARY_LIST_LIMIT)) lines.push(`  ${terminalSafe(p.key)}  ${terminalSafe(`${p.errorTag}: ${p.message}`)}`);
    if (count > SUMMARY_LIST_LIMIT) lines.push(`  … and ${count - SUMMARY_LIST_LIMIT} more (--json lists them all)`);
  };
  list('Need their user (MFA, credentials, locked…)', s.needingAction, s.needsUserAction);
  list('Failed', s.failures, s.failed);
  const skipped = s.skippedUsers ?? [];
  list('Users skipped: their members could not be listed', skipped, skipped.length);
  if (s.listingError) lines.push(terminalSafe(`Listing members stopped early: ${failureText(s.listingError)}`));
  const width = options.columns !== undefined && options.columns > 0 ? options.columns - 1 : 0;
  return lines.flatMap((l) => wrapLine(l, width, { indent: '      ' })).join('\n');
};

/**
 * A batch's items (`fetchStatementsForMany$`, in `sync` or in a `worker`) on a renderer: the counts behind the live
 * headline (members done of all once the listing ended, hence the ETA), one line per member that ended, a line per
 * later pass, per listing retry, per user the listing skipped and when the listing ended, and what the closing
 * summary needs that the batch's own summary does not count (unverified PDFs, status polls).
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import type { FileSystemError } from '../../node/fs-error.js';
import type { BatchItem, BatchListingSkipped, BatchSummary, BatchTarget } from '../../workflow/index.js';
import { toFailure } from '../cli-error.js';
import type { OutputMode } from '../io.js';
import { memberDoneLine, type MemberTally } from './batch.js';
import { failureText, shortReason } from './failure.js';
import { formatDuration } from './format.js';
import type { BatchProgress, Renderer, Scope } from './renderer.js';
import { plural } from './text.js';

/** The scope (label and JSON fields) of a batch member. */
export const scopeOf = (t: BatchTarget): Scope => ({ label: t.memberGuid ?? t.key, fields: { target: t.key } });

/**
 * Shows a user the 'all-members' listing skipped (its members refused for good: deleted mid-run, …): one line
 * scoped to the user (its guid shortened on a terminal, escaped like all server text), the item itself in JSON.
 *
 * @example
 * ```ts
 * import { showListingSkipped } from './batch-view.js';
 * import type { Renderer } from './renderer.js';
 * import type { BatchListingSkipped } from 'mx-statements-rx';
 * declare const renderer: Renderer;
 * declare const item: BatchListingSkipped;
 *
 * showListingSkipped(renderer, 'plain', item); // !! [USR-…] skipped: its members could not be listed: NotFound: …
 * ```
 */
export const showListingSkipped = (renderer: Renderer, mode: OutputMode, item: BatchListingSkipped): void =>
  renderer.record(
    item,
    { kind: 'fail', text: `skipped: its members could not be listed: ${failureText(item.error, { compact: mode === 'tty' })}` },
    // The guid is the item's own field in JSON.
    { label: item.userGuid, fields: {} },
  );

interface Tally {
  downloaded: number;
  skipped: number;
  bytes: number;
  unverified: number;
}

/**
 * Counts what a batch did so far, from its items: the overall progress (its total from `total`, or from the
 * listing's `listing-done`), each member's tally, unverified PDFs, status polls and the users the listing skipped.
 *
 * @example
 * ```ts
 * import { createBatchTracker } from './batch-view.js';
 *
 * const tracker = createBatchTracker(undefined, Date.now());
 * tracker.progress().synced; // 0
 * ```
 */
export const createBatchTracker = (total: number | undefined, startedAt: number) => {
  const tallies = new Map<number, Tally>();
  let polls = 0;
  let unverified = 0;
  let skippedUsers = 0;
  let p: BatchProgress = { total, started: 0, synced: 0, needsUser: 0, failed: 0, statements: 0, bytes: 0, startedAt };
  const tally = (t: BatchTarget) => {
    let x = tallies.get(t.index);
    if (!x) {
      x = { downloaded: 0, skipped: 0, bytes: 0, unverified: 0 };
      tallies.set(t.index, x);
      p = { ...p, started: p.started + 1 };
    }
    return x;
  };
  return {
    /** Updates the counts; `true` when the progress line changed. */
    add: (item: BatchItem<FileSystemError>): boolean => {
      if (item.type === 'member') {
        const before = p.started;
        const x = tally(item.target);
        const isNew = p.started !== before;
        if (E.isLeft(item.event)) return isNew;
        const ev = item.event.right;
        if (ev.type === 'status') polls += 1;
        if (ev.type === 'statement-downloaded' || ev.type === 'statement-skipped') {
          if (ev.type === 'statement-downloaded') {
            x.downloaded += 1;
            x.bytes += ev.bytes;
          } else x.skipped += 1;
          if (ev.unverified === true) {
            x.unverified += 1;
            unverified += 1;
          }
          p = { ...p, statements: p.statements + 1, bytes: p.bytes + ev.bytes };
          return true;
        }
        return isNew;
      }
      if (item.type === 'member-done') {
        tally(item.target);
        if (item.outcome === 'synced') p = { ...p, synced: p.synced + 1 };
        else if (item.outcome === 'needs-user-action') p = { ...p, needsUser: p.needsUser + 1 };
        else p = { ...p, failed: p.failed + 1 };
        return true;
      }
      if (item.type === 'listing-done') {
        // The members of the run are known: members done of all, and the ETA.
        p = { ...p, total: item.total };
        return true;
      }
      if (item.type === 'listing-skipped') skippedUsers += 1;
      return false;
    },
    progress: (): BatchProgress => p,
    tally: (t: BatchTarget): MemberTally => tallies.get(t.index) ?? { downloaded: 0, skipped: 0, bytes: 0 },
    /** PDFs kept without a `content_hash`. */
    unverified: (): number => unverified,
    /** Status polls made. */
    polls: (): number => polls,
    /** Users the listing skipped (their members could not be listed). */
    skippedUsers: (): number => skippedUsers,
  };
};

/** A batch tracker. */
export type BatchTracker = ReturnType<typeof createBatchTracker>;

/**
 * Shows one batch item: a member's events (its failure once, by its `member-done` line), `member-done` (with the
 * count so far in plain mode), a later pass, a listing retry, a user the listing skipped, the listing's end or
 * failure, and the summary (JSON only: people get the closing summary). Returns the `batch-summary` when this item
 * is it.
 *
 * @example
 * ```ts
 * import { createBatchTracker, showBatchItem } from './batch-view.js';
 * import type { Renderer } from './renderer.js';
 * import type { BatchItem } from 'mx-statements-rx';
 * declare const renderer: Renderer;
 * declare const item: BatchItem;
 *
 * const tracker = createBatchTracker(undefined, Date.now());
 * showBatchItem(item, { renderer, mode: 'plain', tracker });
 * ```
 */
export const showBatchItem = (
  item: BatchItem<FileSystemError>,
  view: { readonly renderer: Renderer; readonly mode: OutputMode; readonly tracker: BatchTracker; readonly suffix?: string },
): BatchSummary<FileSystemError> | undefined => {
  const { renderer, mode, tracker } = view;
  const moved = tracker.add(item);
  let summary: BatchSummary<FileSystemError> | undefined;
  switch (item.type) {
    case 'member':
      // A member's failure is shown once, by its member-done line.
      if (E.isRight(item.event)) renderer.event(item.event.right, scopeOf(item.target));
      else if (mode === 'json') renderer.failure(item.event.left, scopeOf(item.target));
      break;
    case 'member-done': {
      const line = memberDoneLine(item, tracker.tally(item.target));
      const p = tracker.progress();
      const done = p.synced + p.needsUser + p.failed;
      const count = p.total !== undefined ? `${done} of ${plural(p.total, 'member')} done` : `${plural(done, 'member')} done`;
      const text = `${line.text}${view.suffix ?? ''}${mode === 'plain' ? ` (${count})` : ''}`;
      renderer.record(item, { ...line, text }, scopeOf(item.target));
      break;
    }
    case 'member-retry':
      renderer.record(item, {
        kind: 'retry',
        text: `${shortReason(item.error)}: tried again in ${formatDuration(item.delayMs)}, pass ${item.pass + 1}`,
      }, scopeOf(item.target));
      break;
    case 'listing-retry':
      renderer.record(item, {
        kind: 'retry',
        text: `listing members: ${shortReason(item.error)}; asked again in ${formatDuration(item.delayMs)} (retry ${item.attempt})`,
      });
      break;
    case 'listing-skipped':
      // A user's members refused for good (deleted mid-run…): none of them is synced; the listing went on.
      showListingSkipped(renderer, mode, item);
      break;
    case 'listing-done': {
      const skipped = tracker.skippedUsers();
      renderer.record(item, {
        kind: 'progress',
        text: `Listed every member: ${plural(item.total, 'member')} in all${skipped ? ` (${plural(skipped, 'user')} skipped)` : ''}`,
      });
      break;
    }
    case 'listing-failed':
      renderer.record(item, { kind: 'fail', text: `listing members failed: ${toFailure(item.error).message}` });
      break;
    case 'batch-summary':
      summary = item;
      renderer.record(item, undefined);
      break;
  }
  if (moved) renderer.progress(tracker.progress());
  return summary;
};

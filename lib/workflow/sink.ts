import type { Statement } from '../codecs/index.js';
import type { MxError, TaggedError } from '../core/errors.js';
import type { MxObservable, ObservableEither } from '../core/observable-either.js';
import type { MemberRef } from '../api/refs.js';

/**
 * Which statement a download is for.
 *
 * @example
 * ```ts
 * import type { DownloadTarget } from 'mx-statements-rx';
 * const t: DownloadTarget = { member: { userGuid: 'USR-1', memberGuid: 'MBR-1' }, statement: { guid: 'STA-1' } };
 * ```
 */
export interface DownloadTarget {
  readonly member: MemberRef;
  readonly statement: Statement;
}

/**
 * One step of a verified download, as the workflow hands it to a sink: the bytes chunk by chunk, then, only
 * when every check passed (`%PDF-` signature, length, SHA-256 against `content_hash`), one `verified`.
 *
 * @example
 * ```ts
 * import type { DownloadEvent } from 'mx-statements-rx';
 * const done: DownloadEvent = { kind: 'verified', bytes: 48213, sha256: 'e3b0…' };
 * ```
 */
export type DownloadEvent =
  | { readonly kind: 'chunk'; readonly bytes: Uint8Array; readonly received: number; readonly contentLength?: number }
  | {
    readonly kind: 'verified';
    readonly bytes: number;
    readonly sha256: string;
    /** The statement had no usable `content_hash` and the run allowed that: `%PDF-` and length were checked, not the hash. */
    readonly unverified?: true;
  };

/** Where a sink put a statement. `location` is sink-specific: a file path, a key, `memory:…`. */
export interface SavedStatement {
  readonly location: string;
  readonly bytes: number;
  readonly sha256: string;
  /** Stored without a `content_hash` to check it against (see `DownloadOptions.requireContentHash`). */
  readonly unverified?: true;
}

/**
 * Where downloaded statements go. The workflow checks `has$` first (a stored, verified statement is skipped,
 * never downloaded again), then streams the download into `save$`.
 *
 * `save$` contract: `download$` emits `Right` chunks and then `Right(verified)`; a `Left` means the download
 * failed or was rejected. The sink keeps the statement only after `verified`: on a `Left`, on completion
 * without `verified`, or on unsubscribe before it began storing it keeps nothing (and leaves any earlier good
 * copy untouched). Storing a verified statement, once begun, completes even on unsubscribe, so a kept file is
 * always whole and recorded — though its result may then go unseen.
 * It emits exactly one `Either` and completes.
 *
 * `SinkError` is what the sink itself may fail with, beside the download's own `MxError`s: `never` for the
 * memory sink (a full buffer is `SinkFull`, an `MxError`), `FileSystemError` for the Node disk sink. A run's
 * stream carries it: `fetchStatements$` with the disk sink yields `Either<MxError | FileSystemError, …>`.
 *
 * @example
 * ```ts
 * import * as E from 'fp-ts/lib/Either.js';
 * import { of } from 'rxjs';
 * import type { StatementSink } from 'mx-statements-rx';
 * const nowhere: StatementSink = {
 *   has$: () => of(E.right(undefined)),
 *   save$: (_t, _download$) => of(E.right({ location: 'nowhere', bytes: 0, sha256: '' })), // a real sink consumes download$
 * };
 * ```
 */
export interface StatementSink<SinkError extends TaggedError = never> {
  /** `Right(saved)` when the statement is already stored and verified (skip it), `Right(undefined)` otherwise. */
  has$(target: DownloadTarget): ObservableEither<MxError | SinkError, SavedStatement | undefined>;
  /** Stores one download as the contract above says; emits exactly one `Either`, then completes. */
  save$(target: DownloadTarget, download$: MxObservable<DownloadEvent>): ObservableEither<MxError | SinkError, SavedStatement>;
  /**
   * Optional (for `maxAge` in `fetchStatementsForMany$`): when the member's last successful statements job ended,
   * in ms since the epoch, as `recordStatementsJob$` stored it; `Right(undefined)` when none is recorded.
   */
  lastStatementsJob$?(member: MemberRef): ObservableEither<MxError | SinkError, number | undefined>;
  /** Optional: records that a statements job of the member ended well at `at` (ms since the epoch). */
  recordStatementsJob$?(member: MemberRef, at: number): ObservableEither<MxError | SinkError, void>;
}

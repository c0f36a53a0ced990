/**
 * What every output mode implements: JSON lines, plain log lines, or a live display on a terminal.
 *
 * @module
 */
import type { RetryNotice } from '../../core/config.js';
import type { StatementEvent } from '../../workflow/events.js';
import type { Failure } from '../cli-error.js';
import type { Line } from './describe.js';

/** Which member (of a batch) an event or failure is about: a short label for people, fields for JSON. */
export interface Scope {
  readonly label: string;
  readonly fields: Readonly<Record<string, string>>;
}

/**
 * A batch's progress so far, for the live display's header (and the plain member lines).
 *
 * @example
 * ```ts
 * import type { BatchProgress } from './renderer.js';
 *
 * const p: BatchProgress = { total: 40, started: 14, synced: 11, needsUser: 0, failed: 1, statements: 72, bytes: 1_200_000, startedAt: Date.now() - 4_000 };
 * ```
 */
export interface BatchProgress {
  /**
   * Members in all, when known (a `--members` file, or every member of every user once the listing ended:
   * `listing-done`); `undefined` while members are still being listed.
   */
  readonly total: number | undefined;
  /** Members started so far. */
  readonly started: number;
  readonly synced: number;
  readonly needsUser: number;
  readonly failed: number;
  /** PDFs saved or found already saved. */
  readonly statements: number;
  readonly bytes: number;
  /** When the batch started (epoch ms), for the rate and the ETA. */
  readonly startedAt: number;
  /** A fleet (`sync --queue`): workers connected to the queue now. */
  readonly workers?: number;
  /** A fleet: members running on some worker now. */
  readonly running?: number;
  /** A fleet: members still being queued (the total may grow). */
  readonly listing?: boolean;
}

/** A sink for the CLI's output. Implementations never throw. */
export interface Renderer {
  /** A workflow event (with its member, in a batch). */
  event(ev: StatementEvent, scope?: Scope): void;
  /** A failure: of the whole run, or of one member in a batch. */
  failure(f: Failure, scope?: Scope): void;
  /**
   * Any other item with a `type` (a batch's `member-done`, `batch-summary`…): JSON writes the item, the others
   * write `line` (if any). With a `scope`, that member's live activity ends.
   */
  record(item: { readonly type: string }, line: Line | undefined, scope?: Scope): void;
  /** A line for people (where the run goes, a question answered by a flag). JSON mode drops it. */
  note(line: Line): void;
  /**
   * Lines shown exactly as given (escaped, never wrapped or marked): a command to paste, a URL to copy. A line
   * longer than the terminal soft-wraps and still copies whole. JSON mode drops them.
   */
  verbatim(lines: ReadonlyArray<string>): void;
  /** A transport retry is about to wait (shown at once: "connection refused; retrying in 2 s, attempt 2 of 4"). */
  retry(notice: RetryNotice): void;
  /** A batch's progress changed. */
  progress(p: BatchProgress): void;
  /** Stops drawing while a prompt has the terminal. */
  suspend(): void;
  /** Draws again after a prompt. */
  resume(): void;
  /** Final clean-up: erases the live display, shows the cursor. Idempotent. */
  close(): void;
}

/** A stream the renderers write to (stdout, stderr, or a test double). */
export interface TextStream {
  write(chunk: string): boolean;
  readonly isTTY?: boolean;
  readonly columns?: number;
  readonly rows?: number;
}

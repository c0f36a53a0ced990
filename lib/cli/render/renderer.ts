/**
 * What every output mode implements: JSON lines, plain log lines, or live TTY progress.
 *
 * @module
 */
import type { StatementEvent } from '../../workflow/events.js';
import type { Failure } from '../cli-error.js';
import type { Line } from './describe.js';

/** Which member (of a batch) an event or failure is about: a short label for people, fields for JSON. */
export interface Scope {
  readonly label: string;
  readonly fields: Readonly<Record<string, string>>;
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
  /** A note for people (where the sandbox listens, where files go). JSON mode drops it. */
  info(text: string): void;
  /** Stops drawing while a prompt has the terminal. */
  suspend(): void;
  /** Draws again after a prompt. */
  resume(): void;
  /** Final clean-up: stops timers, restores the cursor. Idempotent. */
  close(): void;
}

/** A stream the renderers write to (stdout, stderr, or a test double). */
export interface TextStream {
  write(chunk: string): boolean;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

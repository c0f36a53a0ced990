/**
 * Plain log lines, for a log file or a pipe: one line per step, no colours, no cursor movement, full guids and
 * paths. Progress goes to stderr (stdout stays for the summary). Every line is escaped: server text cannot act
 * on whatever later shows the log.
 *
 * @module
 */
import type { RetryNotice } from '../../core/config.js';
import type { StatementEvent } from '../../workflow/events.js';
import type { Failure } from '../cli-error.js';
import { describeEvent, type DescribeContext, type Line, type LineKind } from './describe.js';
import { failureText } from './failure.js';
import type { Renderer, Scope, TextStream } from './renderer.js';
import { retryText } from './retry.js';
import { terminalSafe } from './text.js';
import { usageErrorText } from './usage.js';

/** The mark at the start of each plain line, by kind. */
export const PLAIN_MARKS: Readonly<Record<LineKind, string>> = { done: 'ok', progress: '..', skip: '--', question: '??', retry: '..', fail: '!!' };

/** Options of {@link createPlainRenderer}. */
export interface PlainRendererOptions extends DescribeContext {
  /** The command, for the usage-error format. */
  readonly command?: string;
}

/**
 * The plain renderer. Each line is `<mark> [<member>] <text>`.
 *
 * @example
 * ```ts
 * import { createPlainRenderer } from './plain.js';
 *
 * const r = createPlainRenderer(process.stderr, { cwd: process.cwd() });
 * r.note({ kind: 'progress', text: 'Using the MX API at https://int-api.mx.com' }); // ".. Using the MX API at …"
 * ```
 */
export const createPlainRenderer = (out: TextStream, options: PlainRendererOptions): Renderer => {
  const write = (l: Line, scope?: Scope) => {
    out.write(`${PLAIN_MARKS[l.kind]} ${scope ? `[${terminalSafe(scope.label)}] ` : ''}${terminalSafe(l.text)}\n`);
  };
  return {
    event: (ev: StatementEvent, scope?: Scope) => {
      const l = describeEvent(ev, options);
      if (l) write(l, scope);
    },
    failure: (f: Failure, scope?: Scope) => {
      if (f._tag === 'UsageError' && !scope) out.write(usageErrorText(options.command, f.message));
      else write({ kind: 'fail', text: failureText(f) }, scope);
    },
    record: (_item, l, scope) => {
      if (l) write(l, scope);
    },
    note: (l) => write(l),
    retry: (n: RetryNotice) => write({ kind: 'retry', text: retryText(n) }),
    progress: () => undefined,
    suspend: () => undefined,
    resume: () => undefined,
    close: () => undefined,
  };
};

/**
 * Plain log lines, for a log file or a pipe: one line per step, no colours, no cursor movement. Progress goes
 * to stderr (stdout stays for the summary table).
 *
 * @module
 */
import type { StatementEvent } from '../../workflow/events.js';
import type { Failure } from '../cli-error.js';
import { describeEvent, describeFailure, type DescribeContext, type LineKind } from './describe.js';
import type { Renderer, Scope, TextStream } from './renderer.js';

const MARK: Record<LineKind, string> = { done: 'ok', progress: '..', skip: '--', question: '??', fail: '!!' };

/**
 * The plain renderer. Each line is `<mark> [<member>] <text>`.
 *
 * @example
 * ```ts
 * import { createPlainRenderer } from './plain.js';
 *
 * const r = createPlainRenderer(process.stderr, { cwd: process.cwd() });
 * r.info('sandbox listening on http://127.0.0.1:5000'); // "-- sandbox listening on …"
 * ```
 */
export const createPlainRenderer = (out: TextStream, ctx: DescribeContext): Renderer => {
  const line = (mark: string, text: string, scope?: Scope) => {
    out.write(`${mark} ${scope ? `[${scope.label}] ` : ''}${text}\n`);
  };
  return {
    event: (ev: StatementEvent, scope?: Scope) => {
      const l = describeEvent(ev, ctx);
      if (l) line(MARK[l.kind], l.text, scope);
    },
    failure: (f: Failure, scope?: Scope) => {
      const l = describeFailure(f);
      line(MARK[l.kind], l.text, scope);
    },
    record: (_item, l, scope) => {
      if (l) line(MARK[l.kind], l.text, scope);
    },
    info: (text) => line('--', text),
    suspend: () => undefined,
    resume: () => undefined,
    close: () => undefined,
  };
};

/**
 * `--json`: one JSON object per line on stdout: each workflow event as is (with its `type`), each retry as
 * `{"type":"retry",…}`, each failure as `{"type":"error","error":{"_tag":…,"message":…}}`. Nothing else is
 * written to stdout. Server text stays inside JSON strings (escaped as JSON, plus the characters a terminal
 * would act on), so every line parses and `cat`ting the output is safe.
 *
 * @module
 */
import type { RetryNotice } from '../../core/config.js';
import type { StatementEvent } from '../../workflow/events.js';
import type { Failure } from '../cli-error.js';
import { failureText } from './failure.js';
import type { Renderer, Scope, TextStream } from './renderer.js';
import { jsonTerminalSafe, terminalSafe } from './text.js';
import { usageErrorText } from './usage.js';

/** Drops byte arrays and functions, should any reach an event; everything else is plain JSON already. */
const replacer = (_key: string, value: unknown): unknown =>
  value instanceof Uint8Array || typeof value === 'function' ? undefined : value;

/**
 * One NDJSON line (with the trailing newline) for an event or a failure.
 *
 * @example
 * ```ts
 * import { jsonLine } from './json.js';
 * import type { StatementEvent } from 'mx-statements-rx';
 *
 * const found: StatementEvent = { type: 'institution-found', code: 'mxbank', name: 'MX Bank' };
 * jsonLine(found);
 * // '{"type":"institution-found","code":"mxbank","name":"MX Bank"}\n'
 * ```
 */
export const jsonLine = (value: { readonly type: string }, scope?: Scope): string =>
  `${jsonTerminalSafe(JSON.stringify(scope ? { ...value, ...scope.fields } : value, replacer))}\n`;

/**
 * The NDJSON line of a retry notice.
 *
 * @example
 * ```ts
 * import { retryJson } from './json.js';
 * import type { RetryNotice } from 'mx-statements-rx';
 * declare const notice: RetryNotice;
 *
 * process.stdout.write(retryJson(notice)); // {"type":"retry","method":"GET",…}
 * ```
 */
export const retryJson = (n: RetryNotice): string =>
  jsonLine({ type: 'retry', method: n.method, path: n.path, attempt: n.attempt, maxAttempts: n.maxAttempts, delayMs: n.delayMs, error: n.error } as { type: string });

/**
 * The NDJSON renderer. Failures carry the whole error value (tag, message, method, path, statuses…), which by
 * construction holds no secret. When `stderr` is given, each failure is also written there for people: a usage
 * error in the usage format, anything else as one line.
 *
 * @example
 * ```ts
 * import { createJsonRenderer } from './json.js';
 *
 * const r = createJsonRenderer(process.stdout);
 * r.failure({ _tag: 'Interrupted', message: 'stopped by Ctrl-C' }); // {"type":"error","error":{"_tag":"Interrupted",…}}
 * ```
 */
export const createJsonRenderer = (stdout: TextStream, stderr?: TextStream, command?: string): Renderer => {
  let oauth = false;
  return {
    event: (ev: StatementEvent, scope?: Scope) => {
      if (ev.type === 'oauth-required') oauth = true;
      stdout.write(jsonLine(ev, scope));
    },
    failure: (f: Failure, scope?: Scope) => {
      stdout.write(jsonLine({ type: 'error', error: f } as { type: string }, scope));
      if (!stderr) return;
      if (f._tag === 'UsageError') stderr.write(usageErrorText(command, f.message));
      else stderr.write(`${scope ? `[${terminalSafe(scope.label)}] ` : ''}${terminalSafe(failureText(f, { oauth }))}\n`);
    },
    record: (item: { readonly type: string }, _line: unknown, scope?: Scope) => {
      stdout.write(jsonLine(item, scope));
    },
    note: () => undefined,
    verbatim: () => undefined,
    retry: (n: RetryNotice) => {
      stdout.write(retryJson(n));
    },
    progress: () => undefined,
    suspend: () => undefined,
    resume: () => undefined,
    close: () => undefined,
  };
};

/**
 * `--json`: one JSON object per line on stdout: each workflow event as is (with its `type`), each failure as
 * `{"type":"error","error":{"_tag":…,"message":…}}`. Nothing else is written to stdout.
 *
 * @module
 */
import type { StatementEvent } from '../../workflow/events.js';
import type { Failure } from '../cli-error.js';
import { describeFailure } from './describe.js';
import type { Renderer, Scope, TextStream } from './renderer.js';

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
  `${JSON.stringify(scope ? { ...value, ...scope.fields } : value, replacer)}\n`;

/**
 * The NDJSON renderer. Failures carry the whole error value (tag, message, method, path, statuses…), which by
 * construction holds no secret. When `stderr` is given, each failure is also written there as one human line.
 *
 * @example
 * ```ts
 * import { createJsonRenderer } from './json.js';
 *
 * const r = createJsonRenderer(process.stdout);
 * r.failure({ _tag: 'Interrupted', message: 'interrupted' }); // {"type":"error","error":{"_tag":"Interrupted","message":"interrupted"}}
 * ```
 */
export const createJsonRenderer = (stdout: TextStream, stderr?: TextStream): Renderer => ({
  event: (ev: StatementEvent, scope?: Scope) => {
    stdout.write(jsonLine(ev, scope));
  },
  failure: (f: Failure, scope?: Scope) => {
    stdout.write(jsonLine({ type: 'error', error: f } as { type: string }, scope));
    stderr?.write(`${scope ? `[${scope.label}] ` : ''}${describeFailure(f).text}\n`);
  },
  record: (item: { readonly type: string }, _line: unknown, scope?: Scope) => {
    stdout.write(jsonLine(item, scope));
  },
  info: () => undefined,
  suspend: () => undefined,
  resume: () => undefined,
  close: () => undefined,
});

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
import { describeEvent, institutionLabel, type DescribeContext, type Line, type LineKind } from './describe.js';
import { failureText } from './failure.js';
import type { Renderer, Scope, TextStream } from './renderer.js';
import { retryText } from './retry.js';
import { terminalSafe } from './text.js';
import { usageErrorText } from './usage.js';
import { batchHeadline } from './tty.js';
import { createWaitTracker, HEARTBEAT_MS, heartbeatLine, oauthAuthorizedText, oauthWaitLine, stillPending } from './waits.js';
import { DEFAULT_OAUTH_PENDING_TIMEOUT_MS } from '../../workflow/input.js';

/** The mark at the start of each plain line, by kind. */
export const PLAIN_MARKS: Readonly<Record<LineKind, string>> = { done: 'ok', progress: '..', skip: '--', question: '??', retry: '..', fail: '!!' };

/** Options of {@link createPlainRenderer}. */
export interface PlainRendererOptions extends DescribeContext {
  /** The command, for the usage-error format. */
  readonly command?: string;
  /** The clock of the heartbeats. Default `Date.now`. */
  readonly now?: () => number;
  /** How long an OAuth sign-in may take (for "gives up in …"). Default the library's 30 min. */
  readonly oauthTimeoutMs?: number;
  /** How often an unchanged wait shows a line. Default {@link HEARTBEAT_MS} (30 s). */
  readonly heartbeatMs?: number;
}

/**
 * The plain renderer. Each line is `<mark> [<member>] <text>`. A wait is logged when its status changes and every
 * 30 s while it does not (never a line per poll); an OAuth sign-in says how long it waits and when it gives up.
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
  const now = options.now ?? Date.now;
  const institutions = new Map<string, string>();
  const ctx: DescribeContext = { ...options, institutions };
  const waits = createWaitTracker(now, options.heartbeatMs);
  let oauth = false;
  let progressShownAt = now();
  const write = (l: Line, scope?: Scope) => {
    out.write(`${PLAIN_MARKS[l.kind]} ${scope ? `[${terminalSafe(scope.label)}] ` : ''}${terminalSafe(l.text)}\n`);
  };
  const status = (ev: StatementEvent & { type: 'status' }, scope: Scope | undefined) => {
    const key = scope?.label ?? '';
    const shown = waits.status(key, ev);
    if (shown.show === 'nothing') return;
    const oauth = waits.oauth(key);
    if (oauth && stillPending(ev.connectionStatus)) {
      write({ kind: 'progress', text: oauthWaitLine(oauth, now(), shown.show === 'heartbeat') }, scope);
      return;
    }
    const l = shown.show === 'heartbeat' ? { kind: 'progress' as const, text: heartbeatLine(ev, shown.inStateMs) } : describeEvent(ev, ctx);
    if (l) write(l, scope);
  };
  return {
    event: (ev: StatementEvent, scope?: Scope) => {
      if (ev.type === 'status') return status(ev, scope);
      const key = scope?.label ?? '';
      // The OAuth wait ended with a step of the run (not a failure): the person authorized.
      const signingIn = waits.oauth(key);
      if (signingIn && ev.type !== 'oauth-required') write({ kind: 'done', text: oauthAuthorizedText(signingIn, now()) }, scope);
      waits.step(key);
      if (ev.type === 'institution-found' && ev.name) institutions.set(ev.code, ev.name);
      if (ev.type === 'oauth-required') {
        oauth = true;
        waits.startOAuth(key, institutionLabel(ev.institutionCode, ctx), options.oauthTimeoutMs ?? DEFAULT_OAUTH_PENDING_TIMEOUT_MS);
      }
      const l = describeEvent(ev, ctx);
      if (l) write(l, scope);
    },
    failure: (f: Failure, scope?: Scope) => {
      if (f._tag === 'UsageError' && !scope) out.write(usageErrorText(options.command, f.message));
      else write({ kind: 'fail', text: failureText(f, { oauth }) }, scope);
    },
    record: (_item, l, scope) => {
      if (scope) waits.step(scope.label);
      if (l) write(l, scope);
    },
    note: (l) => write(l),
    verbatim: (lines) => {
      for (const l of lines) out.write(`${terminalSafe(l)}\n`);
    },
    retry: (n: RetryNotice) => write({ kind: 'retry', text: retryText(n) }),
    // A batch's overall progress: a heartbeat line every 30 s (a log of a long sync says where it stands).
    progress: (p) => {
      if (now() - progressShownAt < (options.heartbeatMs ?? HEARTBEAT_MS)) return;
      progressShownAt = now();
      write({ kind: 'progress', text: batchHeadline(p, now()) });
    },
    suspend: () => undefined,
    resume: () => undefined,
    close: () => undefined,
  };
};

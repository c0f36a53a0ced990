/**
 * The live display on a terminal. Finished steps scroll up with a mark; a live region at the bottom shows the
 * current step (with the poll status and a countdown), a bar per download, and for a batch its overall
 * progress (members done of all, PDFs, rate, ETA) with one line per member in progress. Everything is wrapped
 * to the terminal's width (nothing is cut, autowrap stays on), guids are shortened in the middle, and server
 * text is escaped before colours are added.
 *
 * @module
 */
import type { RetryNotice } from '../../core/config.js';
import type { StatementEvent } from '../../workflow/events.js';
import type { Failure } from '../cli-error.js';
import { DEFAULT_OAUTH_PENDING_TIMEOUT_MS } from '../../workflow/input.js';
import { describeEvent, institutionLabel, nextStep, type DescribeContext, type Line, type LineKind } from './describe.js';
import { failureText } from './failure.js';
import { formatBytes, formatDuration } from './format.js';
import { createLiveRegion } from './live-region.js';
import type { BatchProgress, Renderer, Scope, TextStream } from './renderer.js';
import { retryText } from './retry.js';
import { plural, shortGuid, shortGuidsIn, terminalSafe, wrapLine } from './text.js';
import { usageErrorText } from './usage.js';
import { oauthAuthorizedText, oauthWaitText, stillPending, type OAuthWait } from './waits.js';

/** Spinner frames (braille dots). */
export const SPINNER_FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'] as const;
const FRAME_MS = 100;
/** Downloads drawn at once; more are counted on one line. */
const MAX_DOWNLOAD_LINES = 4;
/** Members in progress drawn at once in a batch; more are counted on one line. */
const MAX_MEMBER_LINES = 8;
/** How long a batch shows the last retry in its region. */
const RETRY_SHOWN_MS = 5_000;

/** The mark of each kind of line on a terminal (before colour). */
export const TTY_MARKS: Readonly<Record<LineKind, string>> = { done: '✔', progress: '•', skip: '↷', question: '?', retry: '↻', fail: '✖' };

/** Options of {@link createTtyRenderer}. */
export interface TtyRendererOptions extends DescribeContext {
  /** Colours (ANSI SGR). The caller decides (`NO_COLOR`, `TERM=dumb`). */
  readonly color: boolean;
  /** The clock (spinner frame, countdown, rate, ETA). Default `Date.now`. */
  readonly now?: () => number;
  /** A batch (`sync`): members' steps drive their line in the region instead of being logged. Default false. */
  readonly batch?: boolean;
  /** The command, for the usage-error format. */
  readonly command?: string;
  /** Redraw pace. Default 100 ms. */
  readonly frameMs?: number;
  /** How long an OAuth sign-in may take (for "gives up in …"). Default the library's 30 min. */
  readonly oauthTimeoutMs?: number;
}

interface Activity {
  readonly scope: Scope | undefined;
  readonly since: number;
  text: string;
  /** When the next poll is due (epoch ms), for the countdown. */
  nextPollAt?: number;
  listed: number;
  saved: number;
  /** An OAuth sign-in in progress: while the status says PENDING, the line says how long and until when. */
  oauth?: OAuthWait;
  /** The status is still PENDING (the person has not authorized yet). */
  pending?: boolean;
}

interface Download {
  readonly scope: Scope | undefined;
  readonly statementGuid: string;
  received: number;
  total: number | null;
}

const sgr = (code: string, on: boolean) => (s: string) => (on ? `\u001b[${code}m${s}\u001b[0m` : s);

/**
 * The progress bar of one download: `████░░░░  50% 1.0 KB / 2.0 KB`.
 *
 * @example
 * ```ts
 * import { downloadBar } from './tty.js';
 *
 * downloadBar(1024, 2048, 8); // '████░░░░  50% 1.0 KB / 2.0 KB'
 * ```
 */
export const downloadBar = (received: number, total: number | null, size: number): string => {
  if (!total) return `${'░'.repeat(size)}      ${formatBytes(received)}`;
  const ratio = Math.min(1, received / total);
  const full = Math.round(ratio * size);
  return `${'█'.repeat(full)}${'░'.repeat(size - full)} ${`${Math.floor(ratio * 100)}%`.padStart(4)} ${formatBytes(received)} / ${formatBytes(total)}`;
};

/**
 * The header line of a batch: members done (of all, when known), problems, PDFs, the rate and the ETA.
 *
 * @example
 * ```ts
 * import { batchHeadline } from './tty.js';
 *
 * batchHeadline({ total: 40, started: 14, synced: 11, needsUser: 0, failed: 1, statements: 72, bytes: 1_258_291, startedAt: 0 }, 4_000);
 * // '12/40 members done · 1 failed · 72 PDFs, 1.2 MB · 3.0 members/s · ETA 9 s'
 * ```
 */
export const batchHeadline = (p: BatchProgress, now: number): string => {
  const done = p.synced + p.needsUser + p.failed;
  const elapsedS = Math.max(0.001, (now - p.startedAt) / 1000);
  const rate = done / elapsedS;
  const parts = [
    p.total !== undefined
      ? `${done}/${p.total}${p.listing ? '+' : ''} members done`
      : `${plural(done, 'member')} done, ${p.started} started`,
  ];
  if (p.workers !== undefined) parts.push(`${plural(p.workers, 'worker')}${p.running ? `, ${p.running} running` : ''}`);
  if (p.failed) parts.push(`${p.failed} failed`);
  if (p.needsUser) parts.push(`${p.needsUser} need their user`);
  parts.push(`${plural(p.statements, 'PDF')}, ${formatBytes(p.bytes)}`);
  if (done > 0) parts.push(`${rate >= 10 ? Math.round(rate) : rate.toFixed(1)} members/s`);
  if (p.total !== undefined && !p.listing && done > 0 && done < p.total) parts.push(`ETA ${formatDuration(((p.total - done) / rate) * 1000)}`);
  return parts.join(' · ');
};

/**
 * The terminal renderer.
 *
 * @example
 * ```ts
 * import { createTtyRenderer } from './tty.js';
 *
 * const r = createTtyRenderer(process.stderr, { cwd: process.cwd(), color: !process.env.NO_COLOR, compact: true });
 * r.event({ type: 'institution-found', code: 'mxbank', name: 'MX Bank' }); // ✔ Institution MX Bank (mxbank)
 * r.close();
 * ```
 */
export const createTtyRenderer = (stream: TextStream, options: TtyRendererOptions): Renderer => {
  const now = options.now ?? Date.now;
  const batch = options.batch === true;
  const institutions = new Map<string, string>();
  const describeCtx: DescribeContext = { cwd: options.cwd, compact: options.compact ?? true, institutions };
  const color = {
    done: sgr('32', options.color),
    progress: sgr('2', options.color),
    skip: sgr('2', options.color),
    question: sgr('33', options.color),
    retry: sgr('33', options.color),
    fail: sgr('31', options.color),
  } satisfies Record<LineKind, (s: string) => string>;
  const cyan = sgr('36', options.color);

  const activities = new Map<string, Activity>();
  const downloads = new Map<string, Download>();
  let progress: BatchProgress | undefined;
  let retries = 0;
  let lastRetry: { text: string; at: number } | undefined;
  let oauthShown = false;
  let closed = false;

  const label = (scope: Scope | undefined) => (scope ? terminalSafe(describeCtx.compact ? shortGuidsIn(scope.label) : scope.label) : '');
  const key = (scope: Scope | undefined) => scope?.label ?? '';
  const downloadKey = (scope: Scope | undefined, statementGuid: string) => `${key(scope)}\u0000${statementGuid}`;

  const spinner = () => cyan(SPINNER_FRAMES[Math.floor(now() / FRAME_MS) % SPINNER_FRAMES.length] ?? '-');
  const countdown = (a: Activity) => (a.nextPollAt !== undefined ? ` · next poll in ${formatDuration(Math.max(0, a.nextPollAt - now()))}` : '');
  const activityText = (a: Activity) => (a.oauth && a.pending ? oauthWaitText(a.oauth, now()) : `${terminalSafe(a.text)}${countdown(a)}`);

  const render = (width: number): string[] => {
    const lines: string[] = [];
    if (batch) {
      if (!progress && activities.size === 0) return lines;
      if (progress) lines.push(`${spinner()} ${batchHeadline(progress, now())}${retries ? ` · ${plural(retries, 'retry', 'retries')}` : ''}`);
      if (lastRetry && now() - lastRetry.at < RETRY_SHOWN_MS) lines.push(`  ${color.retry(TTY_MARKS.retry)} ${lastRetry.text}`);
      const active = [...activities.values()].sort((a, b) => a.since - b.since);
      for (const a of active.slice(0, MAX_MEMBER_LINES)) lines.push(`  ${label(a.scope)} ${activityText(a)}`);
      if (active.length > MAX_MEMBER_LINES) lines.push(`  … and ${active.length - MAX_MEMBER_LINES} more in progress`);
      return lines;
    }
    for (const a of activities.values()) lines.push(`${spinner()} ${activityText(a)}`);
    const list = [...downloads.values()];
    const barSize = Math.max(8, Math.min(24, width - 44));
    for (const d of list.slice(0, MAX_DOWNLOAD_LINES)) {
      lines.push(`  ${terminalSafe(shortGuid(d.statementGuid))} ${downloadBar(d.received, d.total, barSize)}`);
    }
    if (list.length > MAX_DOWNLOAD_LINES) lines.push(`  … and ${list.length - MAX_DOWNLOAD_LINES} more downloads`);
    return lines;
  };

  const region = createLiveRegion(stream, render, { frameMs: options.frameMs ?? FRAME_MS });
  const width = () => Math.max(10, (stream.columns !== undefined && stream.columns > 0 ? stream.columns : 80) - 1);

  const log = (l: Line, scope?: Scope) => {
    const prefix = scope ? `${label(scope)} ` : '';
    const lines = wrapLine(`${TTY_MARKS[l.kind]} ${prefix}${terminalSafe(l.text)}`, width(), { indent: '  ' });
    const first = lines[0] ?? '';
    const mark = TTY_MARKS[l.kind];
    lines[0] = first.startsWith(mark) ? `${color[l.kind](mark)}${first.slice(mark.length)}` : first;
    region.print(lines);
  };

  const setActivity = (scope: Scope | undefined, text: string | undefined, nextPollAt?: number) => {
    const k = key(scope);
    const existing = activities.get(k);
    if (text === undefined) {
      activities.delete(k);
    } else {
      const a: Activity = existing ?? { scope, since: now(), text, listed: 0, saved: 0 };
      a.text = text;
      if (nextPollAt !== undefined) a.nextPollAt = nextPollAt;
      else delete a.nextPollAt;
      activities.set(k, a);
    }
    region.refresh();
  };

  const endMember = (scope: Scope | undefined) => {
    setActivity(scope, undefined);
    for (const [k, d] of downloads) if (key(d.scope) === key(scope)) downloads.delete(k);
  };

  return {
    event: (ev: StatementEvent, scope?: Scope) => {
      if (closed) return;
      if (ev.type === 'statement-progress') {
        const k = downloadKey(scope, ev.statementGuid);
        const fresh = !downloads.has(k);
        const d = downloads.get(k) ?? { scope, statementGuid: ev.statementGuid, received: 0, total: null };
        d.received = ev.received;
        d.total = ev.contentLength;
        downloads.set(k, d);
        if (fresh && !batch) region.refresh();
        return;
      }
      const a = activities.get(key(scope));
      if (ev.type === 'statement-downloaded' || ev.type === 'statement-skipped') {
        downloads.delete(downloadKey(scope, ev.statementGuid));
        if (a) a.saved += 1;
      }
      if (ev.type === 'status') {
        setActivity(scope, nextStep(ev), ev.nextDelayMs !== null ? now() + ev.nextDelayMs : undefined);
        const current = activities.get(key(scope));
        if (current?.oauth) {
          current.pending = stillPending(ev.connectionStatus);
          region.refresh();
        }
        return;
      }
      // The OAuth wait ended with a step of the run (not a failure): the person authorized.
      const signingIn = activities.get(key(scope));
      if (signingIn?.oauth && ev.type !== 'oauth-required') {
        log({ kind: 'done', text: oauthAuthorizedText(signingIn.oauth, now()) }, scope);
        delete signingIn.oauth;
        delete signingIn.pending;
      }
      if (ev.type === 'institution-found' && ev.name) institutions.set(ev.code, ev.name);
      if (ev.type === 'oauth-required') {
        oauthShown = true;
        const institution = institutionLabel(ev.institutionCode, describeCtx);
        log({ kind: 'question', text: `Sign in to ${institution} in your browser:` }, scope);
        // The URL whole, on a line of its own (never broken: a long one soft-wraps and still copies as one).
        region.print([`  ${terminalSafe(ev.url)}`]);
        setActivity(scope, nextStep(ev));
        const a = activities.get(key(scope));
        if (a) {
          const timeout = options.oauthTimeoutMs ?? DEFAULT_OAUTH_PENDING_TIMEOUT_MS;
          a.oauth = { institution, since: now(), deadline: timeout === Infinity ? Infinity : now() + timeout };
          a.pending = true;
        }
        region.refresh();
        return;
      }
      if (ev.type === 'statement-listed') {
        const listed = (a?.listed ?? 0) + 1;
        setActivity(scope, `Listing statements: ${listed} found`);
        const updated = activities.get(key(scope));
        if (updated) updated.listed = listed;
        return;
      }
      if (!batch) {
        const line = describeEvent(ev, describeCtx);
        if (line) log(line, scope);
      }
      if (ev.type === 'statement-downloaded' || ev.type === 'statement-skipped') {
        const current = activities.get(key(scope));
        setActivity(scope, `Downloading: ${current?.saved ?? 0} of ${current?.listed ?? '?'} saved`);
        return;
      }
      const step = nextStep(ev);
      const moved = activities.get(key(scope));
      if (moved) {
        delete moved.oauth;
        delete moved.pending;
      }
      if (step === undefined) endMember(scope);
      else setActivity(scope, step);
    },
    failure: (f: Failure, scope?: Scope) => {
      if (f._tag === 'UsageError' && !scope) {
        region.close();
        closed = true;
        stream.write(usageErrorText(options.command, f.message));
        return;
      }
      if (!closed) endMember(scope);
      log({ kind: 'fail', text: failureText(f, { compact: describeCtx.compact ?? true, oauth: oauthShown }) }, scope);
    },
    record: (_item, line, scope) => {
      if (scope && !closed) endMember(scope);
      if (line) log(line, scope);
    },
    note: (l) => log(l),
    verbatim: (lines) => region.print(lines.map((l) => terminalSafe(l))),
    retry: (n: RetryNotice) => {
      const text = retryText(n, { compact: describeCtx.compact ?? true });
      if (batch && !closed) {
        retries += 1;
        lastRetry = { text: terminalSafe(text), at: now() };
        region.refresh();
      } else log({ kind: 'retry', text });
    },
    progress: (p: BatchProgress) => {
      progress = p;
      region.refresh();
    },
    suspend: () => region.pause(),
    resume: () => region.resume(),
    close: () => {
      if (closed) return;
      closed = true;
      activities.clear();
      downloads.clear();
      region.close();
    },
  };
};

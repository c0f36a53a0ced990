/**
 * Live progress on a terminal, drawn with cli-progress: finished steps scroll up with a check mark, the current
 * step spins (with the poll status and a countdown to the next poll), and each download has its own bar.
 * Written to stderr; the summary table goes to stdout afterwards.
 *
 * The screen is a projection of a small state (one activity per member, one bar per download), so a prompt can
 * take the terminal (`suspend`) and the bars come back as they were (`resume`).
 *
 * @module
 */
import cliProgress from 'cli-progress';
import type { StatementEvent } from '../../workflow/events.js';
import type { Failure } from '../cli-error.js';
import { describeEvent, describeFailure, nextStep, type DescribeContext, type LineKind } from './describe.js';
import { formatBytes, formatDuration } from './format.js';
import type { Renderer, Scope, TextStream } from './renderer.js';

/** Spinner frames (braille dots). */
export const SPINNER_FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'] as const;
const FRAME_MS = 80;

/** Options of {@link createTtyRenderer}. */
export interface TtyRendererOptions extends DescribeContext {
  /** Colours (ANSI). Default: on unless `NO_COLOR` is set — the caller decides. */
  readonly color: boolean;
  /** The clock (for the spinner frame and the countdown). Default `Date.now`. */
  readonly now?: () => number;
}

interface Activity {
  readonly scope: Scope | undefined;
  text: string;
  /** When the next poll is due (epoch ms), for the countdown. */
  nextPollAt?: number;
  /** Statements listed so far. */
  listed: number;
  bar?: cliProgress.SingleBar;
}

interface Download {
  readonly scope: Scope | undefined;
  readonly statementGuid: string;
  received: number;
  total: number | null;
  bar?: cliProgress.SingleBar;
}

type Payload = { readonly kind: 'activity'; readonly activity: Activity } | { readonly kind: 'download'; readonly download: Download };

const ansi = (code: string, on: boolean) => (s: string) => (on ? `\u001b[${code}m${s}\u001b[0m` : s);

/**
 * The TTY renderer.
 *
 * @example
 * ```ts
 * import { createTtyRenderer } from './tty.js';
 *
 * const r = createTtyRenderer(process.stderr, { cwd: process.cwd(), color: !process.env.NO_COLOR });
 * r.event({ type: 'institution-found', code: 'mxbank', name: 'MX Bank' }); // ✔ Institution MX Bank (mxbank)
 * r.close();
 * ```
 */
export const createTtyRenderer = (stream: TextStream, options: TtyRendererOptions): Renderer => {
  const now = options.now ?? Date.now;
  const green = ansi('32', options.color);
  const yellow = ansi('33', options.color);
  const red = ansi('31', options.color);
  const dim = ansi('2', options.color);
  const cyan = ansi('36', options.color);
  const MARK: Record<LineKind, string> = { done: green('✔'), progress: dim('•'), skip: dim('↷'), question: yellow('?'), fail: red('✖') };

  const activities = new Map<string, Activity>();
  const downloads = new Map<string, Download>();
  const pendingLogs: string[] = [];
  let multibar: cliProgress.MultiBar | undefined;
  let suspended = false;
  let closed = false;

  const width = () => Math.max(20, (stream.columns !== undefined && stream.columns > 0 ? stream.columns : 80) - 1);
  const fit = (text: string) => (text.length > width() ? `${text.slice(0, width() - 1)}…` : text);
  // Guids are long: on a terminal a member is shown by the first 12 characters of its label.
  const prefix = (scope: Scope | undefined) => (scope ? `[${scope.label.length > 13 ? `${scope.label.slice(0, 12)}…` : scope.label}] ` : '');

  const renderActivity = (a: Activity): string => {
    const frame = SPINNER_FRAMES[Math.floor(now() / FRAME_MS) % SPINNER_FRAMES.length] ?? '-';
    const countdown = a.nextPollAt !== undefined ? ` · next poll in ${formatDuration(Math.max(0, a.nextPollAt - now()))}` : '';
    return `${cyan(frame)} ${fit(`${prefix(a.scope)}${a.text}${countdown}`)}`;
  };

  const renderDownload = (d: Download): string => {
    const size = 24;
    const ratio = d.total ? Math.min(1, d.received / d.total) : 0;
    const full = Math.round(ratio * size);
    const bar = d.total ? `${'█'.repeat(full)}${'░'.repeat(size - full)}` : '░'.repeat(size);
    const pct = d.total ? `${Math.floor(ratio * 100)}%`.padStart(4) : '    ';
    const amount = d.total ? `${formatBytes(d.received)} / ${formatBytes(d.total)}` : formatBytes(d.received);
    return `  ${fit(`${prefix(d.scope)}${d.statementGuid} ${bar} ${pct} ${amount}`)}`;
  };

  const format = (_o: unknown, _p: unknown, payload: Payload): string =>
    payload.kind === 'activity' ? renderActivity(payload.activity) : renderDownload(payload.download);

  const ensureMultibar = (): cliProgress.MultiBar | undefined => {
    if (closed || suspended) return undefined;
    if (!multibar) {
      multibar = new cliProgress.MultiBar({
        stream: stream as unknown as NodeJS.WritableStream,
        format: format as unknown as cliProgress.GenericFormatter,
        fps: 1000 / FRAME_MS,
        forceRedraw: true,
        clearOnComplete: true,
        hideCursor: true,
        autopadding: false,
        gracefulExit: false,
      });
      for (const line of pendingLogs.splice(0)) multibar.log(line);
      for (const a of activities.values()) a.bar = multibar.create(1, 0, { kind: 'activity', activity: a } satisfies Payload);
      for (const d of downloads.values()) d.bar = multibar.create(1, 0, { kind: 'download', download: d } satisfies Payload);
    }
    return multibar;
  };

  const log = (kind: LineKind, text: string, scope?: Scope) => {
    const line = `${MARK[kind]} ${prefix(scope)}${text}\n`;
    const mb = ensureMultibar();
    if (mb) mb.log(line);
    else if (!closed) pendingLogs.push(line);
    else stream.write(line);
  };

  const key = (scope: Scope | undefined) => scope?.label ?? '';

  const setActivity = (scope: Scope | undefined, text: string | undefined, nextPollAt?: number) => {
    const k = key(scope);
    const existing = activities.get(k);
    if (text === undefined) {
      if (existing) {
        activities.delete(k);
        if (existing.bar && multibar) multibar.remove(existing.bar);
      }
      return;
    }
    const a: Activity = existing ?? { scope, text, listed: 0 };
    a.text = text;
    if (nextPollAt !== undefined) a.nextPollAt = nextPollAt;
    else delete a.nextPollAt;
    if (!existing) {
      activities.set(k, a);
      const mb = ensureMultibar();
      if (mb) a.bar = mb.create(1, 0, { kind: 'activity', activity: a } satisfies Payload);
    }
  };

  const downloadKey = (scope: Scope | undefined, statementGuid: string) => `${key(scope)}\u0000${statementGuid}`;

  const dropDownload = (scope: Scope | undefined, statementGuid: string) => {
    const k = downloadKey(scope, statementGuid);
    const d = downloads.get(k);
    if (!d) return;
    downloads.delete(k);
    if (d.bar && multibar) multibar.remove(d.bar);
  };

  return {
    event: (ev: StatementEvent, scope?: Scope) => {
      if (closed) return;
      if (ev.type === 'statement-progress') {
        const k = downloadKey(scope, ev.statementGuid);
        let d = downloads.get(k);
        if (!d) {
          d = { scope, statementGuid: ev.statementGuid, received: 0, total: null };
          downloads.set(k, d);
          const mb = ensureMultibar();
          if (mb) d.bar = mb.create(1, 0, { kind: 'download', download: d } satisfies Payload);
        }
        d.received = ev.received;
        d.total = ev.contentLength;
        return;
      }
      if (ev.type === 'statement-downloaded' || ev.type === 'statement-skipped') dropDownload(scope, ev.statementGuid);
      // Frequent events only move the spinner; the rest are logged as finished steps.
      if (ev.type === 'status') {
        setActivity(scope, nextStep(ev), ev.nextDelayMs !== null ? now() + ev.nextDelayMs : undefined);
        return;
      }
      if (ev.type === 'statement-listed') {
        const listed = (activities.get(key(scope))?.listed ?? 0) + 1;
        setActivity(scope, `Listing statements: ${listed} found`);
        const a = activities.get(key(scope));
        if (a) a.listed = listed;
        return;
      }
      const line = describeEvent(ev, options);
      if (line) log(line.kind, line.text, scope);
      if (ev.type === 'statement-downloaded' || ev.type === 'statement-skipped') {
        if (!activities.get(key(scope))?.text.startsWith('Downloading')) setActivity(scope, 'Downloading statements');
        return;
      }
      setActivity(scope, nextStep(ev));
    },
    failure: (f: Failure, scope?: Scope) => {
      if (closed) {
        stream.write(`${MARK.fail} ${prefix(scope)}${describeFailure(f).text}\n`);
        return;
      }
      setActivity(scope, undefined);
      for (const d of [...downloads.values()]) if (key(d.scope) === key(scope)) dropDownload(d.scope, d.statementGuid);
      log('fail', describeFailure(f).text, scope);
    },
    record: (_item, line, scope) => {
      if (scope) {
        setActivity(scope, undefined);
        for (const d of [...downloads.values()]) if (key(d.scope) === key(scope)) dropDownload(d.scope, d.statementGuid);
      }
      if (line) {
        if (closed) stream.write(`${MARK[line.kind]} ${prefix(scope)}${line.text}\n`);
        else log(line.kind, line.text, scope);
      }
    },
    info: (text) => log('progress', text),
    suspend: () => {
      if (suspended || closed) return;
      suspended = true;
      if (multibar) {
        multibar.update();
        multibar.stop();
        multibar = undefined;
        for (const a of activities.values()) delete a.bar;
        for (const d of downloads.values()) delete d.bar;
      }
    },
    resume: () => {
      if (!suspended || closed) return;
      suspended = false;
      if (activities.size > 0 || downloads.size > 0 || pendingLogs.length > 0) ensureMultibar();
      if (multibar && activities.size === 0 && downloads.size === 0) {
        // Only logs were waiting: print them and let the next event bring the bars back.
        multibar.update();
        multibar.stop();
        multibar = undefined;
      }
    },
    close: () => {
      if (closed) return;
      closed = true;
      if (multibar) {
        multibar.update();
        multibar.stop();
        multibar = undefined;
      }
      for (const line of pendingLogs.splice(0)) stream.write(line);
      activities.clear();
      downloads.clear();
    },
  };
};

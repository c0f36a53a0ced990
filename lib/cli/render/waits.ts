/**
 * Long waits as a person should see them. A status poll is not news: in a log (plain mode) a wait shows a line
 * when its status changes and a heartbeat every {@link HEARTBEAT_MS} while it does not, never a line per poll. An
 * OAuth sign-in is a wait of its own: PENDING is expected until the person authorizes, so it says how long it has
 * waited and when it gives up.
 *
 * @module
 */
import type { StatusEvent } from '../../workflow/events.js';
import { formatDuration } from './format.js';

/** How often an unchanged wait shows a line in plain mode. */
export const HEARTBEAT_MS = 30_000;

/** An OAuth sign-in being waited for. */
export interface OAuthWait {
  /** The institution's name (or code). */
  readonly institution: string;
  /** When the window's URL was shown (epoch ms). */
  readonly since: number;
  /** When the run gives up (epoch ms); `Infinity` for never. */
  readonly deadline: number;
}

/** Whether a status still means "the person has not signed in yet". */
export const stillPending = (status: string | null): boolean => status === null || status === 'PENDING';

/** `gives up in 29 min (at 16:42)`, or `no time limit`. */
const givesUp = (w: OAuthWait, now: number): string => {
  if (w.deadline === Infinity) return 'no time limit';
  const at = new Date(w.deadline);
  const clock = `${String(at.getHours()).padStart(2, '0')}:${String(at.getMinutes()).padStart(2, '0')}`;
  return `gives up in ${formatDuration(Math.max(0, w.deadline - now))} (at ${clock})`;
};

/**
 * The live text of an OAuth wait (terminal): calm, with how long it has waited and the deadline.
 *
 * @example
 * ```ts
 * import { oauthWaitText } from './waits.js';
 *
 * oauthWaitText({ institution: 'MX Bank (OAuth)', since: 0, deadline: 1_800_000 }, 12_000);
 * // 'Waiting for your sign-in at MX Bank (OAuth) · PENDING until you authorize · 12 s so far, gives up in 29 min 48 s (at …)'
 * ```
 */
export const oauthWaitText = (w: OAuthWait, now: number): string =>
  `Waiting for your sign-in at ${w.institution} · PENDING until you authorize · ${formatDuration(Math.max(0, now - w.since))} so far, ${givesUp(w, now)}`;

/**
 * The log line of an OAuth wait: when it starts (`heartbeat` false) and as a heartbeat.
 *
 * @example
 * ```ts
 * import { oauthWaitLine } from './waits.js';
 *
 * oauthWaitLine({ institution: 'MX Bank (OAuth)', since: 0, deadline: Infinity }, 30_000, true);
 * // 'Still waiting for your sign-in at MX Bank (OAuth): PENDING for 30 s; no time limit'
 * ```
 */
export const oauthWaitLine = (w: OAuthWait, now: number, heartbeat: boolean): string =>
  heartbeat
    ? `Still waiting for your sign-in at ${w.institution}: PENDING for ${formatDuration(Math.max(0, now - w.since))}; ${givesUp(w, now)}`
    : `Waiting for your sign-in at ${w.institution}: PENDING until you authorize; ${givesUp(w, w.since)}`;

/**
 * The line once the person authorized (the wait ended with a step of the run, not a failure).
 *
 * @example
 * ```ts
 * import { oauthAuthorizedText } from './waits.js';
 *
 * oauthAuthorizedText({ institution: 'MX Bank (OAuth)', since: 0, deadline: Infinity }, 12_000);
 * // 'Authorized at MX Bank (OAuth) after 12 s'
 * ```
 */
export const oauthAuthorizedText = (w: OAuthWait, now: number): string =>
  `Authorized at ${w.institution} after ${formatDuration(Math.max(0, now - w.since))}`;

/**
 * A heartbeat line of an unchanged status: `Still CONNECTED, aggregating after 1 min (poll 21)`.
 *
 * @example
 * ```ts
 * import { heartbeatLine } from './waits.js';
 *
 * heartbeatLine({ type: 'status', memberGuid: 'MBR-1', connectionStatus: 'CONNECTED', isBeingAggregated: true, attempt: 21, nextDelayMs: 3000 }, 60_000);
 * // 'Still CONNECTED, aggregating after 1 min (poll 21)'
 * ```
 */
export const heartbeatLine = (ev: StatusEvent, inStateMs: number): string =>
  `Still ${ev.connectionStatus ?? 'unknown'}${ev.isBeingAggregated ? ', aggregating' : ''} after ${formatDuration(inStateMs)} (poll ${ev.attempt})`;

/** What to show for a status in a log. */
export type StatusShow = { readonly show: 'change' } | { readonly show: 'heartbeat'; readonly inStateMs: number } | { readonly show: 'nothing' };

/**
 * Follows the waits of each member (by key): whether a status is a change or due a heartbeat, and the OAuth wait
 * in progress.
 *
 * @example
 * ```ts
 * import { createWaitTracker } from './waits.js';
 * import type { StatusEvent } from 'mx-statements-rx';
 * declare const ev: StatusEvent;
 *
 * const waits = createWaitTracker(Date.now);
 * if (waits.status('', ev).show !== 'nothing') console.error(`status ${ev.connectionStatus}`);
 * ```
 */
export const createWaitTracker = (now: () => number, heartbeatMs = HEARTBEAT_MS) => {
  const scopes = new Map<string, { state?: string; since: number; shownAt: number; oauth?: OAuthWait }>();
  const entry = (key: string) => {
    let e = scopes.get(key);
    if (!e) {
      e = { since: now(), shownAt: now() };
      scopes.set(key, e);
    }
    return e;
  };
  return {
    /** A status poll: a `change` (first of its phase, or another status), a `heartbeat` when due, else `nothing`. */
    status: (key: string, ev: StatusEvent): StatusShow => {
      const e = entry(key);
      const state = `${ev.connectionStatus ?? ''}|${ev.isBeingAggregated === true}`;
      const t = now();
      if (e.state !== state) {
        e.state = state;
        e.since = t;
        e.shownAt = t;
        return { show: 'change' };
      }
      if (t - e.shownAt >= heartbeatMs) {
        e.shownAt = t;
        return { show: 'heartbeat', inStateMs: t - e.since };
      }
      return { show: 'nothing' };
    },
    /** An OAuth window was shown for the member: its wait starts now. */
    startOAuth: (key: string, institution: string, timeoutMs: number): OAuthWait => {
      const t = now();
      const w: OAuthWait = { institution, since: t, deadline: timeoutMs === Infinity ? Infinity : t + timeoutMs };
      entry(key).oauth = w;
      return w;
    },
    /** The OAuth wait of the member, while its phase lasts. */
    oauth: (key: string): OAuthWait | undefined => scopes.get(key)?.oauth,
    /** Another step came (or the member ended): the next status starts a new wait. */
    step: (key: string): void => {
      const e = scopes.get(key);
      if (!e) return;
      delete e.state;
      delete e.oauth;
    },
  };
};

/** A wait tracker. */
export type WaitTracker = ReturnType<typeof createWaitTracker>;

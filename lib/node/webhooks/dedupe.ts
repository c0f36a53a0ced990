/**
 * Telling MX's redeliveries from new events: a bounded memory of recent delivery keys, and which payloads say
 * which event they are.
 *
 * @module
 */

/**
 * Remembers keys for `windowMs` (by `now()`), at most `maxEntries` of them (the oldest forgotten first). No
 * timer: expired entries are dropped as new ones arrive.
 *
 * @example
 * ```ts
 * import { recentKeys } from './dedupe.js';
 * const recent = recentKeys(60_000, 1000, Date.now);
 * recent.seen('a'); // false (and remembered)
 * recent.seen('a'); // true
 * recent.remember('b');
 * recent.take('b'); // true (and forgotten)
 * recent.take('b'); // false
 * ```
 */
export const recentKeys = (windowMs: number, maxEntries: number, now: () => number) => {
  const at = new Map<string, number>();
  const expire = (t: number): void => {
    for (const [key, time] of at) {
      if (t - time < windowMs && at.size <= maxEntries) break;
      at.delete(key);
    }
  };
  const within = (key: string, t: number): boolean => {
    const time = at.get(key);
    return time !== undefined && t - time < windowMs;
  };
  const remember = (key: string, t: number): void => {
    at.delete(key);
    at.set(key, t);
    if (at.size > maxEntries) expire(t);
  };
  return {
    /** True when `key` arrived within the window; otherwise remembers it and returns false. */
    seen(key: string): boolean {
      const t = now();
      expire(t);
      if (within(key, t)) return true;
      remember(key, t);
      return false;
    },
    /** Remembers `key` from now on. */
    remember(key: string): void {
      const t = now();
      expire(t);
      remember(key, t);
    },
    /** True when `key` was remembered within the window, and forgets it. */
    take(key: string): boolean {
      const t = now();
      expire(t);
      const found = within(key, t);
      at.delete(key);
      return found;
    },
    get size(): number {
      return at.size;
    },
  };
};

/**
 * Whether a webhook payload says which event it is: a `job_guid`, or the time its job completed (`completed_at`),
 * as STATEMENT and AGGREGATION webhooks do. Two such payloads that are equal are one event delivered twice. A
 * payload without them (CONNECTION_STATUS) is equal for every event of the same kind: a second MFA round, the
 * same status on another night.
 *
 * @example
 * ```ts
 * import { identifiesItsEvent } from './dedupe.js';
 * identifiesItsEvent({ type: 'STATEMENT', member_guid: 'MBR-1', completed_at: 1531947410 }); // true
 * identifiesItsEvent({ type: 'CONNECTION_STATUS', member_guid: 'MBR-1', connection_status: 'CHALLENGED' }); // false
 * ```
 */
export const identifiesItsEvent = (payload: unknown): boolean => {
  if (typeof payload !== 'object' || payload === null) return false;
  const p = payload as { readonly completed_at?: unknown; readonly job_guid?: unknown };
  return (p.completed_at !== undefined && p.completed_at !== null) || (p.job_guid !== undefined && p.job_guid !== null);
};

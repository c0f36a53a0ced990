/**
 * A bounded memory of recent deliveries, for de-duplicating MX's redeliveries.
 *
 * @module
 */

/**
 * Remembers keys for `windowMs` (by `now()`), at most `maxEntries` of them (the oldest forgotten first).
 * `seen(key)` is true when the key arrived within the window, and records it otherwise. No timer: expired
 * entries are dropped as new ones arrive.
 *
 * @example
 * ```ts
 * import { recentKeys } from './dedupe.js';
 * const recent = recentKeys(60_000, 1000, Date.now);
 * recent.seen('a'); // false
 * recent.seen('a'); // true
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
  return {
    seen(key: string): boolean {
      const t = now();
      expire(t);
      const time = at.get(key);
      if (time !== undefined && t - time < windowMs) return true;
      at.delete(key);
      at.set(key, t);
      if (at.size > maxEntries) expire(t);
      return false;
    },
    get size(): number {
      return at.size;
    },
  };
};

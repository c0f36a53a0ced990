/**
 * Parses a `Retry-After` header into milliseconds from `nowMs`: either delta-seconds (`"120"`) or an HTTP
 * date. Returns `undefined` for a missing or unusable value; a date in the past gives 0.
 *
 * @example
 * ```ts
 * import { parseRetryAfter } from './retry-after.js';
 * parseRetryAfter('3', 0); // 3000
 * ```
 */
export const parseRetryAfter = (value: string | null | undefined, nowMs: number): number | undefined => {
  if (value === null || value === undefined) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) {
    const seconds = Number(v);
    return Number.isSafeInteger(seconds) ? seconds * 1000 : undefined;
  }
  if (!/[a-z]/i.test(v)) return undefined;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
};

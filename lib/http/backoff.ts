/** The shape of an exponential backoff: `base · factor^(n-1)`, capped at `max`. */
export interface Backoff {
  readonly baseMs: number;
  readonly maxMs: number;
  readonly factor: number;
}

/**
 * The delay before retry (or poll) number `n` (1-based): exponential, capped, with "equal jitter", so the
 * result lies in `[exp/2, exp]` where `exp = min(maxMs, baseMs · factor^(n-1))`. Pure: pass `() => 0` and
 * `() => 1` to pin the bounds in tests.
 *
 * @example
 * ```ts
 * import { backoffDelay } from './backoff.js';
 * backoffDelay(3, { baseMs: 500, maxMs: 20_000, factor: 2 }, () => 1); // 2000
 * backoffDelay(3, { baseMs: 500, maxMs: 20_000, factor: 2 }, () => 0); // 1000
 * ```
 */
export const backoffDelay = (n: number, b: Backoff, random: () => number): number => {
  const exp = Math.min(b.maxMs, b.baseMs * b.factor ** Math.max(0, n - 1));
  const r = Math.min(1, Math.max(0, random()));
  return Math.round(exp / 2 + r * (exp / 2));
};

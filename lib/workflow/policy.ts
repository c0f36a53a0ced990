/**
 * The status-polling policy: when to poll, how the gap grows, and when to give up.
 *
 * @module
 */
import { backoffDelay } from '../http/backoff.js';

/**
 * How status polling is paced. Poll 1 comes `firstDelayMs` after the job starts; the gap after poll `n` is
 * `max(minIntervalMs, jitter(min(maxIntervalMs, intervalMs · factor^(n-1))))` with "equal jitter" (a value in
 * `[exp/2, exp]`); polling gives up with `PollTimeout` `deadlineMs` after it began.
 *
 * @example
 * ```ts
 * import { MX_POLLING, type PollPolicy } from 'mx-statements-rx';
 * const patient: PollPolicy = { ...MX_POLLING, deadlineMs: 30 * 60_000 };
 * ```
 */
export interface PollPolicy {
  /** Wait before the first poll, without jitter. */
  readonly firstDelayMs: number;
  /** No two polls closer than this (MX asks for ≥ 3 s). */
  readonly minIntervalMs: number;
  /** The base gap (before jitter) after poll 1. */
  readonly intervalMs: number;
  /** Growth of the gap between polls. */
  readonly factor: number;
  /** The largest gap (before the `minIntervalMs` floor). */
  readonly maxIntervalMs: number;
  /** Give up after this long (`PollTimeout`). Each phase (before and after each MFA answer) gets the full time. */
  readonly deadlineMs: number;
  /** A failed status call that may succeed later (429, 5xx, network, timeout) is retried this many times in a row. */
  readonly maxErrors: number;
}

/**
 * The default against MX's hosts: first poll after 3 s, gaps 3 s → ×1.5 → 30 s with jitter, never under 3 s,
 * give up after 10 minutes.
 *
 * @example
 * ```ts
 * import { MX_POLLING } from 'mx-statements-rx';
 * const patient = { ...MX_POLLING, deadlineMs: 30 * 60_000 };
 * ```
 */
export const MX_POLLING: PollPolicy = {
  firstDelayMs: 3000,
  minIntervalMs: 3000,
  intervalMs: 4000,
  factor: 1.5,
  maxIntervalMs: 30_000,
  deadlineMs: 10 * 60_000,
  maxErrors: 5,
};

/**
 * The fast profile for the embedded sandbox (and any loopback base URL, where it is picked automatically):
 * first poll after 50 ms, gaps 25 ms → 500 ms, give up after 2 minutes.
 *
 * @example
 * ```ts
 * import { SANDBOX_POLLING, fetchStatements$ } from 'mx-statements-rx';
 * // explicit, e.g. for a sandbox behind a non-loopback host name:
 * // fetchStatements$(client, { ...input, polling: SANDBOX_POLLING })
 * ```
 */
export const SANDBOX_POLLING: PollPolicy = {
  firstDelayMs: 50,
  minIntervalMs: 25,
  intervalMs: 50,
  factor: 1.5,
  maxIntervalMs: 500,
  deadlineMs: 2 * 60_000,
  maxErrors: 5,
};

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/**
 * Whether a base URL points at this machine (`localhost`, `127.x.x.x`, `[::1]`): the embedded sandbox.
 *
 * @example
 * ```ts
 * import { isLoopbackUrl } from 'mx-statements-rx';
 * isLoopbackUrl('http://127.0.0.1:4010'); // true
 * isLoopbackUrl('https://int-api.mx.com'); // false
 * ```
 */
export const isLoopbackUrl = (baseUrl: string): boolean => {
  try {
    return LOOPBACK.test(new URL(baseUrl).hostname);
  } catch {
    return false;
  }
};

/**
 * The policy in force: `SANDBOX_POLLING` for a loopback base URL, else `MX_POLLING`, overridden by `partial`.
 * Throws a `RangeError` (a bug in the caller's options) for values that can never work.
 *
 * @example
 * ```ts
 * import { resolvePollPolicy } from 'mx-statements-rx';
 * resolvePollPolicy('https://int-api.mx.com', { deadlineMs: 60_000 }).firstDelayMs; // 3000
 * ```
 */
export const resolvePollPolicy = (baseUrl: string, partial: Partial<PollPolicy> = {}): PollPolicy => {
  const base = isLoopbackUrl(baseUrl) ? SANDBOX_POLLING : MX_POLLING;
  const p: PollPolicy = { ...base, ...stripUndefined(partial) };
  const check = (name: keyof PollPolicy, ok: boolean) => {
    if (!ok) throw new RangeError(`polling.${name}: invalid value ${String(p[name])}`);
  };
  check('firstDelayMs', Number.isFinite(p.firstDelayMs) && p.firstDelayMs >= 0);
  check('minIntervalMs', Number.isFinite(p.minIntervalMs) && p.minIntervalMs >= 0);
  check('intervalMs', Number.isFinite(p.intervalMs) && p.intervalMs >= 0);
  check('factor', Number.isFinite(p.factor) && p.factor >= 1);
  check('maxIntervalMs', Number.isFinite(p.maxIntervalMs) && p.maxIntervalMs >= p.minIntervalMs);
  check('deadlineMs', p.deadlineMs > 0);
  check('maxErrors', Number.isInteger(p.maxErrors) && p.maxErrors >= 0);
  return p;
};

const stripUndefined = <T extends object>(o: T): Partial<T> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

/**
 * The gap after poll `n` (1-based) and before poll `n + 1`, as the policy describes. Pure.
 *
 * @example
 * ```ts
 * import { MX_POLLING, pollDelay } from 'mx-statements-rx';
 * pollDelay(1, MX_POLLING, () => 1); // 4000
 * pollDelay(1, MX_POLLING, () => 0); // 3000 (the floor)
 * ```
 */
export const pollDelay = (n: number, p: PollPolicy, random: () => number): number =>
  Math.max(p.minIntervalMs, backoffDelay(n, { baseMs: p.intervalMs, maxMs: p.maxIntervalMs, factor: p.factor }, random));

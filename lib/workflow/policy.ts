/**
 * The status-polling policy: when to poll, how the gap grows, and when to give up.
 *
 * @module
 */
import { backoffDelay } from '../http/backoff.js';

/**
 * How status polling is paced. Poll 1 comes `firstDelayMs` after the phase starts; the gap after poll `n` is
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
  /** No two polls closer than this (MX asks for ≥ 3 s), a wakeup's early poll included. */
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
  /**
   * After MX accepted a job (202), how long the status may show no sign of it (the previous job's CONNECTED,
   * not aggregating, the same timestamps) before the run stops waiting for one: MX starts a job a little
   * after its 202, and answers 202 without starting one when asked "too soon". Past it, a CONNECTED member ends
   * the job as `statements-job-unconfirmed`, a failed one as `ConnectionFailed`. Default: the profile's (20 s for
   * MX), at most half of `deadlineMs`.
   */
  readonly jobStartGraceMs?: number;
}

/**
 * The default: MX's advice. First poll after 3 s, gaps 3 s → ×1.5 → 30 s with jitter, never under 3 s, give up
 * after 10 minutes; a job shows itself within 20 s.
 *
 * @example
 * ```ts
 * import { MX_POLLING } from 'mx-statements-rx';
 * const patient = { ...MX_POLLING, deadlineMs: 30 * 60_000 };
 * ```
 */
export const MX_POLLING: Required<PollPolicy> = {
  firstDelayMs: 3000,
  minIntervalMs: 3000,
  intervalMs: 4000,
  factor: 1.5,
  maxIntervalMs: 30_000,
  deadlineMs: 10 * 60_000,
  maxErrors: 5,
  jobStartGraceMs: 20_000,
};

/**
 * The fast profile for the embedded sandbox: first poll after 50 ms, gaps 25 ms → 500 ms, give up after 2
 * minutes; a job shows itself within 2 s. Used when you pass it (the CLI does for its embedded sandbox;
 * `SandboxHandle.polling` hands out the sandbox's own recommendation) or when the server said it is the sandbox
 * (`client.hints.sandbox`), never because a base URL is on loopback: a dev server on localhost may proxy to MX.
 *
 * @example
 * ```ts
 * import { SANDBOX_POLLING, fetchStatements$, type MxClient } from 'mx-statements-rx';
 * declare const client: MxClient;
 * fetchStatements$(client, { member: { userGuid: 'USR-1', memberGuid: 'MBR-1' }, polling: SANDBOX_POLLING });
 * ```
 */
export const SANDBOX_POLLING: Required<PollPolicy> = {
  firstDelayMs: 50,
  minIntervalMs: 25,
  intervalMs: 50,
  factor: 1.5,
  maxIntervalMs: 500,
  deadlineMs: 2 * 60_000,
  maxErrors: 5,
  jobStartGraceMs: 2000,
};

/**
 * The slow failsafe pace while webhooks wake the polls (`WorkflowOptions.wakeups`, while they arrive: a stream
 * silent for 2 minutes gets the normal pace back): a wakeup for the member ends a wait (no sooner than 10 s after the previous poll),
 * so the timer only covers a webhook that never came. First poll after 20 s, gaps 20 s → ×1.5 → 60 s (never
 * under 10 s), give up after 30 minutes; a job shows itself within 45 s.
 *
 * @example
 * ```ts
 * import { WEBHOOK_FAILSAFE_POLLING } from 'mx-statements-rx';
 * WEBHOOK_FAILSAFE_POLLING.firstDelayMs; // 20000
 * ```
 */
export const WEBHOOK_FAILSAFE_POLLING: Required<PollPolicy> = {
  firstDelayMs: 20_000,
  minIntervalMs: 10_000,
  intervalMs: 20_000,
  factor: 1.5,
  maxIntervalMs: 60_000,
  deadlineMs: 30 * 60_000,
  maxErrors: 5,
  jobStartGraceMs: 45_000,
};

/**
 * How long a wakeups stream may stay silent before the polling it serves leaves the failsafe pace: 2 minutes.
 * The failsafe is for "while webhooks arrive" (MX's advice: keep a slow timer beside them); a stream that has
 * brought nothing for this long — a receiver MX never calls — gets the normal pace at the next polling phase.
 *
 * @example
 * ```ts
 * import { WEBHOOK_SILENCE_MS } from './policy.js';
 * WEBHOOK_SILENCE_MS; // 120000
 * ```
 */
export const WEBHOOK_SILENCE_MS = 2 * 60_000;

/**
 * The profile a polling phase starts from, before your `polling` overrides: `WEBHOOK_FAILSAFE_POLLING` while
 * webhooks arrive (`webhooksArriving`: wakeups were given and their stream is not silent, see
 * {@link WEBHOOK_SILENCE_MS}), else `SANDBOX_POLLING` once the server said it is the sandbox, else `MX_POLLING`.
 *
 * @example
 * ```ts
 * import { MX_POLLING } from 'mx-statements-rx';
 * import { basePollPolicy } from './policy.js';
 * basePollPolicy({ sandbox: false }, false) === MX_POLLING; // true
 * ```
 */
export const basePollPolicy = (hints: { readonly sandbox: boolean }, webhooksArriving: boolean): Required<PollPolicy> =>
  webhooksArriving ? WEBHOOK_FAILSAFE_POLLING : hints.sandbox ? SANDBOX_POLLING : MX_POLLING;

/**
 * The policy in force: `base` (default `MX_POLLING`) overridden by `partial`. Each value of `partial` is checked
 * on its own, so whether an override is valid never depends on the profile underneath, which a run picks only
 * when a polling phase starts: a `RangeError` (a bug in the caller's options) for a value that can never work,
 * or for a `minIntervalMs` above the `maxIntervalMs` given with it. Where one of the two bounds you give
 * contradicts the profile's other one, yours wins (`{ maxIntervalMs: 5000 }` over the failsafe's 10-s floor
 * lowers the floor to 5 s).
 *
 * @example
 * ```ts
 * import { SANDBOX_POLLING, WEBHOOK_FAILSAFE_POLLING } from 'mx-statements-rx';
 * import { resolvePollPolicy } from './policy.js';
 * resolvePollPolicy({ deadlineMs: 60_000 }).firstDelayMs;   // 3000
 * resolvePollPolicy({}, SANDBOX_POLLING).firstDelayMs;      // 50
 * resolvePollPolicy({ maxIntervalMs: 5000 }, WEBHOOK_FAILSAFE_POLLING).minIntervalMs; // 5000
 * ```
 */
export function resolvePollPolicy(partial: Partial<PollPolicy> = {}, base: PollPolicy = MX_POLLING): Required<PollPolicy> {
  const own = stripUndefined(partial);
  const merged = { ...MX_POLLING, ...stripUndefined(base), ...own };
  const check = (name: keyof PollPolicy, ok: (v: number) => boolean) => {
    const v = merged[name] as number;
    if (!ok(v)) throw new RangeError(`polling.${name}: invalid value ${String(v)}`);
  };
  check('firstDelayMs', (v) => Number.isFinite(v) && v >= 0);
  check('minIntervalMs', (v) => Number.isFinite(v) && v >= 0);
  check('intervalMs', (v) => Number.isFinite(v) && v >= 0);
  check('factor', (v) => Number.isFinite(v) && v >= 1);
  check('maxIntervalMs', (v) => Number.isFinite(v) && v >= 0);
  check('deadlineMs', (v) => v > 0);
  check('maxErrors', (v) => Number.isInteger(v) && v >= 0);
  if (own.minIntervalMs !== undefined && own.maxIntervalMs !== undefined && own.maxIntervalMs < own.minIntervalMs) {
    throw new RangeError(`polling.maxIntervalMs: invalid value ${own.maxIntervalMs} (below minIntervalMs ${own.minIntervalMs})`);
  }
  // A profile's bound that contradicts the one the caller gave yields to it.
  if (merged.maxIntervalMs < merged.minIntervalMs) {
    if (own.maxIntervalMs !== undefined) merged.minIntervalMs = merged.maxIntervalMs;
    else merged.maxIntervalMs = merged.minIntervalMs;
  }
  // A grace nobody chose leaves half of the deadline for the job itself.
  const grace = partial.jobStartGraceMs ?? Math.min(base.jobStartGraceMs ?? MX_POLLING.jobStartGraceMs, merged.deadlineMs / 2);
  if (!(grace >= 0)) throw new RangeError(`polling.jobStartGraceMs: invalid value ${String(grace)}`);
  return { ...merged, jobStartGraceMs: grace };
}

const stripUndefined = <T extends object>(o: T): Partial<T> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

/**
 * The gap after poll `n` (1-based) and before poll `n + 1`, as the policy describes. Pure.
 *
 * @example
 * ```ts
 * import { MX_POLLING } from 'mx-statements-rx';
 * import { pollDelay } from './policy.js';
 * pollDelay(1, MX_POLLING, () => 1); // 4000
 * pollDelay(1, MX_POLLING, () => 0); // 3000 (the floor)
 * ```
 */
export const pollDelay = (n: number, p: PollPolicy, random: () => number): number =>
  Math.max(p.minIntervalMs, backoffDelay(n, { baseMs: p.intervalMs, maxMs: p.maxIntervalMs, factor: p.factor }, random));

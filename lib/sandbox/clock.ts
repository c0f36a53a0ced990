/**
 * The sandbox's sense of time: one injectable clock for every timer and timestamp it makes (jobs, the challenge
 * TTL, the job start delay, "too soon", the rate limit, latency, webhook retries), so specs can move time by hand
 * instead of sleeping.
 *
 * @module
 */

/**
 * A clock: the time now, and one-shot timers. Every timer and timestamp of the sandbox comes from it (only the
 * request log measures durations on the real clock).
 *
 * @example
 * ```ts
 * import { startSandbox, type SandboxClock } from 'mx-statements-rx/sandbox';
 *
 * const fixed: SandboxClock = { now: () => Date.parse('2026-12-01T00:00:00Z'), setTimer: () => () => undefined };
 * const sandbox = await startSandbox({ clock: fixed }); // timestamps frozen, jobs never advance
 * await sandbox.close();
 * ```
 */
export interface SandboxClock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /**
   * Calls `fn` once, `ms` from now; returns a function that cancels it (a no-op once it ran). A real clock's
   * timers must not keep the process alive (`unref`).
   */
  setTimer(ms: number, fn: () => void): () => void;
}

/**
 * The wall clock: `Date.now()` and `unref()`'d `setTimeout`s. The default.
 *
 * @example
 * ```ts
 * import { REAL_CLOCK } from './clock.js';
 *
 * const cancel = REAL_CLOCK.setTimer(100, () => console.log('tick'));
 * cancel();
 * ```
 */
export const REAL_CLOCK: SandboxClock = {
  now: () => Date.now(),
  setTimer: (ms, fn) => {
    const handle = setTimeout(fn, Math.max(0, ms));
    handle.unref();
    return () => clearTimeout(handle);
  },
};

/**
 * A clock that moves only when told: for specs. Timers fire in due order (ties in the order they were set), each
 * with `now()` equal to its due time; a timer set by a firing timer fires in the same `advance` if it falls due.
 *
 * @example
 * ```ts
 * import { createManualClock } from 'mx-statements-rx/sandbox';
 *
 * const clock = createManualClock();
 * clock.setTimer(50, () => console.log('fired at', clock.now()));
 * clock.advance(49); // nothing
 * clock.advance(1); // fired
 * ```
 */
export interface ManualClock extends SandboxClock {
  /** Moves time forward by `ms`, firing every timer that falls due on the way. */
  advance(ms: number): void;
  /** Moves time to the next pending timer and fires it (and any due at the same instant); false when none. */
  next(): boolean;
  /** Timers not yet fired or cancelled. */
  readonly pending: number;
}

interface ManualTimer {
  readonly at: number;
  readonly seq: number;
  readonly fn: () => void;
}

/**
 * Creates a {@link ManualClock} starting at `startMs` (default 2026-11-01T00:00:00Z).
 *
 * @example
 * ```ts
 * import { createManualClock, startSandbox } from 'mx-statements-rx/sandbox';
 *
 * const clock = createManualClock();
 * const sandbox = await startSandbox({ clock, aggregationMs: 1000, jobStartDelayMs: 0 });
 * // … POST fetch_statements …, then:
 * clock.advance(1000); // the job has ended
 * await sandbox.close();
 * ```
 */
export function createManualClock(startMs = Date.parse('2026-11-01T00:00:00Z')): ManualClock {
  let now = startMs;
  let seq = 0;
  const timers = new Set<ManualTimer>();
  const due = (limit: number): ManualTimer | undefined => {
    let first: ManualTimer | undefined;
    for (const t of timers) {
      if (t.at > limit) continue;
      if (!first || t.at < first.at || (t.at === first.at && t.seq < first.seq)) first = t;
    }
    return first;
  };
  const fire = (t: ManualTimer): void => {
    timers.delete(t);
    now = Math.max(now, t.at);
    t.fn();
  };
  return {
    now: () => now,
    setTimer(ms, fn) {
      const timer: ManualTimer = { at: now + Math.max(0, ms), seq: seq++, fn };
      timers.add(timer);
      return () => {
        timers.delete(timer);
      };
    },
    advance(ms) {
      if (!(ms >= 0)) throw new RangeError(`advance: ms must be >= 0, got ${ms}`);
      const target = now + ms;
      for (let t = due(target); t; t = due(target)) fire(t);
      now = target;
    },
    next() {
      const t = due(Number.POSITIVE_INFINITY);
      if (!t) return false;
      const at = t.at;
      for (let d = due(at); d; d = due(at)) fire(d);
      return true;
    },
    get pending() {
      return timers.size;
    },
  };
}

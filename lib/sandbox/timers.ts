/**
 * Every timer the sandbox sets, in one place, on its clock, so that `close()` can clear them all.
 *
 * @module
 */
import type { SandboxClock } from './clock.js';

/**
 * A set of timers on a {@link SandboxClock} that can all be cleared at once; sleeps end early (resolve) when cleared.
 *
 * @example
 * ```ts
 * import { REAL_CLOCK } from './clock.js';
 * import { TimerSet } from './timers.js';
 *
 * const timers = new TimerSet(REAL_CLOCK, (e) => console.error(e));
 * timers.after(100, () => console.log('tick'));
 * await timers.sleep(50);
 * timers.clear();
 * ```
 */
export class TimerSet {
  private readonly pending = new Map<symbol, { cancel: () => void; wake: () => void }>();
  private closed = false;

  constructor(
    readonly clock: SandboxClock,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Runs `fn` after `ms`; returns a function that cancels it. After {@link clear} it does nothing. */
  after(ms: number, fn: () => void): () => void {
    if (this.closed) return () => undefined;
    const key = Symbol('timer');
    const cancel = this.clock.setTimer(ms, () => {
      this.pending.delete(key);
      try {
        fn();
      } catch (error) {
        this.onError(error);
      }
    });
    this.pending.set(key, { cancel, wake: () => undefined });
    return () => {
      cancel();
      this.pending.delete(key);
    };
  }

  /** Resolves after `ms` (at once for 0), or as soon as the set is cleared. */
  sleep(ms: number): Promise<void> {
    if (ms <= 0 || this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const key = Symbol('sleep');
      const cancel = this.clock.setTimer(ms, () => {
        this.pending.delete(key);
        resolve();
      });
      this.pending.set(key, { cancel, wake: resolve });
    });
  }

  /** Clears every pending timer (resolving pending sleeps) and refuses new ones. */
  clear(): void {
    this.closed = true;
    for (const { cancel, wake } of this.pending.values()) {
      cancel();
      wake();
    }
    this.pending.clear();
  }

  /** How many timers are pending (for specs). */
  get size(): number {
    return this.pending.size;
  }

  /** The clock's time now (ms since the epoch). */
  now(): number {
    return this.clock.now();
  }
}

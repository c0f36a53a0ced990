/**
 * Every timer the sandbox sets, in one place, so that `close()` can clear them all.
 *
 * @module
 */

/**
 * A set of `unref()`'d timers that can all be cleared at once; sleeps end early (resolve) when cleared.
 *
 * @example
 * ```ts
 * import { TimerSet } from './timers.js';
 *
 * const timers = new TimerSet((e) => console.error(e));
 * timers.after(100, () => console.log('tick'));
 * await timers.sleep(50);
 * timers.clear();
 * ```
 */
export class TimerSet {
  private readonly pending = new Map<NodeJS.Timeout, () => void>();
  private closed = false;

  constructor(private readonly onError: (error: unknown) => void) {}

  /** Runs `fn` after `ms`; returns a function that cancels it. After {@link clear} it does nothing. */
  after(ms: number, fn: () => void): () => void {
    if (this.closed) return () => undefined;
    const handle = setTimeout(() => {
      this.pending.delete(handle);
      try {
        fn();
      } catch (error) {
        this.onError(error);
      }
    }, ms);
    handle.unref();
    this.pending.set(handle, () => undefined);
    return () => {
      clearTimeout(handle);
      this.pending.delete(handle);
    };
  }

  /** Resolves after `ms` (at once for 0), or as soon as the set is cleared. */
  sleep(ms: number): Promise<void> {
    if (ms <= 0 || this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const handle = setTimeout(() => {
        this.pending.delete(handle);
        resolve();
      }, ms);
      handle.unref();
      this.pending.set(handle, resolve);
    });
  }

  /** Clears every pending timer (resolving pending sleeps) and refuses new ones. */
  clear(): void {
    this.closed = true;
    for (const [handle, wake] of this.pending) {
      clearTimeout(handle);
      wake();
    }
    this.pending.clear();
  }

  /** How many timers are pending (for specs). */
  get size(): number {
    return this.pending.size;
  }
}

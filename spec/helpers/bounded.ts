/**
 * Bounded waits for every spec: each gives up after its bound with a message saying what it waited for, and
 * releases what it waited on (the timer, the subscription), so a hung run fails its test instead of holding the
 * suite open. Where the code under test takes a clock or a scheduler, drive that instead of waiting.
 */
import { Observable } from 'rxjs';

/** The default bound of a wait on real I/O (well under mocha's per-test timeout). */
export const WAIT_MS = 15_000;

/** The default bound of {@link until}: conditions on local I/O settle in milliseconds. */
export const UNTIL_MS = 5000;

/**
 * Checks `done()` until it holds; rejects after `timeoutMs` naming `what`. Checks between event-loop turns at
 * first (I/O the clock cannot drive settles within a few), then every 5 ms (no busy loop on a shared machine).
 *
 * @example
 * ```ts
 * await until('the second delivery', () => receiver.seen.length === 2);
 * ```
 */
export const until = async (what: string, done: () => boolean | Promise<boolean>, timeoutMs = UNTIL_MS): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  for (let checks = 1; !(await done()); checks++) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => (checks < 100 ? setImmediate(r) : setTimeout(r, 5)));
  }
};

/** Races `p` against a timer that rejects after `ms`; the timer is cleared either way. */
export const within = <A>(p: Promise<A>, ms: number, what: string): Promise<A> => {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: nothing within ${ms} ms`)), ms);
  });
  return Promise.race([p, bound]).finally(() => clearTimeout(timer));
};

/**
 * Every value of `source` until it completes; rejects on its error, or after `ms` — unsubscribing, so whatever it
 * runs (requests, timers) is released.
 */
export const collect = <A>(source: Observable<A>, ms = WAIT_MS, what = 'an Observable to complete'): Promise<A[]> =>
  new Promise<A[]>((resolve, reject) => {
    const values: A[] = [];
    let timer: NodeJS.Timeout | undefined;
    const sub = source.subscribe({
      next: (v) => values.push(v),
      error: (e: unknown) => {
        clearTimeout(timer);
        reject(e);
      },
      complete: () => {
        clearTimeout(timer);
        resolve(values);
      },
    });
    if (!sub.closed) {
      timer = setTimeout(() => {
        sub.unsubscribe();
        reject(new Error(`${what}: did not complete within ${ms} ms (${values.length} values so far)`));
      }, ms);
    }
  });

/** The last value of `source` (which must emit one), bounded like {@link collect}. */
export const last = async <A>(source: Observable<A>, ms = WAIT_MS, what?: string): Promise<A> => {
  const values = await collect(source, ms, what);
  if (values.length === 0) throw new Error(`${what ?? 'an Observable'}: completed without a value`);
  return values[values.length - 1]!;
};

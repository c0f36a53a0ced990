/**
 * A sink operation (a save, a lookup) as a cold Observable over its promise, tracked so `idle()` waits for it.
 *
 * @module
 */
import { Observable } from 'rxjs';
import type { SinkContext } from './context.js';

/**
 * Runs `run` at each subscription and emits what it resolves with, then completes; `undefined` means it stopped
 * because it was cancelled, and emits nothing. A rejection is a bug and goes to the error channel. Unsubscribing
 * turns `isCancelled()` true and calls whatever `onCancel` registered last; the job stays in `ctx`'s running
 * set until it settles, so `ctx.idle()` also waits for its clean-up.
 *
 * @example
 * ```ts
 * import { sinkJob$ } from './job.js';
 * import type { SinkContext } from './context.js';
 * declare const ctx: SinkContext;
 * sinkJob$(ctx, async (isCancelled) => (isCancelled() ? undefined : 42)).subscribe((n) => console.log(n)); // 42
 * ```
 */
export const sinkJob$ = <A>(
  ctx: SinkContext,
  run: (isCancelled: () => boolean, onCancel: (cancel: () => void) => void) => Promise<A | undefined>,
): Observable<A> =>
  new Observable<A>((subscriber) => {
    let cancelled = false;
    let cancel: (() => void) | undefined;
    const job = run(() => cancelled, (c) => {
      cancel = c;
    }).then(
      (result) => {
        if (result === undefined || cancelled) return;
        subscriber.next(result);
        subscriber.complete();
      },
      (err: unknown) => {
        if (!cancelled) subscriber.error(err);
      },
    );
    ctx.track(job);
    return () => {
      cancelled = true;
      cancel?.();
    };
  });

/**
 * Workflow-level retry of one step after a failure that may pass next time.
 *
 * @module
 */
import { retry, throwError, timer, type MonoTypeOperatorFunction } from 'rxjs';
import { isRetryable, type MxError } from '../core/errors.js';
import { backoffDelay } from '../http/backoff.js';
import { errorOf } from './either.js';
import type { WorkflowContext } from './input.js';

/**
 * Resubscribes a step (at most `count` times, backoff from the client's retry policy) when it failed with an
 * `MxFailure` that `when` accepts (default `isRetryable`). The transport already retries what is safe per
 * method; this covers what is safe only because of what the workflow does next — a repeated create answers
 * 409 and is reused, a repeated `fetch_statements` answers 202 and is joined.
 */
export const retryStep = <A>(
  ctx: WorkflowContext,
  count = ctx.stepRetries,
  when: (e: MxError) => boolean = isRetryable,
): MonoTypeOperatorFunction<A> => {
  const r = ctx.client.config.retry;
  return retry({
    count,
    delay: (err: unknown, n: number) => {
      const e = errorOf(err);
      if (e === undefined || !when(e)) return throwError(() => err);
      // A Retry-After beyond the client's maxRetryAfterMs (hours, say) is not slept: the RateLimited stands.
      if (e._tag === 'RateLimited' && e.retryAfterMs !== undefined && e.retryAfterMs > r.maxRetryAfterMs) return throwError(() => err);
      const ms = e._tag === 'RateLimited' && e.retryAfterMs !== undefined
        ? e.retryAfterMs
        : backoffDelay(n, { baseMs: r.baseDelayMs, maxMs: r.maxDelayMs, factor: r.factor }, ctx.random);
      return timer(ms, ctx.scheduler);
    },
  });
};

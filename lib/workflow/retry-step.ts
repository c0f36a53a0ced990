/**
 * Workflow-level retry of one step, for what the transport could not retry itself.
 *
 * @module
 */
import { retry, throwError, timer, type MonoTypeOperatorFunction } from 'rxjs';
import { isRetryable, type MxError } from '../core/errors.js';
import { backoffDelay } from '../http/backoff.js';
import { isRetryableFor } from '../http/retry-decision.js';
import { errorOf } from './either.js';
import type { WorkflowContext } from './input.js';

/**
 * Whether the transport retries `e` itself (as far as its policy allows) for the method of the request that
 * failed: 429s, a 503, a refused connection, and for idempotent methods the other transient failures. Such a
 * failure reaching a step has used up the transport's attempts; repeating the step would only multiply them.
 *
 * @example
 * ```ts
 * import { retriedByTransport } from './retry-step.js';
 *
 * retriedByTransport({ _tag: 'NetworkError', method: 'POST', path: '/users', code: 'ECONNREFUSED', message: '' }); // true
 * retriedByTransport({ _tag: 'ServerError', method: 'POST', path: '/users', status: 502, message: '' });           // false
 * ```
 */
export const retriedByTransport = (e: MxError): boolean => isRetryableFor(e, e.method);

/**
 * Resubscribes a step (at most `count` times, backoff from the client's retry policy, each retry announced to the
 * client's `onRetry`) after a failure `when` accepts (default `isRetryable`) **and the transport could not retry
 * safely** ({@link retriedByTransport} is false): a POST whose answer was lost or failed after it may have acted
 * (a reset, a timeout, a 500/502/504). Repeating such a step is safe only because of what the workflow does
 * next — a repeated create answers 409 and is reused, a repeated `fetch_statements` answers 202 and is joined —
 * which the transport cannot know. A failure the transport retries itself (a refused connection, a 503, a 429, any
 * transient failure of a GET) is never repeated here: a host that is down costs the transport's attempts once,
 * not once per step attempt. A download's integrity failure (bytes cut short or wrong) is the other case: the
 * transport cannot repeat a stream whose bytes it already passed on.
 *
 * @example
 * ```ts
 * import { defer } from 'rxjs';
 * import { unwrap } from './either.js';
 * import { retryStep } from './retry-step.js';
 * import type { WorkflowContext } from './input.js';
 * declare const ctx: WorkflowContext;
 *
 * const created$ = defer(() => ctx.client.users.create$({ id: 'customer-42' })).pipe(unwrap(), retryStep(ctx));
 * ```
 */
export const retryStep = <A>(
  ctx: WorkflowContext,
  count = ctx.stepRetries,
  when: (e: MxError) => boolean = isRetryable,
): MonoTypeOperatorFunction<A> => {
  const r = ctx.client.config.retry;
  const onRetry = ctx.client.config.onRetry;
  return retry({
    count,
    delay: (err: unknown, n: number) => {
      const e = errorOf(err);
      if (e === undefined || !when(e) || retriedByTransport(e)) return throwError(() => err);
      const ms = backoffDelay(n, { baseMs: r.baseDelayMs, maxMs: r.maxDelayMs, factor: r.factor }, ctx.random);
      onRetry?.({ method: e.method, path: e.path, attempt: n, maxAttempts: count + 1, delayMs: ms, error: e });
      return timer(ms, ctx.scheduler);
    },
  });
};

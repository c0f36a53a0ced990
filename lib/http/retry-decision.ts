import type { RetryPolicy } from '../core/config.js';
import type { MxError } from '../core/errors.js';
import { backoffDelay } from './backoff.js';

/** Refused connections: the server never saw the request, so even a POST may be sent again. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * Whether a failed attempt may be sent again, by method. Idempotent methods (GET, PUT, DELETE) retry 429,
 * 502/503/504, timeouts and network failures (GET and DELETE also 500, which is safe for them). A POST retries
 * only where the server cannot have acted: 429, 503 and a refused connection.
 */
export const isRetryableFor = (error: MxError, method: string): boolean => {
  const idempotent = method !== 'POST';
  switch (error._tag) {
    case 'RateLimited':
      return true;
    case 'ServerError':
      if (error.status === 503) return true;
      if (!idempotent) return false;
      return error.status === 502 || error.status === 504 || (error.status === 500 && method !== 'PUT');
    case 'NetworkError':
      return idempotent || (error.code !== undefined && NOT_SENT_CODES.has(error.code));
    case 'Timeout':
      return idempotent;
    default:
      return false;
  }
};

/**
 * The one Retry-After rule, wherever a failure is waited out (the transport's retries, a status poll, the member
 * listing): the wait is `backoffMs`, or a 429's `Retry-After` when that is longer; a `Retry-After` beyond
 * `maxRetryAfterMs` (hours, say) is not slept — `undefined`: the `RateLimited` error stands.
 *
 * @example
 * ```ts
 * import { retryAfterWait } from './retry-decision.js';
 * const e = { _tag: 'RateLimited', method: 'GET', path: '/users', status: 429, message: '', retryAfterMs: 2000 } as const;
 * retryAfterWait(e, 500, 60_000);                                 // 2000
 * retryAfterWait({ ...e, retryAfterMs: 7_200_000 }, 500, 60_000); // undefined
 * ```
 */
export const retryAfterWait = (error: MxError, backoffMs: number, maxRetryAfterMs: number): number | undefined => {
  if (error._tag !== 'RateLimited' || error.retryAfterMs === undefined) return backoffMs;
  return error.retryAfterMs > maxRetryAfterMs ? undefined : Math.max(backoffMs, error.retryAfterMs);
};

/**
 * The delay before retry `n` (1-based) of a failed attempt, or `undefined` when it must not be retried:
 * exponential backoff with jitter, or the server's `Retry-After` when it sent a longer one (one beyond
 * `policy.maxRetryAfterMs` is not waited for); see {@link retryAfterWait}.
 *
 * @example
 * ```ts
 * import { DEFAULT_RETRY } from '../core/config.js';
 * import { retryDelayFor } from './retry-decision.js';
 * const e = { _tag: 'RateLimited', method: 'GET', path: '/users', status: 429, message: '', retryAfterMs: 2000 } as const;
 * retryDelayFor(e, 'GET', 1, DEFAULT_RETRY, Math.random); // 2000
 * ```
 */
export const retryDelayFor = (
  error: MxError,
  method: string,
  n: number,
  policy: RetryPolicy,
  random: () => number,
): number | undefined => {
  if (!isRetryableFor(error, method)) return undefined;
  return retryAfterWait(error, backoffDelay(n, { baseMs: policy.baseDelayMs, maxMs: policy.maxDelayMs, factor: policy.factor }, random), policy.maxRetryAfterMs);
};

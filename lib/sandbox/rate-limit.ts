/**
 * A token bucket per client id: `rate` requests per second with a burst of `rate`.
 *
 * @module
 */

/** Most client ids tracked at once (the oldest bucket is dropped beyond). */
const MAX_BUCKETS = 1000;

/**
 * Per-client token buckets.
 *
 * @example
 * ```ts
 * import { RateLimiter } from './rate-limit.js';
 *
 * const limiter = new RateLimiter(5);
 * limiter.take('client', Date.now()); // undefined = allowed, or the Retry-After in whole seconds
 * ```
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly rate: number) {}

  /** Takes a token for `key`: `undefined` when allowed, otherwise the seconds to wait (at least 1). */
  take(key: string, nowMs: number): number | undefined {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = { tokens: this.rate, at: nowMs };
      this.buckets.set(key, bucket);
      if (this.buckets.size > MAX_BUCKETS) {
        const oldest = this.buckets.keys().next().value;
        if (oldest !== undefined) this.buckets.delete(oldest);
      }
    }
    bucket.tokens = Math.min(this.rate, bucket.tokens + ((nowMs - bucket.at) / 1000) * this.rate);
    bucket.at = nowMs;
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return undefined;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.rate));
  }
}

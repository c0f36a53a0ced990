/**
 * A transport retry as one line: what failed, why, how long the wait is, which attempt comes next.
 *
 * @module
 */
import type { RetryNotice } from '../../core/config.js';
import { shortReason } from './failure.js';
import { formatDuration } from './format.js';
import { shortGuidsIn } from './text.js';

/**
 * The line shown before a retry's wait.
 *
 * @example
 * ```ts
 * import { retryText } from './retry.js';
 *
 * retryText({ method: 'POST', path: '/users', attempt: 1, maxAttempts: 4, delayMs: 2000,
 *   error: { _tag: 'NetworkError', method: 'POST', path: '/users', code: 'ECONNREFUSED', message: '' } });
 * // 'POST /users: connection refused; retrying in 2 s, attempt 2 of 4'
 * ```
 */
export const retryText = (n: RetryNotice, options: { readonly compact?: boolean } = {}): string => {
  const text = `${n.method} ${n.path}: ${shortReason(n.error)}; retrying in ${formatDuration(n.delayMs)}, attempt ${n.attempt + 1} of ${n.maxAttempts}`;
  return options.compact ? shortGuidsIn(text) : text;
};

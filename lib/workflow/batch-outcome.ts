/**
 * How a batch reads a member's failure: needs its user, may pass on a later pass, or final.
 *
 * @module
 */
import { isMxError, isRetryable, type MxError, type TaggedError } from '../core/errors.js';
import { isRetryableDownloadFailure } from './download-limits.js';

const USER_ACTION_STATUSES = new Set(['CHALLENGED', 'PREVENTED', 'DENIED', 'REJECTED', 'EXPIRED', 'LOCKED', 'IMPEDED', 'IMPAIRED']);

/** Statuses MX ends a job with that say "try again later" rather than "ask the user". */
const TRY_LATER_STATUSES = new Set(['DEGRADED', 'DISCONNECTED', 'FAILED']);

/**
 * Whether an error needs the member's user to act (answer MFA, fix credentials, unlock the account) rather
 * than a retry later. A sink's own error (a full disk) never does.
 *
 * @example
 * ```ts
 * import { needsUserAction } from 'mx-statements-rx';
 * needsUserAction({ _tag: 'MfaRequired', method: 'PUT', path: '/…/resume', memberGuid: 'MBR-1', challengeTypes: ['TEXT'], message: '' }); // true
 * ```
 */
export const needsUserAction = (e: MxError | TaggedError): boolean => {
  if (!isMxError(e)) return false;
  switch (e._tag) {
    case 'MfaRequired':
    case 'MfaTimeout':
    case 'MfaAnswerMismatch':
    case 'MissingCredentials':
      return true;
    case 'ConnectionFailed':
      // an OAuth window the person cancelled or failed: only they can open a new one
      return USER_ACTION_STATUSES.has(e.connectionStatus) || e.oauthErrorReason !== undefined;
    default:
      return false;
  }
};

/**
 * Whether a member that failed with this error may succeed on a later pass of a batch: the transport's
 * retryable failures once its own retries ran out (429, 5xx, network, timeout), a status poll that reached its
 * deadline, a PDF that failed its checks (truncated on the way; not one refused for want of a `content_hash`) or
 * was too slow or too long to arrive (not one past the size cap), a job of another type still running (409), and
 * a job MX ended DEGRADED, DISCONNECTED or FAILED ("try again later"). Never an error that needs the user, nor a
 * sink's own error (a disk that failed will likely fail again).
 *
 * @example
 * ```ts
 * import { isTransientFailure } from 'mx-statements-rx';
 * isTransientFailure({ _tag: 'RateLimited', method: 'GET', path: '/users', status: 429, message: '' }); // true
 * isTransientFailure({ _tag: 'NotFound', method: 'GET', path: '/users/x', status: 404, message: '' }); // false
 * ```
 */
export const isTransientFailure = (e: MxError | TaggedError): boolean => {
  if (!isMxError(e)) return false;
  if (isRetryable(e)) return true;
  switch (e._tag) {
    case 'PollTimeout':
    case 'Conflict':
      return true;
    case 'IntegrityError':
    case 'DownloadLimitExceeded':
      return isRetryableDownloadFailure(e);
    case 'ConnectionFailed':
      return TRY_LATER_STATUSES.has(e.connectionStatus);
    default:
      return false;
  }
};

/**
 * The one human line for any failure: `Tag: what happened — what to do`. Built from the error's fields rather
 * than by gluing messages together, so no phrase is said twice ("POST /users failed: request to /users
 * failed", "Interrupted: interrupted").
 *
 * @module
 */
import { describeError, isMxError, type MxError } from '../../core/errors.js';
import type { FileSystemError } from '../../node/fs-error.js';
import type { Failure } from '../cli-error.js';
import { shortGuidsIn } from './text.js';

const NETWORK_REASONS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection closed',
  ETIMEDOUT: 'connection timed out',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ECONNABORTED: 'connection aborted',
  CERT_HAS_EXPIRED: 'TLS certificate expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed TLS certificate',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS certificate not trusted',
};

/**
 * Why a request failed, in a few words: `connection refused`, `no answer within 30 s`, `server error 503`.
 *
 * @example
 * ```ts
 * import { shortReason } from './failure.js';
 *
 * shortReason({ _tag: 'NetworkError', method: 'POST', path: '/users', code: 'ECONNREFUSED', message: 'POST /users failed: …' });
 * // 'connection refused'
 * ```
 */
export const shortReason = (e: MxError | FileSystemError): string => {
  switch (e._tag) {
    case 'NetworkError': {
      const known = e.code !== undefined ? NETWORK_REASONS[e.code] : undefined;
      if (known) return known;
      // The library's text is "METHOD PATH failed: <platform text>"; keep the platform's part only.
      const detail = e.message.replace(/^\S+ \S+ failed: /, '').replace(/^request to \S+ failed, reason: /, '');
      return e.code !== undefined && !detail.includes(e.code) ? `${detail} (${e.code})` : detail;
    }
    case 'Timeout':
      return `no answer within ${Math.round(e.timeoutMs / 100) / 10} s`;
    case 'RateLimited':
      return 'rate limited (429)';
    case 'ServerError':
      return `server error ${e.status}`;
    default:
      return 'status' in e ? `${e._tag} (${e.status})` : e._tag;
  }
};

const hint = (f: Failure, options: FailureTextOptions): string | undefined => {
  switch (f._tag) {
    case 'ConnectionFailed':
      if (f.oauthErrorReason !== undefined) return 'run again for a new link';
      if (options.oauth && f.connectionStatus === 'DENIED') {
        return 'the sign-in at the bank was denied; run again for a new link';
      }
      switch (f.connectionStatus) {
        case 'REJECTED':
          return 'run again and give the right answer';
        case 'DENIED':
          return 'check --username and --password';
        case 'EXPIRED':
          return 'answer the MFA question sooner';
        case 'LOCKED':
          return 'the account must be unlocked at the institution';
        default:
          return undefined;
      }
    case 'MfaRequired':
      return options.batch
        ? 'its user must answer: run fetch for that user in a terminal'
        : 'pass --mfa-answer (once per question), or run in a terminal to be asked';
    case 'Unauthorized':
      return 'check MX_CLIENT_ID and MX_API_KEY (or --client-id and --api-key)';
    case 'NetworkError':
      return 'is the host reachable? Check --base-url or --env';
    case 'NotAcceptable':
      return 'the host refused the API version: see --api-version';
    case 'RateLimited':
      return 'slow down with --rate-limit';
    case 'PollTimeout':
      return f.lastStatus === 'PENDING' ? 'nobody finished the sign-in in time; run again for a new link (--oauth-timeout gives more time)' : undefined;
    case 'IntegrityError':
      return f.reason === 'unverified' ? 'MX sent no content_hash to check it against; --allow-unverified keeps such PDFs, marked unverified' : undefined;
    case 'RedirectRefused':
      return 'an API answers, it does not redirect: check --base-url (keys are never sent to another origin)';
    case 'MissingCredentials':
      return 'pass --username and --password, or run in a terminal to be asked';
    case 'InternalError':
      return 'this is a bug: please report it';
    default:
      return undefined;
  }
};

/**
 * What happened when an OAuth window ended in an error its page reported (`oauthErrorReason`), in the person's
 * words: the reason MX gives, without the library's status detail (a cancelled member is still PENDING).
 */
const oauthWindowText = (memberGuid: string, reason: string): string => {
  switch (reason) {
    case 'CANCELLED':
      return `member ${memberGuid}: the sign-in at the bank was cancelled (its window was closed, or Cancel pressed)`;
    case 'DENIED':
      return `member ${memberGuid}: the sign-in at the bank was denied`;
    default:
      return `member ${memberGuid}: the bank's sign-in window ended with an error (${reason})`;
  }
};

const normalise = (s: string) => s.toLowerCase().replace(/[\s.,;:!—-]+$/u, '').trim();

/**
 * `text` without a clause that repeats the one before it (clauses split at `: ` and ` — `), case aside:
 * `'Interrupted: interrupted'` → `'Interrupted'`.
 *
 * @example
 * ```ts
 * import { withoutRepeats } from './failure.js';
 *
 * withoutRepeats('ENOENT: ENOENT: no such file'); // 'ENOENT: no such file'
 * ```
 */
export const withoutRepeats = (text: string): string => {
  const parts = text.split(/(: | — )/);
  const out: string[] = [];
  let previous: string | undefined;
  for (let i = 0; i < parts.length; i += 2) {
    const clause = parts[i] ?? '';
    if (previous !== undefined && normalise(clause) === normalise(previous)) continue;
    if (out.length > 0) out.push(parts[i - 1] ?? ': ');
    out.push(clause);
    previous = clause;
  }
  return out.join('');
};

/** Options of {@link failureText}. */
export interface FailureTextOptions {
  /** Shorten guids in the middle (for a terminal). Default false. */
  readonly compact?: boolean;
  /** The run showed an OAuth window: a DENIED is the person's answer there, not a bad password. Default false. */
  readonly oauth?: boolean;
  /** A member of an unattended sync: nobody can answer there, so hints say what its user must do. Default false. */
  readonly batch?: boolean;
}

/**
 * The line for a failure: `Tag: what happened — what to do` (the hint only when it adds something).
 *
 * @example
 * ```ts
 * import { failureText } from './failure.js';
 *
 * failureText({ _tag: 'NetworkError', method: 'POST', path: '/users', code: 'ECONNREFUSED', message: 'POST /users failed: request to /users failed' });
 * // 'NetworkError: POST /users: connection refused — is the host reachable? Check --base-url or --env'
 * ```
 */
export const failureText = (f: Failure, options: FailureTextOptions = {}): string => {
  const what = !isMxError(f)
    ? f.message
    : f._tag === 'NetworkError'
      ? `${f.method} ${f.path}: ${shortReason(f)}`
      : f._tag === 'ConnectionFailed' && f.oauthErrorReason !== undefined
        ? oauthWindowText(f.memberGuid, f.oauthErrorReason)
        : describeError(f).slice(f._tag.length + 2);
  const h = hint(f, options);
  const body = h && !what.toLowerCase().includes(h.toLowerCase()) ? `${what} — ${h}` : what;
  const text = withoutRepeats(`${f._tag}: ${body}`);
  return options.compact ? shortGuidsIn(text) : text;
};

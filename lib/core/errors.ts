/**
 * The `MxError` union: every expected failure of the library, as a plain, serialisable value with a `_tag`.
 *
 * Errors are values: the public streams emit them as `Left` (fp-ts `Either`), never through the Observable
 * error channel. Each one says which request failed (method + path, never headers or bodies we sent) and
 * carries a readable `message`. No secret (API key, Authorization header, credential values, MFA answers)
 * is ever put into one: see {@link redactSecrets}.
 *
 * @module
 */

import { redactableForms, secretForms } from './secret-forms.js';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** Which request an error belongs to: the HTTP method and the path (with query), never the host or headers. */
export interface RequestRef {
  readonly method: string;
  readonly path: string;
}

/** Fields shared by every error that came back as an HTTP status. */
export interface HttpStatusFields extends RequestRef {
  readonly status: number;
  readonly message: string;
  /** The response body as text, truncated to 500 characters and scrubbed of known secrets. */
  readonly body?: string;
}

/** 400: a missing parameter, an empty body, or a premium job (statements) on an institution without it. */
export interface BadRequest extends HttpStatusFields { readonly _tag: 'BadRequest' }
/** 401: the client id or API key was refused. */
export interface Unauthorized extends HttpStatusFields { readonly _tag: 'Unauthorized' }
/** 403: the IP is not allow-listed, or the feature (statements) is not enabled for the client. */
export interface Forbidden extends HttpStatusFields { readonly _tag: 'Forbidden' }
/** 404: an unknown id or path. */
export interface NotFound extends HttpStatusFields { readonly _tag: 'NotFound' }
/** 405: an endpoint constraint was not met (for example resuming a member that is not CHALLENGED). */
export interface MethodNotAllowed extends HttpStatusFields { readonly _tag: 'MethodNotAllowed' }
/** 406: the `Accept` vendor type (the API version) was refused. */
export interface NotAcceptable extends HttpStatusFields { readonly _tag: 'NotAcceptable' }
/** 409: a duplicate object (user id, member), or a job of a different type is already running. */
export interface Conflict extends HttpStatusFields { readonly _tag: 'Conflict' }
/** 422: the data could not be processed. */
export interface Unprocessable extends HttpStatusFields { readonly _tag: 'Unprocessable' }
/** 429: too many requests. `retryAfterMs` is set when the server sent a usable `Retry-After`. */
export interface RateLimited extends HttpStatusFields {
  readonly _tag: 'RateLimited';
  readonly retryAfterMs?: number;
}
/** 5xx: MX failed (500, 502, 504) or is being updated (503). */
export interface ServerError extends HttpStatusFields { readonly _tag: 'ServerError' }
/** Any other status that is not a success (3xx, 418, …). */
export interface UnexpectedStatus extends HttpStatusFields { readonly _tag: 'UnexpectedStatus' }

/** The request never got a complete answer: refused, reset, DNS, TLS, or the body broke off. */
export interface NetworkError extends RequestRef {
  readonly _tag: 'NetworkError';
  readonly message: string;
  /** A short machine-readable code when the platform gave one (`ECONNREFUSED`, `ECONNRESET`, …). */
  readonly code?: string;
}
/** No answer (or no next body chunk) within the client's per-request timeout. */
export interface Timeout extends RequestRef {
  readonly _tag: 'Timeout';
  readonly message: string;
  readonly timeoutMs: number;
}
/**
 * The server answered an API call with a redirect (3xx). MX's API never redirects, so the client does not follow
 * one: the API key, member credentials, MFA answers and configured headers never travel to any other origin.
 * `targetOrigin` is where the redirect pointed (scheme, host and port) when the fetch could tell (a browser
 * hides it); the rest of the target URL is left out.
 */
export interface RedirectRefused extends RequestRef {
  readonly _tag: 'RedirectRefused';
  readonly message: string;
  /** The 3xx status (0 when a browser reported an opaque redirect). */
  readonly status: number;
  readonly targetOrigin?: string;
}
/** The body did not match the expected shape. `errors` are readable io-ts paths. */
export interface DecodeError extends RequestRef {
  readonly _tag: 'DecodeError';
  readonly message: string;
  readonly errors: ReadonlyArray<string>;
}
/**
 * A downloaded PDF is not what it claims to be: not a PDF, truncated, or its SHA-256 differs — or it cannot be
 * verified at all (`unverified`): the statement has no usable `content_hash` (missing, null, empty, or not 64 hex
 * digits), and the run did not opt in to unverified PDFs (`download.requireContentHash: false`).
 */
export interface IntegrityError extends RequestRef {
  readonly _tag: 'IntegrityError';
  readonly message: string;
  readonly reason: 'not-pdf' | 'truncated' | 'length-mismatch' | 'hash-mismatch' | 'unverified';
  readonly statementGuid?: string;
  readonly expected?: string | number;
  readonly actual?: string | number;
}
/**
 * The member reached a terminal `connection_status` (DENIED, REJECTED, EXPIRED, LOCKED, …), or its OAuth window
 * ended in an error the caller reported (`oauthErrorReason`: the person cancelled or closed it, …).
 */
export interface ConnectionFailed extends RequestRef {
  readonly _tag: 'ConnectionFailed';
  readonly message: string;
  readonly memberGuid: string;
  /** The member's status as last seen (for a cancelled OAuth window usually still PENDING). */
  readonly connectionStatus: string;
  /** MX's own `connection_status_message`, when it sent one. */
  readonly mxMessage?: string;
  /**
   * The reason MX's OAuth window gave for ending in an error (`oauthComplete/error`, or the redirect's
   * `error_reason`): CANCELLED, DENIED, IMPEDED, PROVIDER_ERROR, SERVER_ERROR, SESSION_ERROR. Only when the
   * caller passed it on (`oauth.completions`).
   */
  readonly oauthErrorReason?: string;
}
/** The member was CHALLENGED and no answers came within the MFA deadline. */
export interface MfaTimeout extends RequestRef {
  readonly _tag: 'MfaTimeout';
  readonly message: string;
  readonly memberGuid: string;
  readonly timeoutMs: number;
}
/** The member was CHALLENGED but the caller gave no way to answer (no `mfa` subject, or an unattended sync). */
export interface MfaRequired extends RequestRef {
  readonly _tag: 'MfaRequired';
  readonly message: string;
  readonly memberGuid: string;
  readonly challengeTypes: ReadonlyArray<string>;
}
/** Answers were given that do not match the open challenges (unknown guid, or a challenge left unanswered). */
export interface MfaAnswerMismatch extends RequestRef {
  readonly _tag: 'MfaAnswerMismatch';
  readonly message: string;
  readonly memberGuid: string;
  readonly unknownGuids: ReadonlyArray<string>;
  readonly missingGuids: ReadonlyArray<string>;
}
/** Status polling did not reach an end state before the overall deadline. */
export interface PollTimeout extends RequestRef {
  readonly _tag: 'PollTimeout';
  readonly message: string;
  readonly memberGuid: string;
  readonly deadlineMs: number;
  readonly lastStatus?: string;
}
/** No institution matched the search, or it does not support statements. */
export interface NoInstitution extends RequestRef {
  readonly _tag: 'NoInstitution';
  readonly message: string;
  readonly query: string;
  /** Near matches, when the search found several but none exactly. */
  readonly candidates: ReadonlyArray<{ readonly code: string; readonly name: string }>;
}
/**
 * The credential values given do not cover the fields the institution asks for (a field left out or empty).
 * Names fields only, never values.
 */
export interface MissingCredentials extends RequestRef {
  readonly _tag: 'MissingCredentials';
  readonly message: string;
  readonly institutionCode: string;
  /** `field_name`s the institution asks for that got no (or an empty) value. */
  readonly missingFields: ReadonlyArray<string>;
  /** Names given that the institution does not ask for (a typo is the usual cause). */
  readonly unknownFields: ReadonlyArray<string>;
}
/**
 * A PDF download went past one of the workflow's bounds (`download.maxPdfBytes`, `maxDownloadMs`,
 * `minBytesPerSecond`): a body larger than the cap (decoded bytes count; an announced `Content-Length` above it
 * fails at once), a download that took too long in all, or one that fell below the minimum throughput over a
 * window (a trickle), both counted from its first byte. Nothing of it is kept. The time bounds may pass on a
 * later attempt (the workflow retries them, a batch counts them transient); the size cap would not.
 */
export interface DownloadLimitExceeded extends RequestRef {
  readonly _tag: 'DownloadLimitExceeded';
  readonly message: string;
  readonly limit: 'size' | 'duration' | 'throughput';
  readonly statementGuid?: string;
  /** Bytes received when the download was stopped. */
  readonly receivedBytes: number;
  /** Time since the download's first byte, in ms (0 when none came). */
  readonly elapsedMs: number;
  /** The size cap, for `size`. */
  readonly maxBytes?: number;
  /** The announced `Content-Length`, when it was what crossed the cap. */
  readonly announcedBytes?: number;
  /** The time bound, for `duration`. */
  readonly maxDurationMs?: number;
  /** The throughput bound and its window, for `throughput`. */
  readonly minBytesPerSecond?: number;
  readonly windowMs?: number;
}
/**
 * A sink had no room for a statement: the memory sink (`createMemorySink`) would have gone over its `maxBytes`.
 * Nothing of the statement is kept, and what the sink held before stays. `path` is the statement's location
 * (`memory:<member>/<statement>`).
 */
export interface SinkFull extends RequestRef {
  readonly _tag: 'SinkFull';
  readonly method: 'WRITE';
  readonly message: string;
  readonly statementGuid: string;
  /** The sink's capacity, in bytes. */
  readonly maxBytes: number;
  /** The bytes that did not fit (the chunk being stored). */
  readonly neededBytes: number;
}

/**
 * The shape every error value of this library has: {@link MxError}, and the errors of a sink of its own (the
 * Node sink's `FileSystemError` in `mx-statements-rx/node`): a `_tag` to switch on and a readable `message`.
 *
 * @example
 * ```ts
 * import type { TaggedError } from 'mx-statements-rx';
 *
 * // the errors of a sink of your own (see StatementSink)
 * interface QuotaExceeded extends TaggedError { readonly _tag: 'QuotaExceeded'; readonly quotaBytes: number }
 * ```
 */
export interface TaggedError {
  readonly _tag: string;
  readonly message: string;
}

/** Every error that maps one-to-one from an HTTP status. */
export type HttpStatusError =
  | BadRequest
  | Unauthorized
  | Forbidden
  | NotFound
  | MethodNotAllowed
  | NotAcceptable
  | Conflict
  | Unprocessable
  | RateLimited
  | ServerError
  | UnexpectedStatus;

/** Failures of one HTTP exchange (status, transport, timeout, decode). */
export type HttpError = HttpStatusError | NetworkError | Timeout | DecodeError | RedirectRefused;

/** Failures of the statement workflow on top of the HTTP ones. */
export type WorkflowError =
  | IntegrityError
  | ConnectionFailed
  | MfaTimeout
  | MfaRequired
  | MfaAnswerMismatch
  | PollTimeout
  | NoInstitution
  | MissingCredentials
  | SinkFull
  | DownloadLimitExceeded;

/**
 * Every expected failure of the library, told apart by `_tag`.
 *
 * @example
 * ```ts
 * import { describeError, type MxError } from 'mx-statements-rx';
 * const onError = (e: MxError) => {
 *   if (e._tag === 'Conflict') return 'already exists';
 *   return describeError(e);
 * };
 * ```
 */
export type MxError = HttpError | WorkflowError;

/** The `_tag` values of {@link MxError}. */
export type MxErrorTag = MxError['_tag'];

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

const STATUS_TAGS: Readonly<Record<number, HttpStatusError['_tag']>> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  406: 'NotAcceptable',
  409: 'Conflict',
  422: 'Unprocessable',
  429: 'RateLimited',
};

const STATUS_TEXT: Readonly<Record<string, string>> = {
  BadRequest: 'bad request (a parameter is missing or invalid, or the institution does not support this job)',
  Unauthorized: 'unauthorized (the client id or API key was refused)',
  Forbidden: 'forbidden (IP not allow-listed, or the feature is not enabled for this client)',
  NotFound: 'not found',
  MethodNotAllowed: 'not allowed in the current state',
  NotAcceptable: 'not acceptable (the Accept vendor type or API version was refused)',
  Conflict: 'conflict (it already exists, or another job is running)',
  Unprocessable: 'unprocessable',
  RateLimited: 'rate limited',
  ServerError: 'server error',
  UnexpectedStatus: 'unexpected status',
};

/** The `_tag` an HTTP status maps to (only meaningful for statuses outside 2xx). */
export const tagForStatus = (status: number): HttpStatusError['_tag'] =>
  STATUS_TAGS[status] ?? (status >= 500 && status <= 599 ? 'ServerError' : 'UnexpectedStatus');

/**
 * Builds the {@link HttpStatusError} for a non-success status.
 * `body` must already be scrubbed of secrets (the transport does it with {@link redactSecrets}).
 */
export const httpStatusError = (
  ref: RequestRef,
  status: number,
  body?: string,
  retryAfterMs?: number,
): HttpStatusError => {
  const _tag = tagForStatus(status);
  const message = `${ref.method} ${ref.path} → ${status} ${STATUS_TEXT[_tag] ?? ''}`.trim();
  const base = { method: ref.method, path: ref.path, status, message, ...(body ? { body } : {}) };
  if (_tag === 'RateLimited') {
    return {
      ...base,
      _tag,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      message: retryAfterMs !== undefined ? `${message}; retry after ${Math.ceil(retryAfterMs / 1000)} s` : message,
    };
  }
  return { ...base, _tag } as HttpStatusError;
};

/**
 * Builds an {@link IntegrityError}: a downloaded PDF that is not what it claims to be. `message` is the whole
 * human text; `expected`/`actual` are left out when unknown.
 *
 * @example
 * ```ts
 * import { integrityError } from './errors.js';
 * integrityError({ method: 'GET', path: '/…/STA-1.pdf' }, 'not-pdf', 'GET /…/STA-1.pdf: not a PDF', { statementGuid: 'STA-1' });
 * ```
 */
export const integrityError = (
  ref: RequestRef,
  reason: IntegrityError['reason'],
  message: string,
  details: { readonly statementGuid?: string; readonly expected?: string | number; readonly actual?: string | number } = {},
): IntegrityError => ({
  _tag: 'IntegrityError',
  method: ref.method,
  path: ref.path,
  reason,
  message,
  ...(details.statementGuid !== undefined ? { statementGuid: details.statementGuid } : {}),
  ...(details.expected !== undefined ? { expected: details.expected } : {}),
  ...(details.actual !== undefined ? { actual: details.actual } : {}),
});

// -------------------------------------------------------------------------------------
// guards and helpers
// -------------------------------------------------------------------------------------

const ALL_TAGS: ReadonlySet<string> = new Set<MxErrorTag>([
  'BadRequest', 'Unauthorized', 'Forbidden', 'NotFound', 'MethodNotAllowed', 'NotAcceptable', 'Conflict',
  'Unprocessable', 'RateLimited', 'ServerError', 'UnexpectedStatus', 'NetworkError', 'Timeout', 'DecodeError',
  'IntegrityError', 'ConnectionFailed', 'MfaTimeout', 'MfaRequired', 'MfaAnswerMismatch', 'PollTimeout',
  'NoInstitution', 'MissingCredentials', 'SinkFull', 'RedirectRefused', 'DownloadLimitExceeded',
]);

/**
 * Narrows an unknown value to {@link MxError}.
 *
 * @example
 * ```ts
 * import { isMxError } from 'mx-statements-rx';
 * isMxError({ _tag: 'NotFound', method: 'GET', path: '/users/x', status: 404, message: '…' }); // true
 * ```
 */
export const isMxError = (u: unknown): u is MxError =>
  typeof u === 'object' && u !== null && typeof (u as { _tag?: unknown })._tag === 'string' &&
  ALL_TAGS.has((u as { _tag: string })._tag);

/**
 * A one-line human description of an error (an {@link MxError}, or a sink's own error): its tag and message, plus
 * the io-ts paths of a decode failure.
 *
 * @example
 * ```ts
 * import { describeError } from 'mx-statements-rx';
 * describeError({ _tag: 'Timeout', method: 'GET', path: '/users', timeoutMs: 5000, message: 'GET /users timed out after 5000 ms' });
 * // 'Timeout: GET /users timed out after 5000 ms'
 * ```
 */
export const describeError = (e: MxError | TaggedError): string => {
  const head = `${e._tag}: ${e.message}`;
  const errors = e._tag === 'DecodeError' ? (e as DecodeError).errors : [];
  return errors.length > 0 ? `${head} (${errors.slice(0, 3).join('; ')})` : head;
};

/**
 * Whether retrying the same call later may succeed: rate limits, server errors, network failures and
 * timeouts. The transport's own retry policy is stricter for POSTs (see `RetryPolicy`).
 *
 * @example
 * ```ts
 * import { isRetryable } from 'mx-statements-rx';
 * isRetryable({ _tag: 'ServerError', method: 'GET', path: '/users', status: 503, message: '' }); // true
 * ```
 */
export const isRetryable = (e: MxError): boolean => {
  switch (e._tag) {
    case 'RateLimited':
    case 'NetworkError':
    case 'Timeout':
      return true;
    case 'ServerError':
      return e.status === 502 || e.status === 503 || e.status === 504 || e.status === 500;
    default:
      return false;
  }
};

/** What an error keeps instead of a server's text that shows a secret too short to scrub (see {@link scrubServerText}). */
export const WITHHELD_SERVER_TEXT = '[withheld: it may echo a secret of 1 or 2 characters, too short to scrub from it]';

/**
 * A server's text (an error body, a decode error quoting its values) made safe to keep: every secret of 3
 * characters or more is replaced as {@link redactSecrets} does; a secret of 1 or 2 characters (a short PIN or MFA
 * answer) cannot be told apart from ordinary text, so where the text contains it — as sent, JSON-escaped (once
 * or twice), URL- or form-encoded (either hex case), HTML-escaped — the whole text is withheld
 * ({@link WITHHELD_SERVER_TEXT}) rather than kept with it. The error's `method` and `path` stay.
 *
 * @example
 * ```ts
 * import { scrubServerText } from './errors.js';
 * scrubServerText('{"error":"PIN 42 is wrong"}', ['42']); // the withheld marker
 * scrubServerText('{"error":"wrong PIN"}', ['42']);       // '{"error":"wrong PIN"}'
 * ```
 */
export const scrubServerText = (text: string, secrets: Iterable<string>): string => serverTextScrubber(secrets)(text);

/**
 * {@link scrubServerText} for many texts of one request (a decode error's message and each of its lines): the
 * secrets' forms are worked out once.
 *
 * @example
 * ```ts
 * import { serverTextScrubber } from './errors.js';
 * const scrub = serverTextScrubber(['hunter2-secret']);
 * ['bad value hunter2-secret', 'ok'].map(scrub); // ['bad value [redacted]', 'ok']
 * ```
 */
export const serverTextScrubber = (secrets: Iterable<string>): ((text: string) => string) => {
  const all = [...secrets];
  const forms = redactableForms(all);
  // a secret of 1 or 2 characters: every form but Base64 (whose 1–3 characters would match almost any text)
  const shortForms = all
    .filter((s) => typeof s === 'string' && s.length > 0 && s.length < 3)
    .map((s) => [s, ...secretForms(s, { minLength: 1, base64: false })]);
  return (text) => {
    const scrubbed = redactForms(text, forms);
    const lower = scrubbed.toLowerCase();
    // %XX in either case
    const shows = (f: string): boolean => scrubbed.includes(f) || (f.includes('%') && lower.includes(f.toLowerCase()));
    return shortForms.some((fs) => fs.some(shows)) ? WITHHELD_SERVER_TEXT : scrubbed;
  };
};

/**
 * Replaces each of `forms` (longest first, as {@link redactableForms} gives them) in `text` with `[redacted]`:
 * {@link redactSecrets} with the forms worked out beforehand, for a caller that scrubs many texts.
 *
 * @example
 * ```ts
 * import { redactForms } from './errors.js';
 * import { redactableForms } from './secret-forms.js';
 * const forms = redactableForms(['hunter2-secret']);
 * redactForms('you sent hunter2-secret', forms); // 'you sent [redacted]'
 * ```
 */
export const redactForms = (text: string, forms: ReadonlyArray<string>): string => {
  let out = text;
  for (const f of forms) {
    if (out.includes(f)) out = out.split(f).join('[redacted]');
  }
  return out;
};

/**
 * Replaces every occurrence of each secret in `text` with `[redacted]`, in every form a server may echo it in:
 * as is, JSON-escaped (once or twice), URL- or form-encoded, HTML-escaped, and inside Base64 or Base64url at any
 * alignment (see {@link secretForms}). Secrets shorter than 3 characters are ignored (too likely to hit ordinary
 * text), as are encoded forms shorter than 4 characters.
 *
 * @example
 * ```ts
 * import { redactSecrets } from './errors.js';
 * redactSecrets('you sent {"value":"p\\"w\\tx"}', ['p"w\tx']); // 'you sent {"value":"[redacted]"}'
 * ```
 */
export const redactSecrets = (text: string, secrets: Iterable<string>): string => redactForms(text, redactableForms(secrets));

/**
 * The one exception type the sandbox's handlers throw: an HTTP status with a message that is safe to log.
 *
 * @module
 */

/**
 * A refusal that becomes MX's JSON error body `{"error":{"status":"409","message":"…"}}`.
 *
 * The message must never contain a secret (API key, credential value, MFA answer).
 *
 * @example
 * ```ts
 * import { HttpError } from './http-error.js';
 *
 * throw new HttpError(404, 'user USR-… not found');
 * ```
 */
export class HttpError extends Error {
  override readonly name = 'HttpError';

  constructor(
    readonly status: number,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

/**
 * Shorthands for the statuses the sandbox answers with.
 *
 * @example
 * ```ts
 * import { errors } from './http-error.js';
 *
 * throw errors.badRequest('member.institution_code is required');
 * ```
 */
export const errors = {
  badRequest: (m: string) => new HttpError(400, m),
  unauthorized: (m: string) => new HttpError(401, m, { 'WWW-Authenticate': 'Basic realm="MX Platform API"' }),
  forbidden: (m: string) => new HttpError(403, m),
  notFound: (m: string) => new HttpError(404, m),
  methodNotAllowed: (m: string, allow?: string) => new HttpError(405, m, allow === undefined ? {} : { Allow: allow }),
  notAcceptable: (m: string) => new HttpError(406, m),
  conflict: (m: string) => new HttpError(409, m),
  payloadTooLarge: (m: string) => new HttpError(413, m),
  unsupportedMediaType: (m: string) => new HttpError(415, m),
  tooManyRequests: (m: string, retryAfterSeconds: number) =>
    new HttpError(429, m, { 'Retry-After': String(retryAfterSeconds) }),
  insufficientStorage: (m: string) => new HttpError(507, m),
} as const;

/**
 * HTTP Basic authentication against the configured client id and API key (constant-time comparison).
 *
 * @module
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { errors } from './http-error.js';

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

const same = (a: string, b: string): boolean => timingSafeEqual(digest(a), digest(b));

/**
 * Checks an `Authorization` header and returns the client id; throws 401 otherwise. The error message never
 * repeats what was sent.
 *
 * @example
 * ```ts
 * import { authenticate } from './auth.js';
 *
 * authenticate('Basic ' + btoa('id:key'), 'id', 'key'); // 'id'
 * ```
 */
export function authenticate(header: string | undefined, clientId: string, apiKey: string): string {
  if (header === undefined || header === '') throw errors.unauthorized('missing Authorization header (HTTP Basic: client_id:api_key)');
  const m = /^\s*basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header);
  if (!m?.[1]) throw errors.unauthorized('the Authorization header must use the Basic scheme');
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw errors.unauthorized('malformed Basic credentials');
  const id = decoded.slice(0, colon);
  const key = decoded.slice(colon + 1);
  const idOk = same(id, clientId);
  const keyOk = same(key, apiKey);
  if (!idOk || !keyOk) throw errors.unauthorized('invalid client_id or api_key');
  return clientId;
}

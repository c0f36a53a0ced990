/**
 * HTTP Basic credentials checked in constant time.
 *
 * @module
 */
import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

/**
 * A checker for one `username:password` pair. Both the expected and the given pair are hashed first, so the
 * comparison (`timingSafeEqual`) takes the same time whatever was sent, whatever its length, and tells nothing
 * about which part differed. The credentials stay in the closure.
 *
 * @example
 * ```ts
 * import { basicAuthChecker } from './basic-auth.js';
 * const ok = basicAuthChecker('mx', 's3cret');
 * ok(`Basic ${Buffer.from('mx:s3cret').toString('base64')}`); // true
 * ok(undefined); // false
 * ```
 */
export const basicAuthChecker = (username: string, password: string): ((authorization: string | undefined) => boolean) => {
  if (typeof username !== 'string' || username === '' || username.includes(':')) {
    throw new TypeError('webhooks: username must be a non-empty string without ":"');
  }
  if (typeof password !== 'string' || password === '') throw new TypeError('webhooks: password must be a non-empty string');
  const expected = digest(`${username}:${password}`);
  return (authorization) => {
    const m = typeof authorization === 'string' ? /^Basic[ \t]+([A-Za-z0-9+/=_-]+)[ \t]*$/i.exec(authorization) : null;
    // Hash something even when the header is missing or malformed, so every refusal costs the same.
    const given = digest(m ? Buffer.from(m[1]!, 'base64').toString('utf8') : '\u0000');
    return timingSafeEqual(expected, given) && m !== null;
  };
};

/**
 * Redirects on API calls are refused, never followed. MX's API does not redirect, so a 3xx means a wrong base URL,
 * an intercepting proxy or a hostile server; following it would carry the Authorization header, configured headers
 * and — on a 307/308 — the request body (member credentials, MFA answers) to wherever it points. Stripping headers
 * on an origin change (what browsers and node-fetch do, node-fetch comparing host names only) would still send the
 * body along, and a same-origin hop can lead anywhere next. So every request asks its fetch for
 * `redirect: 'manual'` and any redirect becomes a `RedirectRefused` error naming where it pointed.
 *
 * @module
 */
import type { FetchResponseLike } from '../core/config.js';
import type { RedirectRefused } from '../core/errors.js';
import { escapeControl, type WireRequest } from './exchange.js';

/** The origin (scheme, host, port) a `Location` points to, resolved against the request; `undefined` if unusable. */
const originOf = (location: string | null | undefined, base: string): string | undefined => {
  if (location === null || location === undefined || location.trim() === '') return undefined;
  try {
    const url = new URL(location, base);
    const origin = url.origin !== 'null' ? url.origin : `${url.protocol}//${url.host}`;
    return escapeControl(origin).slice(0, 200);
  } catch {
    return undefined;
  }
};

/**
 * The refusal for an answer that is (or followed) a redirect, or `undefined` for any other answer: a 3xx with a
 * `Location`, a browser's opaque redirect (`redirect: 'manual'` hides the target), or a response a fetch reports
 * as `redirected` (a fetch that ignored `redirect: 'manual'`: the answer is refused, but what it sent on the way
 * is out of our hands).
 */
export const redirectRefusal = (res: FetchResponseLike, req: WireRequest): RedirectRefused | undefined => {
  const { status } = res;
  const opaque = status === 0 && res.type === 'opaqueredirect';
  const location = status >= 300 && status <= 399 ? res.headers.get('location') : null;
  if (location === null && !opaque && res.redirected !== true) return undefined;
  const followedTo = res.redirected === true ? (res as { url?: unknown }).url : undefined;
  const targetOrigin = originOf(location ?? (typeof followedTo === 'string' ? followedTo : undefined), req.url);
  const own = originOf(req.url, req.url);
  const where = targetOrigin === undefined ? 'an unknown origin' : targetOrigin === own ? `${targetOrigin} (the same origin)` : targetOrigin;
  const what = res.redirected === true ? `followed a redirect to ${where}: the fetch must honour redirect: 'manual'` : `${status} redirect to ${where} refused`;
  return {
    _tag: 'RedirectRefused',
    method: req.method,
    path: req.path,
    status,
    message: `${req.method} ${req.path} ${what}; the MX API does not redirect and credentials never follow one (check the base URL)`,
    ...(targetOrigin !== undefined ? { targetOrigin } : {}),
  };
};

/**
 * Answers a call can never use, whatever their status says: a redirect (refused, see `redirect.ts`) and an
 * informational 1xx (a `101 Switching Protocols` hands the connection to another protocol; nothing of it is an
 * answer to an API call).
 *
 * @module
 */
import type { FetchResponseLike } from '../core/config.js';
import type { WireRequest } from './exchange.js';
import { MxFailure } from './failure.js';
import { redirectRefusal } from './redirect.js';

/**
 * The failure for an answer the call cannot use, or `undefined` for an ordinary one. A redirect is final (never
 * retried); a 1xx is a `NetworkError`, retried as a reset connection would be (so a POST is not).
 */
export const unusableAnswer = (res: FetchResponseLike, req: WireRequest): MxFailure | undefined => {
  const { status } = res;
  if (status >= 200 && status <= 299 && res.redirected !== true) return undefined;
  if (status >= 100 && status <= 199) {
    return new MxFailure({
      _tag: 'NetworkError',
      method: req.method,
      path: req.path,
      message: `${req.method} ${req.path} failed: the server answered ${status} (switching protocols) instead of a response`,
    }, true);
  }
  const refused = redirectRefusal(res, req);
  return refused === undefined ? undefined : new MxFailure(refused, false);
};

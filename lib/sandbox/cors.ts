/**
 * CORS for configured origins (off by default), so a browser page can call the sandbox like a backend proxy.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ResolvedCors } from './options.js';

/** What CORS decided for a request. */
export interface CorsDecision {
  /** The request came from an allowed origin (CORS headers were set). */
  readonly allowed: boolean;
  /** It is a preflight (`OPTIONS` with `Access-Control-Request-Method`): answer 204 and stop. */
  readonly preflight: boolean;
  /** It may be served as the configured client without an `Authorization` header. */
  readonly anonymous: boolean;
}

const NONE: CorsDecision = { allowed: false, preflight: false, anonymous: false };

/**
 * Sets the CORS response headers for an allowed `Origin` and says whether the request is a preflight.
 *
 * @example
 * ```ts
 * import type { IncomingMessage, ServerResponse } from 'node:http';
 * import { applyCors } from './cors.js';
 * declare const req: IncomingMessage;
 * declare const res: ServerResponse;
 *
 * const cors = applyCors(req, res, { origins: ['http://localhost:4200'], anonymous: true });
 * if (cors.preflight) { res.writeHead(204).end(); }
 * ```
 */
export function applyCors(req: IncomingMessage, res: ServerResponse, cors: ResolvedCors | undefined): CorsDecision {
  const origin = req.headers.origin;
  if (cors === undefined || origin === undefined) return NONE;
  if (!cors.origins.includes('*') && !cors.origins.includes(origin)) return NONE;
  res.setHeader('Access-Control-Allow-Origin', origin);
  res.setHeader('Vary', 'Origin');
  res.setHeader('Access-Control-Allow-Credentials', 'true');
  res.setHeader('Access-Control-Expose-Headers', 'Retry-After, Content-Length, Content-Type, X-MX-Sandbox, X-MX-Sandbox-Job');
  const preflight = req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;
  if (preflight) {
    res.setHeader('Access-Control-Allow-Methods', 'GET, POST, PUT, DELETE, OPTIONS');
    res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type, Accept, Accept-Version, X-CALLBACK-PAYLOAD');
    res.setHeader('Access-Control-Max-Age', '600');
  }
  return { allowed: true, preflight, anonymous: cors.anonymous };
}

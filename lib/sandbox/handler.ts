/**
 * The request pipeline: `X-MX-Sandbox` header → latency → CORS → auth (401) → rate limit (429) → route
 * (404/405) → API version (406) → Accept (406) → faults → body (413/415/400) → handler → answer. Any exception
 * becomes a JSON error (an HTML page on the OAuth window's routes); nothing can crash it.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { checkAccept } from './accept.js';
import { authenticate } from './auth.js';
import { readFormBody, readJsonBody } from './body.js';
import type { RouteResult, SandboxContext } from './context.js';
import { applyCors } from './cors.js';
import type { FaultPicker } from './faults.js';
import { HttpError, errors } from './http-error.js';
import { errorPage } from './oauth/pages.js';
import type { FaultKind } from './options.js';
import type { RateLimiter } from './rate-limit.js';
import { sendEmpty, sendError, sendHtml, sendJson, sendPdf, sendRedirect } from './responses.js';
import type { Router } from './router.js';
import type { TimerSet } from './timers.js';
import { JSON_MEDIA_TYPES, peekApiVersion, requireApiVersion, type SandboxApiVersion } from './versions.js';

/**
 * The header on every answer of the sandbox (real MX never sends it), so a client can tell it talks to the
 * sandbox and pick its fast polling profile.
 *
 * @example
 * ```ts
 * import { SANDBOX_HEADER } from './handler.js';
 * import { SANDBOX_HEADER_VALUE } from './handler.js';
 *
 * const isSandbox = (res: Response) => res.headers.get(SANDBOX_HEADER) === SANDBOX_HEADER_VALUE;
 * ```
 */
export const SANDBOX_HEADER = 'X-MX-Sandbox';
/** The value of {@link SANDBOX_HEADER}. */
export const SANDBOX_HEADER_VALUE = 'mx-statements-rx';

/** What the pipeline needs besides the handlers' context. */
export interface PipelineDeps {
  readonly ctx: SandboxContext;
  readonly router: Router;
  readonly timers: TimerSet;
  readonly faults: FaultPicker;
  readonly limiter: RateLimiter | undefined;
  /** Reports an unexpected exception (message only; never a request's headers or body). */
  readonly onError: (error: unknown) => void;
}

const FAULT_STATUS: Partial<Record<FaultKind, number>> = { '500': 500, '502': 502, '503': 503 };

const pathOf = (req: IncomingMessage): { path: string; query: URLSearchParams } => {
  let url: URL;
  try {
    url = new URL(req.url ?? '/', 'http://sandbox.invalid');
  } catch {
    throw errors.badRequest('malformed request target');
  }
  const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname;
  return { path, query: url.searchParams };
};

/** What happened to one request, for the log line and the error answer. */
interface Outcome {
  fault?: FaultKind;
  /** The version the request is answered in, once known. */
  version?: SandboxApiVersion;
  /** The route answers HTML pages (errors become pages too). */
  html?: boolean;
}

const write = async (res: ServerResponse, result: RouteResult, truncate: boolean, version: SandboxApiVersion): Promise<void> => {
  if (result.type === 'json') sendJson(res, result.status, result.body, result.headers, JSON_MEDIA_TYPES[version]);
  else if (result.type === 'empty') sendEmpty(res, result.status);
  else if (result.type === 'html') sendHtml(res, result.status, result.html);
  else if (result.type === 'redirect') sendRedirect(res, result.location);
  else await sendPdf(res, result.source, truncate);
};

const run = async (deps: PipelineDeps, req: IncomingMessage, res: ServerResponse, outcome: Outcome): Promise<void> => {
  const { ctx, router, timers } = deps;
  const { options } = ctx;
  await timers.sleep(options.latencyMs);
  const cors = applyCors(req, res, options.cors);
  if (cors.preflight) return sendEmpty(res, 204);
  const method = req.method ?? 'GET';
  const { path, query } = pathOf(req);
  if (!router.isPublic(method, path)) {
    const header = req.headers.authorization;
    const clientId =
      header === undefined && cors.allowed && cors.anonymous
        ? options.clientId
        : authenticate(header, options.clientId, options.apiKey);
    const retryAfter = deps.limiter?.take(clientId, timers.now());
    if (retryAfter !== undefined) {
      throw errors.tooManyRequests(`more than ${String(options.rateLimit)} requests per second; retry later`, retryAfter);
    }
  }
  const { route, params } = router.match(method, path);
  if (route.produces === 'html') outcome.html = true;
  const version = route.produces === 'html' ? 'v20111101' : requireApiVersion(req.headers, options.legacyAccept);
  outcome.version = version;
  if (route.produces !== 'html') checkAccept(req.headers.accept, route.produces);
  const fault = route.public ? undefined : deps.faults.pick(route.produces === 'pdf');
  if (fault !== undefined) outcome.fault = fault;
  const faultStatus = fault === undefined ? undefined : FAULT_STATUS[fault];
  if (faultStatus !== undefined) throw new HttpError(faultStatus, `sandbox fault: simulated ${faultStatus}`);
  if (fault === '429') {
    const seconds = options.faults?.retryAfterSeconds ?? 1;
    throw errors.tooManyRequests('sandbox fault: simulated rate limit', seconds);
  }
  if (fault === 'reset') {
    req.socket.resetAndDestroy();
    return;
  }
  if (fault === 'slow') await timers.sleep(options.faults?.slowMs ?? 0);
  const form = route.body === 'form' ? await readFormBody(req) : undefined;
  const body = route.body === 'none' || route.body === 'form' ? undefined : await readJsonBody(req, options.limits.maxBodyBytes);
  if (route.body === 'required' && body === undefined) throw errors.badRequest('a JSON request body is required');
  const result = await route.handle(ctx, { method, path, params, query, body, headers: req.headers, version, ...(form ? { form } : {}) });
  await write(res, result, fault === 'truncate', version);
};

/**
 * Serves one request: never throws, never rejects; logs `METHOD /path STATUS Nms` (no query, no headers).
 *
 * @example
 * ```ts
 * import http from 'node:http';
 * import { handleRequest, type PipelineDeps } from './handler.js';
 * declare const deps: PipelineDeps;
 *
 * http.createServer((req, res) => void handleRequest(deps, req, res));
 * ```
 */
export async function handleRequest(deps: PipelineDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const started = performance.now();
  const outcome: Outcome = {};
  req.on('error', () => undefined);
  res.on('error', () => undefined);
  res.setHeader(SANDBOX_HEADER, SANDBOX_HEADER_VALUE);
  try {
    await run(deps, req, res, outcome);
  } catch (error) {
    try {
      const known = error instanceof HttpError ? error : new HttpError(500, 'internal sandbox error');
      if (!(error instanceof HttpError)) deps.onError(error);
      if (known.status === 413 && !res.headersSent) res.setHeader('Connection', 'close');
      if (outcome.html) {
        sendHtml(res, known.status, errorPage('Something went wrong', known.status >= 500 ? 'The sandbox had an internal error.' : known.message));
      } else {
        const version = outcome.version ?? peekApiVersion(req.headers, deps.ctx.options.legacyAccept);
        sendError(res, known, version === undefined ? 'application/json' : JSON_MEDIA_TYPES[version]);
      }
      // an answer that broke off after its headers (e.g. a PDF stream failing) cannot be repaired: drop it
      if (!res.writableEnded) res.destroy();
    } catch {
      res.destroy();
    }
  } finally {
    const log = deps.ctx.options.log;
    if (log) {
      const path = (req.url ?? '').split('?')[0] ?? '';
      const status = outcome.fault === 'reset' ? 'reset' : String(res.statusCode);
      const fault = outcome.fault === undefined ? '' : ` [fault ${outcome.fault}]`;
      try {
        log(`${req.method ?? '?'} ${path.slice(0, 300)} ${status} ${Math.round(performance.now() - started)}ms${fault}`);
      } catch {
        // a failing logger must not break the server
      }
    }
  }
}

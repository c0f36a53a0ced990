/**
 * Client configuration: what `createMxClient` accepts, its defaults, and the validation that turns bad
 * configuration into a clear error at creation time instead of at the first request.
 *
 * @module
 */
import { asyncScheduler, type SchedulerLike } from 'rxjs';
import type { MxError } from './errors.js';
import type { RateLimiter } from '../http/rate-limiter.js';
import { optionNumber } from './option-number.js';

/** MX's hosts for API version v20111101. MX Bank (the test institution) lives only on `integration`. */
export const MX_ENVIRONMENTS = {
  integration: 'https://int-api.mx.com',
  production: 'https://api.mx.com',
} as const;

/** A named MX environment. */
export type MxEnvironment = keyof typeof MX_ENVIRONMENTS;

/**
 * The MX Platform API versions this client speaks. Since August 12, 2026 MX refuses (406) any call without an
 * `Accept-Version` header; every request of a client carries the version it was configured with.
 *
 * @example
 * ```ts
 * import { MX_API_VERSIONS } from 'mx-statements-rx';
 * MX_API_VERSIONS.includes('v20250224'); // true
 * ```
 */
export const MX_API_VERSIONS = ['v20111101', 'v20250224'] as const;

/**
 * One of {@link MX_API_VERSIONS}.
 *
 * @example
 * ```ts
 * import type { MxApiVersion } from 'mx-statements-rx';
 * const version: MxApiVersion = 'v20250224';
 * ```
 */
export type MxApiVersion = (typeof MX_API_VERSIONS)[number];

/**
 * The version used when the config names none: v20111101, the version of MX's statement guide.
 *
 * @example
 * ```ts
 * import { DEFAULT_API_VERSION } from 'mx-statements-rx';
 * DEFAULT_API_VERSION; // 'v20111101'
 * ```
 */
export const DEFAULT_API_VERSION: MxApiVersion = 'v20111101';

/**
 * What the transport reports before it retries a failed attempt (see `MxClientConfig.onRetry`). Holds no
 * secret: the error is scrubbed like every other.
 *
 * @example
 * ```ts
 * import type { RetryNotice } from 'mx-statements-rx';
 * const line = (n: RetryNotice) => `${n.error.message}; retrying in ${n.delayMs} ms, attempt ${n.attempt + 1} of ${n.maxAttempts}`;
 * ```
 */
export interface RetryNotice {
  readonly method: string;
  readonly path: string;
  /** The attempt that just failed, 1-based. The next one is `attempt + 1`. */
  readonly attempt: number;
  /** Attempts in all, the first included (the policy's `maxAttempts`). */
  readonly maxAttempts: number;
  /** The wait before the next attempt. */
  readonly delayMs: number;
  /** Why the attempt failed. */
  readonly error: MxError;
}

/**
 * What a client has learned from the server's answers so far (`client.hints`). Read it when a decision
 * depends on it, not once: it changes as answers arrive.
 *
 * @example
 * ```ts
 * import type { ClientHints } from 'mx-statements-rx';
 * const pace = (hints: ClientHints) => (hints.sandbox ? 'fast sandbox polling' : "MX's polling (≥ 3 s)");
 * ```
 */
export interface ClientHints {
  /**
   * `true` once an answer carried `X-MX-Sandbox: mx-statements-rx`: the server is this project's embedded
   * sandbox (real MX never sends that header). `false` until then.
   */
  readonly sandbox: boolean;
}

/** The `fetch` the transport calls: the WHATWG signature, so cross-fetch, Node's fetch or a spy all fit. */
export type FetchLike = (input: string, init: FetchInit) => Promise<FetchResponseLike>;

/** The subset of `RequestInit` the transport passes. */
export interface FetchInit {
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
  readonly signal: AbortSignal;
  /**
   * The client always sends `'manual'`: a redirect is handed back as the 3xx answer it is and refused
   * (`RedirectRefused`), so no credential ever follows it. A fetch of your own must honour it.
   */
  readonly redirect?: 'follow' | 'manual' | 'error';
}

/** The subset of a fetch `Response` the transport reads. `body` is a WHATWG stream or a Node readable. */
export interface FetchResponseLike {
  readonly status: number;
  readonly headers: {
    /** A header's value, or `null` when absent. */
    get(name: string): string | null;
  };
  readonly body: unknown;
  /** The whole body as text. */
  text(): Promise<string>;
  /** Fetch's `redirected`: true when the fetch followed a redirect (so did not honour `redirect: 'manual'`). */
  readonly redirected?: boolean;
  /** Fetch's `type`: `'opaqueredirect'` is a browser's answer to `redirect: 'manual'`. */
  readonly type?: string;
}

/**
 * When and how the transport retries a failed request.
 *
 * Retried: 429 (any method; `Retry-After` honoured up to `maxRetryAfterMs`), 502/503/504, timeouts and network
 * resets for GET/PUT/DELETE. A POST is retried only where the server cannot have acted on it: 429, 503 and a
 * refused connection. Other 4xx are never retried.
 */
export interface RetryPolicy {
  /** Attempts in all, the first included. `1` turns retries off. */
  readonly maxAttempts: number;
  /** The first backoff delay, before jitter. */
  readonly baseDelayMs: number;
  /** The largest backoff delay, before jitter. */
  readonly maxDelayMs: number;
  /** Multiplier between successive delays. */
  readonly factor: number;
  /** A `Retry-After` longer than this is not waited for: the `RateLimited` error is returned instead. */
  readonly maxRetryAfterMs: number;
}

/** A client-wide token bucket: every request of the client takes one token first. */
export interface RateLimitPolicy {
  /** Sustained requests per second. */
  readonly requestsPerSecond: number;
  /** How many requests may go at once after a quiet period. Defaults to 1 (evenly spaced). */
  readonly burst?: number;
}

/**
 * What `createMxClient` accepts.
 *
 * @example
 * ```ts
 * import { createMxClient } from 'mx-statements-rx';
 * const client = createMxClient({
 *   environment: 'integration',
 *   clientId: process.env.MX_CLIENT_ID!,
 *   apiKey: process.env.MX_API_KEY!,
 *   timeoutMs: 20_000,
 *   rateLimit: { requestsPerSecond: 20 },
 * });
 * ```
 */
export interface MxClientConfig {
  /** A named MX host. Give this or `baseUrl`, not both. */
  readonly environment?: MxEnvironment;
  /**
   * Any other base URL: the embedded sandbox, or a backend proxy. `http:` is refused unless it is loopback or
   * `allowInsecureHttp` is set. In a browser it may be a same-origin path such as `/api/mx` (the usual Angular
   * proxy setup): requests then go to the page's own origin, so credentials and answers never leave it. A path
   * must start with one `/` (`//host` and `/\host` name another host and are refused). Where no page gives it an
   * origin (Node), a path is refused (`MxConfigError`) unless you pass a `fetch` of your own that resolves it.
   */
  readonly baseUrl?: string;
  /** MX client id, for HTTP Basic auth. */
  readonly clientId?: string;
  /** MX API key, for HTTP Basic auth. Never logged, never put into errors or events. */
  readonly apiKey?: string;
  /**
   * The API version every request names in `Accept-Version` (default `'v20111101'`). JSON calls send the
   * `Accept` type of that version (`application/vnd.mx.api.v1+json` for v20111101, `application/json` for
   * v20250224); PDF downloads send `application/vnd.mx.api.v1+pdf` in both.
   */
  readonly apiVersion?: MxApiVersion;
  /** `'basic'` (default) sends `clientId:apiKey`; `'none'` sends no Authorization, for a backend proxy that adds it. */
  readonly auth?: 'basic' | 'none';
  /**
   * Extra headers on every request (for example a proxy's session token). They may override `Accept-Version`
   * (every call) and `Accept` (JSON calls; PDF downloads keep the PDF type). `Authorization`, `Content-Type`,
   * `Content-Length` and `Host` are set by the client itself and refused here.
   */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * Per-request timeout in ms. For JSON calls: the whole exchange, body included. For PDF downloads: the time to
   * the first chunk, then the longest gap between two chunks (a large PDF may take longer in all). Default 30 000.
   */
  readonly timeoutMs?: number;
  /** Retry policy, partially overridable; `false` turns retries off. */
  readonly retry?: Partial<RetryPolicy> | false;
  /** Client-wide rate limit; default none (MX publishes no number). */
  readonly rateLimit?: RateLimitPolicy | false;
  /**
   * A limiter made elsewhere, used instead of one built from `rateLimit`: to share one limit between clients, or
   * between processes (`createRedisRateLimiter` in `mx-statements-rx/node`).
   */
  readonly rateLimiter?: RateLimiter;
  /** Allow a non-loopback `http:` base URL (never do this with real credentials). */
  readonly allowInsecureHttp?: boolean;
  /** The scheduler for every timer (timeouts, backoff, rate limiting). Default `asyncScheduler`. */
  readonly scheduler?: SchedulerLike;
  /** The source of jitter, `[0, 1)`. Default `Math.random`. */
  readonly random?: () => number;
  /**
   * The fetch implementation for every call. Default: cross-fetch for API calls, and the platform's fetch
   * (browsers, Node ≥ 18; else cross-fetch) for PDF downloads, because it reports a body cut short at once.
   */
  readonly fetch?: FetchLike;
  /**
   * The fetch for PDF downloads only (default: `fetch` when given, else the platform's fetch). In Node, pass
   * `nodeFetch` from `mx-statements-rx/node`: it makes less garbage per downloaded byte (bench `bigPdf`: peak
   * RSS ~110 MB instead of ~130 MB for four 50 MB downloads at once) and still fails a body cut short at once,
   * while API calls keep cross-fetch.
   */
  readonly downloadFetch?: FetchLike;
  /**
   * Called before each retry of a failed attempt, with what failed and how long the wait is: for showing "retrying in
   * 2 s, attempt 2 of 4" while it waits. The transport's retries of one request are counted against
   * `retry.maxAttempts`; a step the workflow repeats after a failure the transport could not retry (a POST whose
   * answer was lost: the repeated create is reused on 409) is counted against `stepRetries + 1`. An error it throws
   * reaches the call's error channel (a bug).
   */
  readonly onRetry?: (notice: RetryNotice) => void;
}

/** The configuration after defaults and validation. Holds no secret: the credentials stay inside the client. */
export interface ResolvedConfig {
  readonly baseUrl: string;
  /** The version every request names in `Accept-Version`. */
  readonly apiVersion: MxApiVersion;
  readonly auth: 'basic' | 'none';
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly retry: RetryPolicy;
  readonly rateLimit: RateLimitPolicy | false;
  /** The limiter given as `rateLimiter`, if any. */
  readonly rateLimiter?: RateLimiter;
  readonly scheduler: SchedulerLike;
  /** The jitter source, `[0, 1)`. */
  readonly random: () => number;
  /**
   * Told before each retry: the transport's, of one request, and the workflow's, of a step it repeats after a
   * failure the transport could not retry (a create or a job start whose answer was lost). See `MxClientConfig.onRetry`.
   */
  readonly onRetry?: (notice: RetryNotice) => void;
}

/** The retry policy used when the config gives none. */
export const DEFAULT_RETRY: RetryPolicy = {
  maxAttempts: 4,
  baseDelayMs: 500,
  maxDelayMs: 20_000,
  factor: 2,
  maxRetryAfterMs: 60_000,
};

/** The per-request timeout used when the config gives none. */
export const DEFAULT_TIMEOUT_MS = 30_000;

/** Thrown by `createMxClient` for configuration that can never work. The message names the field. */
export class MxConfigError extends Error {
  override readonly name = 'MxConfigError';
  constructor(readonly field: string, reason: string) {
    super(`invalid MX client config: ${field}: ${reason}`);
  }
}

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

const positive = (field: string, v: number | undefined, fallback: number, min = 1): number =>
  optionNumber(field, v, fallback, { min }, (name, reason) => new MxConfigError(name, reason));

const resolveBaseUrl = (c: MxClientConfig): string => {
  if (c.environment !== undefined && c.baseUrl !== undefined) throw new MxConfigError('baseUrl', 'give either environment or baseUrl, not both');
  if (c.environment !== undefined) {
    const url = MX_ENVIRONMENTS[c.environment];
    if (!url) throw new MxConfigError('environment', `must be one of ${Object.keys(MX_ENVIRONMENTS).join(', ')}`);
    return url;
  }
  if (c.baseUrl === undefined) throw new MxConfigError('baseUrl', 'give environment (integration | production) or baseUrl');
  if (typeof c.baseUrl === 'string' && c.baseUrl.startsWith('/')) return resolveSameOriginPath(c.baseUrl);
  let url: URL;
  try {
    url = new URL(c.baseUrl);
  } catch {
    throw new MxConfigError('baseUrl', `not a URL: ${JSON.stringify(c.baseUrl)}`);
  }
  if (url.username || url.password) throw new MxConfigError('baseUrl', 'must not contain credentials; use clientId/apiKey');
  if (url.search || url.hash) throw new MxConfigError('baseUrl', 'must not contain a query or fragment');
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new MxConfigError('baseUrl', `unsupported protocol ${url.protocol}`);
  if (url.protocol === 'http:' && !LOOPBACK.test(url.hostname) && !c.allowInsecureHttp) {
    throw new MxConfigError('baseUrl', `plain http to ${url.hostname} would send credentials unencrypted; use https, a loopback host, or allowInsecureHttp: true`);
  }
  return url.toString().replace(/\/+$/, '');
};

/** Characters of a URL path (RFC 3986 `pchar` and `/`); no `\\`, `?`, `#`, spaces or control characters. */
const PATH_ONLY = /^\/(?![/\\])[A-Za-z0-9\-._~%!$&'()*+,;=:@/]*$/;

/** A same-origin path base URL (`/api/mx`): kept relative, so every request stays on the page's own origin. */
const resolveSameOriginPath = (path: string): string => {
  if (!PATH_ONLY.test(path)) {
    throw new MxConfigError('baseUrl', `a relative baseUrl must be a plain path such as /api/mx (no //host, \\, query or fragment): ${JSON.stringify(path)}`);
  }
  return path.replace(/\/+$/, '');
};

/** The origin of the page this code runs in (a browser, a worker), or `undefined` (Node). */
const pageOrigin = (): string | undefined => {
  const origin = (globalThis as { location?: { origin?: unknown } }).location?.origin;
  return typeof origin === 'string' && /^https?:\/\//.test(origin) ? origin : undefined;
};

/**
 * A path base URL (`/api/mx`) needs something to resolve it against: the page's own origin, or a `fetch` of
 * your own that knows (Angular's `HttpClient` on a server). Without either (Node) every call would fail as an
 * invalid URL, so it is refused when the client is made.
 */
export const checkPathBaseUrl = (baseUrl: string, ownFetch: boolean): void => {
  if (!baseUrl.startsWith('/') && baseUrl !== '') return;
  if (ownFetch || pageOrigin() !== undefined) return;
  throw new MxConfigError('baseUrl', `${JSON.stringify(baseUrl || '/')} is a path, which needs a page's origin (or your own fetch): give an absolute URL`);
};

const FORBIDDEN_HEADERS = new Set(['authorization', 'content-type', 'content-length', 'host']);

/** Applies defaults and validates; throws {@link MxConfigError} on the first problem. */
export const resolveConfig = (c: MxClientConfig): ResolvedConfig => {
  if (typeof c !== 'object' || c === null) throw new MxConfigError('config', 'must be an object');
  const baseUrl = resolveBaseUrl(c);
  const apiVersion = c.apiVersion ?? DEFAULT_API_VERSION;
  if (!(MX_API_VERSIONS as ReadonlyArray<string>).includes(apiVersion)) {
    throw new MxConfigError('apiVersion', `must be one of ${MX_API_VERSIONS.join(', ')}`);
  }
  const auth = c.auth ?? 'basic';
  if (auth !== 'basic' && auth !== 'none') throw new MxConfigError('auth', "must be 'basic' or 'none'");
  if (auth === 'basic') {
    if (typeof c.clientId !== 'string' || c.clientId.trim() === '') throw new MxConfigError('clientId', "is required with auth 'basic'");
    if (c.clientId.includes(':')) throw new MxConfigError('clientId', 'must not contain ":"');
    if (typeof c.apiKey !== 'string' || c.apiKey.trim() === '') throw new MxConfigError('apiKey', "is required with auth 'basic'");
  }
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(c.headers ?? {})) {
    if (FORBIDDEN_HEADERS.has(k.toLowerCase())) throw new MxConfigError(`headers.${k}`, 'is set by the client itself');
    if (typeof v !== 'string') throw new MxConfigError(`headers.${k}`, 'must be a string');
    headers[k] = v;
  }
  const retryIn = c.retry === false ? { maxAttempts: 1 } : (c.retry ?? {});
  const retry: RetryPolicy = {
    maxAttempts: Math.floor(positive('retry.maxAttempts', retryIn.maxAttempts, DEFAULT_RETRY.maxAttempts)),
    baseDelayMs: positive('retry.baseDelayMs', retryIn.baseDelayMs, DEFAULT_RETRY.baseDelayMs, 0),
    maxDelayMs: positive('retry.maxDelayMs', retryIn.maxDelayMs, DEFAULT_RETRY.maxDelayMs, 0),
    factor: positive('retry.factor', retryIn.factor, DEFAULT_RETRY.factor),
    maxRetryAfterMs: positive('retry.maxRetryAfterMs', retryIn.maxRetryAfterMs, DEFAULT_RETRY.maxRetryAfterMs, 0),
  };
  let rateLimit: RateLimitPolicy | false = false;
  if (c.rateLimit) {
    rateLimit = {
      requestsPerSecond: positive('rateLimit.requestsPerSecond', c.rateLimit.requestsPerSecond, 1, Number.MIN_VALUE),
      burst: Math.floor(positive('rateLimit.burst', c.rateLimit.burst, 1)),
    };
  }
  if (c.random !== undefined && typeof c.random !== 'function') throw new MxConfigError('random', 'must be a function');
  if (c.fetch !== undefined && typeof c.fetch !== 'function') throw new MxConfigError('fetch', 'must be a function');
  if (c.downloadFetch !== undefined && typeof c.downloadFetch !== 'function') throw new MxConfigError('downloadFetch', 'must be a function');
  if (c.onRetry !== undefined && typeof c.onRetry !== 'function') throw new MxConfigError('onRetry', 'must be a function');
  if (c.rateLimiter !== undefined && typeof (c.rateLimiter as Partial<RateLimiter> | null)?.acquire !== 'function') {
    throw new MxConfigError('rateLimiter', 'must be a RateLimiter (see createRateLimiter)');
  }
  return {
    baseUrl,
    apiVersion,
    auth,
    headers,
    timeoutMs: positive('timeoutMs', c.timeoutMs, DEFAULT_TIMEOUT_MS),
    retry,
    rateLimit,
    ...(c.rateLimiter !== undefined ? { rateLimiter: c.rateLimiter } : {}),
    scheduler: c.scheduler ?? asyncScheduler,
    random: c.random ?? Math.random,
    ...(c.onRetry !== undefined ? { onRetry: c.onRetry } : {}),
  };
};

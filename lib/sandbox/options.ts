/**
 * The sandbox's options, their documented defaults, and their validation into one resolved config.
 *
 * @module
 */
import { REAL_CLOCK, type SandboxClock } from './clock.js';
import { parseDay } from './statements/periods.js';

/**
 * What a fault does to a request it hits. `'500'`, `'502'`, `'503'`: that status with a JSON error body;
 * `'429'`: 429 with `Retry-After`; `'reset'`: the connection is reset with no answer; `'slow'`: the answer is
 * held back `slowMs` first; `'truncate'`: a PDF download stops half way (the `Content-Length` promised more).
 *
 * @example
 * ```ts
 * import type { FaultKind } from 'mx-statements-rx/sandbox';
 *
 * const kinds: FaultKind[] = ['503', 'reset'];
 * ```
 */
export type FaultKind = '500' | '502' | '503' | '429' | 'reset' | 'slow' | 'truncate';

/**
 * Every fault kind, in the order the fault picker uses.
 *
 * @example
 * ```ts
 * import { FAULT_KINDS } from './options.js';
 *
 * FAULT_KINDS.includes('truncate'); // true
 * ```
 */
export const FAULT_KINDS: ReadonlyArray<FaultKind> = ['500', '502', '503', '429', 'reset', 'slow', 'truncate'];

/**
 * Injected failures: a seeded fraction `rate` of requests gets one of `kinds`.
 *
 * @example
 * ```ts
 * import type { SandboxFaultOptions } from 'mx-statements-rx/sandbox';
 *
 * const faults: SandboxFaultOptions = { rate: 0.1, kinds: ['503', 'reset'] };
 * ```
 */
export interface SandboxFaultOptions {
  /** Fraction of requests hit, 0 to 1. */
  readonly rate: number;
  /** Which faults may be picked (uniformly among those that apply to the request). Default: all of them. */
  readonly kinds?: ReadonlyArray<FaultKind>;
  /** How long a `'slow'` answer is held back. Default 2000 ms. */
  readonly slowMs?: number;
  /** The `Retry-After` of a `'429'` fault, in whole seconds. Default 1. */
  readonly retryAfterSeconds?: number;
}

/**
 * Cross-origin access for a browser page, the way it would reach a backend proxy.
 *
 * @example
 * ```ts
 * import type { SandboxCorsOptions } from 'mx-statements-rx/sandbox';
 *
 * const cors: SandboxCorsOptions = { origin: 'http://localhost:4200' };
 * ```
 */
export interface SandboxCorsOptions {
  /** The allowed origin(s), e.g. `'http://localhost:4200'`; `'*'` allows any origin. */
  readonly origin: string | ReadonlyArray<string>;
  /**
   * When true (the default), a request from an allowed origin with no `Authorization` header is served as the
   * configured client, like a backend proxy that adds the credentials itself.
   */
  readonly anonymous?: boolean;
}

/**
 * Bounds on the in-memory state. Beyond them the sandbox answers 507 with a message naming the option.
 *
 * @example
 * ```ts
 * import type { SandboxLimits } from 'mx-statements-rx/sandbox';
 *
 * const limits: SandboxLimits = { maxUsers: 50_000 };
 * ```
 */
export interface SandboxLimits {
  /** Users the sandbox holds (seeded ones included; raised automatically to fit `seedUsers`). Default 10 000. */
  readonly maxUsers?: number;
  /** Members per user. Default 100. */
  readonly maxMembersPerUser?: number;
  /** Members in all. Default 50 000 (raised automatically to fit `seedUsers`). */
  readonly maxMembers?: number;
  /** Largest accepted request body in bytes; more gets 413. Default 1 MiB. */
  readonly maxBodyBytes?: number;
}

/**
 * Where and how the sandbox delivers MX-shaped webhooks (STATEMENT, AGGREGATION, CONNECTION_STATUS): a JSON
 * `POST` with HTTP Basic auth; a delivery that fails (not 2xx, an error, or no answer within `timeoutMs`) is retried
 * after each of `retryDelaysMs`, so a receiver sees duplicates. MX retries up to 12 times over about 24 hours; the
 * sandbox's default schedule is 12 retries over about 30 seconds.
 *
 * @example
 * ```ts
 * import type { SandboxWebhookOptions } from 'mx-statements-rx/sandbox';
 *
 * const webhooks: SandboxWebhookOptions = { url: 'http://127.0.0.1:8080/mx-webhooks', username: 'mx', password: 'hook-secret' };
 * ```
 */
export interface SandboxWebhookOptions {
  /** The receiver: an absolute `http:` or `https:` URL. */
  readonly url: string;
  /** Basic-auth user name sent with each delivery (with `password`). Default: no `Authorization` header. */
  readonly username?: string;
  /** Basic-auth password (never logged). */
  readonly password?: string;
  /** The wait before each retry of a failed delivery; its length is the number of retries. Default: 12 retries, 50 ms doubling up to 5 s. */
  readonly retryDelaysMs?: ReadonlyArray<number>;
  /** One attempt gives up after this long without a complete answer (then it is retried). Default 5000 ms. */
  readonly timeoutMs?: number;
  /** Most deliveries waiting or in flight; beyond, the oldest waiting one is dropped (and logged). Default 10 000. */
  readonly maxQueued?: number;
}

/**
 * Options of {@link startSandbox}. Every field is optional; the defaults are in {@link SANDBOX_DEFAULTS}.
 *
 * @example
 * ```ts
 * import type { SandboxOptions } from 'mx-statements-rx/sandbox';
 *
 * const options: SandboxOptions = { port: 0, aggregationMs: 50, seed: 'spec' };
 * ```
 */
export interface SandboxOptions {
  /** Interface to listen on. Default `'127.0.0.1'`. */
  readonly host?: string;
  /** Port; 0 picks a free one. Default 0. */
  readonly port?: number;
  /** The Basic-auth user name clients must send. Default `'sandbox-client-id'`. */
  readonly clientId?: string;
  /** The Basic-auth password clients must send. Default `'sandbox-api-key'`. */
  readonly apiKey?: string;
  /** Length of one aggregation or statements job (login half way, end at the full length). Default 1000 ms. */
  readonly aggregationMs?: number;
  /** How long a CHALLENGED member waits for answers before it turns EXPIRED. Default 300 000 ms. */
  readonly challengeTtlMs?: number;
  /** Statements each member gets (accounts × months). Default 6. */
  readonly statementsPerMember?: number;
  /** When set, each PDF is padded to at least this many bytes (streamed, never held whole). Default unset. */
  readonly largePdfBytes?: number;
  /** `'YYYY-MM-DD'`: statement periods end before this date. Default: the statement catalogue's own (fixed). */
  readonly referenceDate?: string;
  /** Injected failures; a number is shorthand for `{ rate: n }` (all kinds). Default off. */
  readonly faults?: number | SandboxFaultOptions;
  /** Requests per second per client id (token bucket, burst of the same size); more gets 429. Default off. */
  readonly rateLimit?: number;
  /** Delay added before every answer. Default 0. */
  readonly latencyMs?: number;
  /** Users to pre-create, each with one CONNECTED MX Bank member whose statements are ready. Default 0. */
  readonly seedUsers?: number;
  /** Seed of every guid, statement and fault decision. Default `'mx-sandbox'`. */
  readonly seed?: string | number;
  /** Allowed browser origin(s), or the full CORS options. Default off. */
  readonly cors?: string | ReadonlyArray<string> | SandboxCorsOptions;
  /** Bounds on the in-memory state. */
  readonly limits?: SandboxLimits;
  /** Receives one line per request (`METHOD /path STATUS Nms`), never a secret. Default: no logging. */
  readonly log?: (line: string) => void;
  /**
   * Serve a request without `Accept-Version` as v20111101, as MX did before August 12, 2026 (for older clients).
   * Default `false`: such a request gets 406, as MX answers today.
   */
  readonly legacyAccept?: boolean;
  /**
   * A job begins this long after the request that started it was answered (202); meanwhile the member still
   * shows its previous state (a stale CONNECTED, not aggregating), as MX's does. 0 turns it off. Default 100 ms.
   */
  readonly jobStartDelayMs?: number;
  /**
   * A new `aggregate` or `fetch_statements` this soon after the last successful job of the same kind answers 202
   * and starts nothing ("too soon"), as MX does within about three hours. MX Bank is exempt unless
   * `tooSoonMxBank`. 0 turns it off. Default 10 800 000 ms (3 h).
   */
  readonly tooSoonMs?: number;
  /** Apply `tooSoonMs` to MX Bank (`mxbank`, `mx_bank_oauth`) too (MX's MX Bank has no such limit). Default `false`. */
  readonly tooSoonMxBank?: boolean;
  /** Deliver MX-shaped webhooks to this receiver. Default off. */
  readonly webhooks?: SandboxWebhookOptions;
  /**
   * Most connections open at once. A new one beyond first replaces the oldest idle connection (one that has sent
   * no complete request yet, or a keep-alive between requests); when every connection is busy it gets 429 and is
   * closed (MX: "too many concurrent connections"). Default 2000 (MX's per-IP limit).
   */
  readonly maxConnections?: number;
  /** A connection must send a request's complete headers within this long, or it is closed. Default 10 000 ms. */
  readonly headersTimeoutMs?: number;
  /**
   * The clock of every timer and timestamp (jobs, challenge TTL, job start delay, too soon, rate limit, latency,
   * faults, webhook retries). Default: the wall clock. Specs pass `createManualClock()`.
   */
  readonly clock?: SandboxClock;
}

/**
 * The documented defaults of {@link SandboxOptions}.
 *
 * @example
 * ```ts
 * import { SANDBOX_DEFAULTS } from 'mx-statements-rx/sandbox';
 *
 * const { clientId, apiKey } = SANDBOX_DEFAULTS;
 * await fetch('http://127.0.0.1:4010/users', { headers: { Authorization: `Basic ${btoa(`${clientId}:${apiKey}`)}` } });
 * ```
 */
export const SANDBOX_DEFAULTS = {
  host: '127.0.0.1',
  port: 0,
  clientId: 'sandbox-client-id',
  apiKey: 'sandbox-api-key',
  aggregationMs: 1000,
  challengeTtlMs: 300_000,
  statementsPerMember: 6,
  latencyMs: 0,
  seedUsers: 0,
  seed: 'mx-sandbox',
  faultSlowMs: 2000,
  faultRetryAfterSeconds: 1,
  maxUsers: 10_000,
  maxMembersPerUser: 100,
  maxMembers: 50_000,
  maxBodyBytes: 1024 * 1024,
  legacyAccept: false,
  jobStartDelayMs: 100,
  tooSoonMs: 3 * 60 * 60 * 1000,
  tooSoonMxBank: false,
  maxConnections: 2000,
  headersTimeoutMs: 10_000,
  webhookRetries: 12,
  webhookRetryBaseMs: 50,
  webhookRetryMaxMs: 5000,
  webhookTimeoutMs: 5000,
  webhookMaxQueued: 10_000,
} as const;

/** The webhook settings after defaults. */
export interface ResolvedWebhooks {
  readonly url: URL;
  /** `Basic …`, or undefined for none (never logged). */
  readonly authorization: string | undefined;
  readonly retryDelaysMs: ReadonlyArray<number>;
  readonly timeoutMs: number;
  readonly maxQueued: number;
}

/** The fault settings after defaults. */
export interface ResolvedFaults {
  readonly rate: number;
  readonly kinds: ReadonlyArray<FaultKind>;
  readonly slowMs: number;
  readonly retryAfterSeconds: number;
}

/** The CORS settings after defaults. */
export interface ResolvedCors {
  readonly origins: ReadonlyArray<string>;
  readonly anonymous: boolean;
}

/**
 * {@link SandboxOptions} with every default applied and every value checked.
 *
 * @example
 * ```ts
 * import type { ResolvedOptions } from './options.js';
 * import { resolveOptions } from './options.js';
 *
 * const resolved: ResolvedOptions = resolveOptions({ seed: 'x' });
 * ```
 */
export interface ResolvedOptions {
  readonly host: string;
  readonly port: number;
  readonly clientId: string;
  readonly apiKey: string;
  readonly aggregationMs: number;
  readonly challengeTtlMs: number;
  readonly statementsPerMember: number;
  readonly largePdfBytes: number | undefined;
  readonly referenceDate: string | undefined;
  readonly faults: ResolvedFaults | undefined;
  readonly rateLimit: number | undefined;
  readonly latencyMs: number;
  readonly seedUsers: number;
  readonly seed: string;
  readonly cors: ResolvedCors | undefined;
  readonly limits: Required<SandboxLimits>;
  /** Where log lines go (never with secrets in them); `undefined` = silent. */
  readonly log: ((line: string) => void) | undefined;
  readonly legacyAccept: boolean;
  readonly jobStartDelayMs: number;
  readonly tooSoonMs: number;
  readonly tooSoonMxBank: boolean;
  readonly webhooks: ResolvedWebhooks | undefined;
  readonly maxConnections: number;
  readonly headersTimeoutMs: number;
  readonly clock: SandboxClock;
}

/** Whether `s` is a real calendar day `'YYYY-MM-DD'` (so a bad date fails at start, not at the first listing). */
const isDay = (s: string): boolean => {
  try {
    parseDay(s);
    return true;
  } catch {
    return false;
  }
};

const check = (ok: boolean, what: string): void => {
  if (!ok) throw new RangeError(`startSandbox: ${what}`);
};

const nonNegInt = (v: number | undefined, d: number, name: string, max = Number.MAX_SAFE_INTEGER): number => {
  const n = v ?? d;
  check(Number.isInteger(n) && n >= 0 && n <= max, `${name} must be an integer from 0 to ${max}, got ${String(v)}`);
  return n;
};

const resolveFaults = (f: SandboxOptions['faults']): ResolvedFaults | undefined => {
  if (f === undefined) return undefined;
  const o: SandboxFaultOptions = typeof f === 'number' ? { rate: f } : f;
  check(Number.isFinite(o.rate) && o.rate >= 0 && o.rate <= 1, `faults.rate must be from 0 to 1, got ${o.rate}`);
  const kinds = o.kinds ?? FAULT_KINDS;
  for (const k of kinds) check(FAULT_KINDS.includes(k), `unknown fault kind ${JSON.stringify(k)}`);
  if (o.rate === 0 || kinds.length === 0) return undefined;
  return {
    rate: o.rate,
    kinds: FAULT_KINDS.filter((k) => kinds.includes(k)),
    slowMs: nonNegInt(o.slowMs, SANDBOX_DEFAULTS.faultSlowMs, 'faults.slowMs'),
    retryAfterSeconds: Math.max(1, nonNegInt(o.retryAfterSeconds, SANDBOX_DEFAULTS.faultRetryAfterSeconds, 'faults.retryAfterSeconds')),
  };
};

const resolveCors = (c: SandboxOptions['cors']): ResolvedCors | undefined => {
  if (c === undefined) return undefined;
  const o: SandboxCorsOptions = typeof c === 'string' || Array.isArray(c) ? { origin: c as string | string[] } : (c as SandboxCorsOptions);
  const origins = typeof o.origin === 'string' ? [o.origin] : [...o.origin];
  for (const origin of origins) check(origin.length > 0, 'cors origins must not be empty strings');
  return origins.length === 0 ? undefined : { origins, anonymous: o.anonymous ?? true };
};

const resolveClock = (c: SandboxClock | undefined): SandboxClock => {
  if (c === undefined) return REAL_CLOCK;
  check(typeof c === 'object' && c !== null && typeof c.now === 'function' && typeof c.setTimer === 'function', 'clock must have now() and setTimer()');
  return c;
};

const positiveInt = (v: number | undefined, d: number, name: string, max = Number.MAX_SAFE_INTEGER): number => {
  const n = v ?? d;
  check(Number.isInteger(n) && n >= 1 && n <= max, `${name} must be an integer from 1 to ${max}, got ${String(v)}`);
  return n;
};

/** MX's schedule shape, shortened: `base · 2^(n-1)` capped at `max`, `count` times. */
const defaultRetryDelays = (): number[] => {
  const d = SANDBOX_DEFAULTS;
  return Array.from({ length: d.webhookRetries }, (_, i) => Math.min(d.webhookRetryMaxMs, d.webhookRetryBaseMs * 2 ** i));
};

const resolveWebhooks = (w: SandboxOptions['webhooks']): ResolvedWebhooks | undefined => {
  if (w === undefined) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(w.url);
  } catch {
    url = undefined;
  }
  check(url !== undefined && (url.protocol === 'http:' || url.protocol === 'https:'), 'webhooks.url must be an absolute http: or https: URL');
  check((w.username === undefined) === (w.password === undefined), 'webhooks.username and webhooks.password go together');
  check(w.username === undefined || !w.username.includes(':'), 'webhooks.username must contain no ":"');
  const delays = w.retryDelaysMs ?? defaultRetryDelays();
  check(delays.length <= 100 && delays.every((ms) => Number.isInteger(ms) && ms >= 0), 'webhooks.retryDelaysMs must be at most 100 non-negative integers');
  const d = SANDBOX_DEFAULTS;
  return {
    url: url as URL,
    authorization: w.username === undefined ? undefined : `Basic ${Buffer.from(`${w.username}:${w.password ?? ''}`).toString('base64')}`,
    retryDelaysMs: [...delays],
    timeoutMs: positiveInt(w.timeoutMs, d.webhookTimeoutMs, 'webhooks.timeoutMs'),
    maxQueued: positiveInt(w.maxQueued, d.webhookMaxQueued, 'webhooks.maxQueued'),
  };
};

/**
 * Applies the defaults to `options` and checks every value, throwing a `RangeError` that names the bad option.
 *
 * @example
 * ```ts
 * import { resolveOptions } from './options.js';
 *
 * resolveOptions({ aggregationMs: 20 }).challengeTtlMs; // 300000
 * ```
 */
export function resolveOptions(options: SandboxOptions = {}): ResolvedOptions {
  const d = SANDBOX_DEFAULTS;
  const clientId = options.clientId ?? d.clientId;
  const apiKey = options.apiKey ?? d.apiKey;
  check(clientId.length > 0 && !clientId.includes(':'), 'clientId must be non-empty and contain no ":"');
  check(apiKey.length > 0, 'apiKey must be non-empty');
  const seedUsers = nonNegInt(options.seedUsers, d.seedUsers, 'seedUsers', 1_000_000);
  const l = options.limits ?? {};
  const rateLimit = options.rateLimit;
  check(rateLimit === undefined || (Number.isFinite(rateLimit) && rateLimit > 0), 'rateLimit must be > 0');
  const largePdfBytes = options.largePdfBytes;
  check(largePdfBytes === undefined || (Number.isInteger(largePdfBytes) && largePdfBytes > 0), 'largePdfBytes must be a positive integer');
  check(options.referenceDate === undefined || isDay(options.referenceDate), 'referenceDate must be a real YYYY-MM-DD date');
  return {
    host: options.host ?? d.host,
    port: nonNegInt(options.port, d.port, 'port', 65535),
    clientId,
    apiKey,
    aggregationMs: nonNegInt(options.aggregationMs, d.aggregationMs, 'aggregationMs'),
    challengeTtlMs: nonNegInt(options.challengeTtlMs, d.challengeTtlMs, 'challengeTtlMs'),
    statementsPerMember: nonNegInt(options.statementsPerMember, d.statementsPerMember, 'statementsPerMember', 1000),
    largePdfBytes,
    referenceDate: options.referenceDate,
    faults: resolveFaults(options.faults),
    rateLimit,
    latencyMs: nonNegInt(options.latencyMs, d.latencyMs, 'latencyMs'),
    seedUsers,
    seed: String(options.seed ?? d.seed),
    cors: resolveCors(options.cors),
    limits: {
      maxUsers: Math.max(nonNegInt(l.maxUsers, d.maxUsers, 'limits.maxUsers'), seedUsers),
      maxMembersPerUser: Math.max(1, nonNegInt(l.maxMembersPerUser, d.maxMembersPerUser, 'limits.maxMembersPerUser')),
      maxMembers: Math.max(nonNegInt(l.maxMembers, d.maxMembers, 'limits.maxMembers'), seedUsers),
      maxBodyBytes: nonNegInt(l.maxBodyBytes, d.maxBodyBytes, 'limits.maxBodyBytes'),
    },
    log: options.log,
    legacyAccept: options.legacyAccept ?? d.legacyAccept,
    jobStartDelayMs: nonNegInt(options.jobStartDelayMs, d.jobStartDelayMs, 'jobStartDelayMs'),
    tooSoonMs: nonNegInt(options.tooSoonMs, d.tooSoonMs, 'tooSoonMs'),
    tooSoonMxBank: options.tooSoonMxBank ?? d.tooSoonMxBank,
    webhooks: resolveWebhooks(options.webhooks),
    maxConnections: positiveInt(options.maxConnections, d.maxConnections, 'maxConnections', 1_000_000),
    headersTimeoutMs: positiveInt(options.headersTimeoutMs, d.headersTimeoutMs, 'headersTimeoutMs', 2_147_483_647),
    clock: resolveClock(options.clock),
  };
}

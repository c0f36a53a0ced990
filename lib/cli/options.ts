/**
 * Flag values → typed, validated options. Pure: no I/O, no `process`; the environment is passed in. Every
 * problem is a {@link UsageError} whose message names the flag, so the program can print it and exit 2.
 *
 * @module
 */
import type { MxEnvironment } from '../core/config.js';
import { MX_API_VERSIONS, type MxApiVersion } from '../core/config.js';
import { FAULT_KINDS, type FaultKind, type SandboxOptions } from '../sandbox/options.js';
import { DEFAULT_OAUTH_PENDING_TIMEOUT_MS } from '../workflow/index.js';
import { UsageError } from './usage-error.js';

export { UsageError } from './usage-error.js';

// -------------------------------------------------------------------------------------
// single values
// -------------------------------------------------------------------------------------

/**
 * A positive number of seconds (decimals allowed) → milliseconds.
 *
 * @example
 * ```ts
 * import { parseSeconds } from './options.js';
 *
 * parseSeconds('--timeout', '1.5'); // 1500
 * ```
 */
export const parseSeconds = (flag: string, value: string): number => {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0) {
    throw new UsageError(`${flag} must be a positive number of seconds, got ${JSON.stringify(value)}`, flag);
  }
  return Math.round(n * 1000);
};

/**
 * An integer within `[min, max]`.
 *
 * @example
 * ```ts
 * import { parseInteger } from './options.js';
 *
 * parseInteger('--concurrency', '4', 1, 64); // 4
 * ```
 */
export const parseInteger = (flag: string, value: string, min: number, max: number): number => {
  const n = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(`${flag} must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`, flag);
  }
  return n;
};

/**
 * A number within `[min, max]` (decimals allowed).
 *
 * @example
 * ```ts
 * import { parseNumber } from './options.js';
 *
 * parseNumber('--faults', '0.1', 0, 1); // 0.1
 * ```
 */
export const parseNumber = (flag: string, value: string, min: number, max: number): number => {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < min || n > max) {
    throw new UsageError(`${flag} must be a number from ${min} to ${max}, got ${JSON.stringify(value)}`, flag);
  }
  return n;
};

/**
 * A number greater than 0 and at most `max` (decimals allowed).
 *
 * @example
 * ```ts
 * import { parsePositive } from './options.js';
 *
 * parsePositive('--rate-limit', '2.5', 10_000); // 2.5
 * ```
 */
export const parsePositive = (flag: string, value: string, max: number): number => {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0 || n > max) {
    throw new UsageError(`${flag} must be a number greater than 0 and at most ${max}, got ${JSON.stringify(value)}`, flag);
  }
  return n;
};

/**
 * An `http:`/`https:` URL, without credentials, query or fragment; returned without a trailing slash.
 *
 * @example
 * ```ts
 * import { parseBaseUrl } from './options.js';
 *
 * parseBaseUrl('http://127.0.0.1:8080/'); // 'http://127.0.0.1:8080'
 * ```
 */
export const parseBaseUrl = (value: string): string => {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`--base-url is not a URL: ${JSON.stringify(value)}`, '--base-url');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`--base-url must be http: or https:, got ${url.protocol}`, '--base-url');
  }
  if (url.username || url.password) throw new UsageError('--base-url must not contain credentials; use --client-id/--api-key', '--base-url');
  if (url.search || url.hash) throw new UsageError('--base-url must not contain a query or fragment', '--base-url');
  return url.toString().replace(/\/+$/, '');
};

const DURATION_UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * A duration with units → milliseconds: `90s`, `30m` (or `30min`), `20h`, `1d`, `1h30m`, `250ms`, decimals allowed
 * (`1.5h`). A bare number is refused (seconds or minutes? the message says to add a unit). With `none`, the word
 * `none` is `Infinity`.
 *
 * @example
 * ```ts
 * import { parseDuration } from './options.js';
 *
 * parseDuration('--max-age', '20h');               // 72000000
 * parseDuration('--oauth-timeout', 'none', true);  // Infinity
 * ```
 */
export const parseDuration = (flag: string, value: string, none = false): number => {
  const text = value.trim().toLowerCase();
  if (none && text === 'none') return Infinity;
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)\s*(ms|min|s|m|h|d)/g)];
  const consumed = parts.map((m) => m[0]).join('');
  if (text === '' || parts.length === 0 || consumed !== text.replace(/\s+/g, '')) {
    const hint = /^\d+(\.\d+)?$/.test(text) ? ` (add a unit: ${text}s, ${text}m or ${text}h)` : ' (e.g. 90s, 30m, 20h, 1d, 1h30m)';
    throw new UsageError(`${flag} must be a duration${none ? ' or none' : ''}, got ${JSON.stringify(value)}${hint}`, flag);
  }
  const ms = parts.reduce((sum, m) => sum + Number(m[1]) * (DURATION_UNITS[m[2] ?? ''] ?? 0), 0);
  if (!Number.isFinite(ms) || ms <= 0) throw new UsageError(`${flag} must be longer than 0, got ${JSON.stringify(value)}`, flag);
  return Math.round(ms);
};

/**
 * A URL a server will send a person's browser (or app) to: absolute, and not `javascript:`, `data:`, `file:` or
 * `vbscript:`. An app scheme (`myapp://oauth-done`) is fine.
 *
 * @example
 * ```ts
 * import { parseRedirectUrl } from './options.js';
 *
 * parseRedirectUrl('--oauth-redirect-url', 'https://example.com/mx/done'); // 'https://example.com/mx/done'
 * ```
 */
export const parseRedirectUrl = (flag: string, value: string): string => {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${flag} must be an absolute URL (https://…, or your app's scheme), got ${JSON.stringify(value)}`, flag);
  }
  if (['javascript:', 'data:', 'file:', 'vbscript:', 'blob:'].includes(url.protocol)) {
    throw new UsageError(`${flag} must not be a ${url.protocol} URL`, flag);
  }
  return value;
};

/**
 * A Redis URL (`redis://[user:password@]host:port[/db]`, `rediss://` for TLS) → the URL and its password (a
 * secret, to register with the redactor) and how to show it (the password masked).
 *
 * @example
 * ```ts
 * import { parseRedisUrl } from './options.js';
 *
 * parseRedisUrl('--queue', 'redis://:s3cret@127.0.0.1:6379').shown; // 'redis://:***@127.0.0.1:6379'
 * ```
 */
export const parseRedisUrl = (flag: string, value: string): { readonly url: string; readonly password?: string; readonly shown: string } => {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${flag} must be a Redis URL such as redis://127.0.0.1:6379, got ${JSON.stringify(value)}`, flag);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new UsageError(`${flag} must be a redis:// or rediss:// URL, got ${url.protocol}`, flag);
  }
  if (url.hostname === '') throw new UsageError(`${flag} must name a host (redis://HOST:PORT)`, flag);
  const password = url.password !== '' ? decodeURIComponent(url.password) : undefined;
  const shown = password !== undefined ? value.replace(`:${url.password}@`, ':***@') : value;
  return { url: value, ...(password !== undefined ? { password } : {}), shown };
};

// -------------------------------------------------------------------------------------
// shared: target and keys
// -------------------------------------------------------------------------------------

/** Where the CLI sends requests. */
export type Target =
  | { readonly kind: 'sandbox' }
  | { readonly kind: 'url'; readonly baseUrl: string }
  | { readonly kind: 'environment'; readonly environment: MxEnvironment };

/** The flags every networked command shares, as the parser hands them over. */
export interface RawConnectionFlags {
  readonly baseUrl?: string;
  readonly env?: string;
  readonly clientId?: string;
  readonly apiKey?: string;
  readonly apiVersion?: string;
  readonly json?: boolean;
  readonly timeout?: string;
  readonly retries?: string;
  readonly rateLimit?: string;
}

/** The environment variables the CLI reads. */
export interface CliEnv {
  readonly MX_CLIENT_ID?: string | undefined;
  readonly MX_API_KEY?: string | undefined;
  /** The password of the webhook receiver (`sync --webhook-port`), when no `--webhook-password`. */
  readonly MX_WEBHOOK_PASSWORD?: string | undefined;
}

/** The flag of every command that downloads: `--allow-unverified`. */
export interface RawDownloadFlags {
  readonly allowUnverified?: boolean;
}

/** Target, keys and output mode after validation. */
export interface ConnectionOptions {
  readonly target: Target;
  /** For a remote target, always set; for the sandbox, set only when given on the command line. */
  readonly clientId?: string;
  readonly apiKey?: string;
  readonly json: boolean;
  /** The bound on the whole run, from `--timeout`. */
  readonly timeoutMs?: number;
  /** Retries of a failed request or step that may pass next time (`--retries`); the library's defaults when unset. */
  readonly retries?: number;
  /** The MX API version every request names (`--api-version`); the library's default when unset. */
  readonly apiVersion?: MxApiVersion;
  /** Client-side requests per second (`--rate-limit`); none when unset. */
  readonly rateLimit?: number;
}

/** The largest `--rate-limit` accepted (requests per second). */
export const MAX_RATE_LIMIT = 10_000;

const nonEmpty = (v: string | undefined): string | undefined => (v !== undefined && v.trim() !== '' ? v : undefined);

/**
 * Validates the target and the keys: `--base-url` and `--env` exclude each other; a remote target needs both
 * keys (flags first, then `MX_CLIENT_ID` / `MX_API_KEY`); no target means the embedded sandbox.
 *
 * @example
 * ```ts
 * import { resolveConnection } from './options.js';
 *
 * resolveConnection({ env: 'integration' }, { MX_CLIENT_ID: 'id', MX_API_KEY: 'key' }).target;
 * // { kind: 'environment', environment: 'integration' }
 * ```
 */
export const resolveConnection = (raw: RawConnectionFlags, env: CliEnv): ConnectionOptions => {
  const baseUrl = nonEmpty(raw.baseUrl);
  const envName = nonEmpty(raw.env);
  if (baseUrl !== undefined && envName !== undefined) {
    throw new UsageError('--base-url and --env cannot be used together: give one target', '--base-url');
  }
  if (envName !== undefined && envName !== 'integration' && envName !== 'production') {
    throw new UsageError(`--env must be integration or production, got ${JSON.stringify(envName)}`, '--env');
  }
  const target: Target =
    baseUrl !== undefined
      ? { kind: 'url', baseUrl: parseBaseUrl(baseUrl) }
      : envName !== undefined
        ? { kind: 'environment', environment: envName }
        : { kind: 'sandbox' };
  const timeoutMs = raw.timeout !== undefined ? parseSeconds('--timeout', raw.timeout) : undefined;
  const retries = raw.retries !== undefined ? parseInteger('--retries', raw.retries, 0, 10) : undefined;
  const json = raw.json === true;
  const apiVersion = raw.apiVersion;
  if (apiVersion !== undefined && !(MX_API_VERSIONS as ReadonlyArray<string>).includes(apiVersion)) {
    throw new UsageError(`--api-version must be ${MX_API_VERSIONS.join(' or ')}, got ${JSON.stringify(apiVersion)}`, '--api-version');
  }
  const rateLimit = raw.rateLimit !== undefined ? parsePositive('--rate-limit', raw.rateLimit, MAX_RATE_LIMIT) : undefined;
  const extra = {
    ...(timeoutMs ? { timeoutMs } : {}),
    ...(retries !== undefined ? { retries } : {}),
    ...(apiVersion !== undefined ? { apiVersion: apiVersion as MxApiVersion } : {}),
    ...(rateLimit !== undefined ? { rateLimit } : {}),
  };
  const flagId = nonEmpty(raw.clientId);
  const flagKey = nonEmpty(raw.apiKey);
  if (flagId?.includes(':')) throw new UsageError('--client-id must not contain ":"', '--client-id');
  if (target.kind === 'sandbox') {
    return { target, json, ...(flagId ? { clientId: flagId } : {}), ...(flagKey ? { apiKey: flagKey } : {}), ...extra };
  }
  const clientId = flagId ?? nonEmpty(env.MX_CLIENT_ID);
  const apiKey = flagKey ?? nonEmpty(env.MX_API_KEY);
  const where = target.kind === 'url' ? `--base-url ${target.baseUrl}` : `--env ${target.environment}`;
  if (clientId === undefined && apiKey === undefined) {
    throw new UsageError(`${where} needs API keys: set MX_CLIENT_ID and MX_API_KEY (or pass --client-id and --api-key)`, '--api-key');
  }
  if (clientId === undefined) throw new UsageError(`${where} needs a client id: set MX_CLIENT_ID or pass --client-id`, '--client-id');
  if (clientId.includes(':')) throw new UsageError('MX_CLIENT_ID must not contain ":"', '--client-id');
  if (apiKey === undefined) throw new UsageError(`${where} needs an API key: set MX_API_KEY or pass --api-key`, '--api-key');
  return { target, json, clientId, apiKey, ...extra };
};

// -------------------------------------------------------------------------------------
// fetch
// -------------------------------------------------------------------------------------

/** The demo defaults used with the embedded sandbox (MX Bank's test user, see mx-api-facts.md §6). */
export const DEMO = {
  userId: 'mx-statements-demo',
  institutionCode: 'mxbank',
  username: 'mxuser',
  password: 'password',
  out: './statements',
} as const;

/** `fetch`'s flags as the parser hands them over. */
export interface RawFetchFlags extends RawConnectionFlags, RawDownloadFlags {
  readonly userId?: string;
  readonly userGuid?: string;
  readonly institution?: string;
  readonly institutionCode?: string;
  readonly username?: string;
  readonly password?: string;
  readonly out?: string;
  readonly mfaAnswer?: ReadonlyArray<string>;
  readonly noDownload?: boolean;
  readonly onConflict?: string;
  readonly aggregationMs?: string;
  readonly oauthRedirectUrl?: string;
  readonly oauthTimeout?: string;
}

/** `fetch`'s options after validation. */
export interface FetchOptions extends ConnectionOptions {
  readonly user: { readonly id: string } | { readonly guid: string };
  readonly institution: { readonly name: string } | { readonly code: string };
  /** The value of the `LOGIN`-like credential field, when given (or the demo's, with the sandbox). */
  readonly username?: string;
  /** The value of the `PASSWORD`-like credential field, when given (or the demo's, with the sandbox). */
  readonly password?: string;
  /** Output folder, as given (resolved against the working directory by the sink). */
  readonly out: string;
  /** `--mfa-answer` values, used in order, one per challenge. */
  readonly mfaAnswers: ReadonlyArray<string>;
  readonly download: boolean;
  readonly onConflict: 'reuse' | 'fail';
  /** The embedded sandbox's job length (only with no target). */
  readonly aggregationMs?: number;
  /** `false` with `--allow-unverified`: a statement MX sends without a `content_hash` is kept, marked unverified. */
  readonly requireContentHash: boolean;
  /** OAuth members: where the window sends the person afterwards (`--oauth-redirect-url`). */
  readonly oauthRedirectUrl?: string;
  /** OAuth members: how long the sign-in may take (`--oauth-timeout`; `Infinity` for `none`). */
  readonly oauthTimeoutMs: number;
}

/**
 * Validates `fetch`'s flags.
 *
 * @example
 * ```ts
 * import { resolveFetchOptions } from './options.js';
 *
 * const o = resolveFetchOptions({}, {});
 * o.target.kind; // 'sandbox'
 * o.password;    // 'password' (MX Bank's test user)
 * ```
 */
export const resolveFetchOptions = (raw: RawFetchFlags, env: CliEnv): FetchOptions => {
  const conn = resolveConnection(raw, env);
  const sandbox = conn.target.kind === 'sandbox';
  const userId = nonEmpty(raw.userId);
  const userGuid = nonEmpty(raw.userGuid);
  if (userId !== undefined && userGuid !== undefined) throw new UsageError('--user-id and --user-guid cannot be used together', '--user-guid');
  if (conn.target.kind === 'environment' && conn.target.environment === 'production' && userId === undefined && userGuid === undefined) {
    throw new UsageError('--env production needs --user-id (your id for the end user) or --user-guid', '--user-id');
  }
  const name = nonEmpty(raw.institution);
  const code = nonEmpty(raw.institutionCode);
  if (name !== undefined && code !== undefined) throw new UsageError('--institution and --institution-code cannot be used together', '--institution-code');
  const onConflict = raw.onConflict ?? 'reuse';
  if (onConflict !== 'reuse' && onConflict !== 'fail') {
    throw new UsageError(`--on-conflict must be reuse or fail, got ${JSON.stringify(onConflict)}`, '--on-conflict');
  }
  if (raw.out !== undefined && raw.out.trim() === '') throw new UsageError('--out must not be empty', '--out');
  if (raw.aggregationMs !== undefined && !sandbox) {
    throw new UsageError('--aggregation-ms only applies to the embedded sandbox (no --base-url / --env)', '--aggregation-ms');
  }
  const aggregationMs = raw.aggregationMs !== undefined ? parseInteger('--aggregation-ms', raw.aggregationMs, 0, 600_000) : undefined;
  const username = raw.username ?? (sandbox ? DEMO.username : undefined);
  const password = raw.password ?? (sandbox ? DEMO.password : undefined);
  for (const a of raw.mfaAnswer ?? []) if (a === '') throw new UsageError('--mfa-answer must not be empty', '--mfa-answer');
  const oauthRedirectUrl = raw.oauthRedirectUrl !== undefined ? parseRedirectUrl('--oauth-redirect-url', raw.oauthRedirectUrl) : undefined;
  const oauthTimeoutMs = raw.oauthTimeout !== undefined ? parseDuration('--oauth-timeout', raw.oauthTimeout, true) : DEFAULT_OAUTH_PENDING_TIMEOUT_MS;
  return {
    ...conn,
    user: userGuid !== undefined ? { guid: userGuid } : { id: userId ?? DEMO.userId },
    institution: name !== undefined ? { name } : { code: code ?? DEMO.institutionCode },
    ...(username !== undefined ? { username } : {}),
    ...(password !== undefined ? { password } : {}),
    out: raw.out ?? DEMO.out,
    mfaAnswers: [...(raw.mfaAnswer ?? [])],
    download: raw.noDownload !== true,
    onConflict,
    ...(aggregationMs !== undefined ? { aggregationMs } : {}),
    requireContentHash: raw.allowUnverified !== true,
    ...(oauthRedirectUrl !== undefined ? { oauthRedirectUrl } : {}),
    oauthTimeoutMs,
  };
};

// -------------------------------------------------------------------------------------
// sandbox
// -------------------------------------------------------------------------------------

/** `sandbox`'s flags as the parser hands them over. */
export interface RawSandboxFlags {
  readonly host?: string;
  readonly port?: string;
  readonly clientId?: string;
  readonly apiKey?: string;
  readonly aggregationMs?: string;
  readonly challengeTtlMs?: string;
  readonly statements?: string;
  readonly faults?: string;
  readonly faultKinds?: string;
  readonly rateLimit?: string;
  readonly latencyMs?: string;
  readonly seedUsers?: string;
  readonly seed?: string;
  readonly largePdfBytes?: string;
  readonly corsOrigin?: ReadonlyArray<string>;
  readonly quiet?: boolean;
  readonly legacyAccept?: boolean;
  readonly jobStartDelayMs?: string;
  readonly tooSoonMs?: string;
  readonly tooSoonMxBank?: boolean;
  readonly webhookUrl?: string;
  readonly webhookUsername?: string;
  readonly webhookPassword?: string;
  readonly maxConnections?: string;
  readonly headersTimeoutMs?: string;
}

/** `sandbox`'s options: the {@link SandboxOptions} to start with, and whether to log requests. */
export interface SandboxCommandOptions {
  readonly sandbox: SandboxOptions;
  /** One stdout line per request unless `--quiet`. */
  readonly log: boolean;
}

/** `--webhook-url`, `--webhook-username`, `--webhook-password` of `sandbox` → its `webhooks` option. */
const sandboxWebhooks = (raw: RawSandboxFlags): SandboxOptions['webhooks'] => {
  if (raw.webhookUrl === undefined) {
    const orphan = raw.webhookUsername !== undefined ? '--webhook-username' : raw.webhookPassword !== undefined ? '--webhook-password' : undefined;
    if (orphan) throw new UsageError(`${orphan} needs --webhook-url URL (where the sandbox delivers webhooks)`, orphan);
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(raw.webhookUrl);
  } catch {
    throw new UsageError(`--webhook-url is not a URL: ${JSON.stringify(raw.webhookUrl)}`, '--webhook-url');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--webhook-url must be http: or https:, got ${url.protocol}`, '--webhook-url');
  if (url.username || url.password) throw new UsageError('--webhook-url must not contain credentials; use --webhook-username/--webhook-password', '--webhook-url');
  if (raw.webhookPassword !== undefined && raw.webhookUsername === undefined) {
    throw new UsageError('--webhook-password needs --webhook-username (Basic auth sends both)', '--webhook-password');
  }
  if (raw.webhookUsername !== undefined && raw.webhookPassword === undefined) {
    throw new UsageError('--webhook-username needs --webhook-password (Basic auth sends both)', '--webhook-username');
  }
  if (raw.webhookUsername !== undefined && (raw.webhookUsername === '' || raw.webhookUsername.includes(':'))) {
    throw new UsageError('--webhook-username must be non-empty and contain no ":"', '--webhook-username');
  }
  return {
    url: raw.webhookUrl,
    ...(raw.webhookUsername !== undefined ? { username: raw.webhookUsername } : {}),
    ...(raw.webhookPassword !== undefined ? { password: raw.webhookPassword } : {}),
  };
};

/** The standalone sandbox's default port (`--port 0` picks a free one). */
export const SANDBOX_CLI_PORT = 4010;

/**
 * Validates `sandbox`'s flags into {@link SandboxOptions}.
 *
 * @example
 * ```ts
 * import { resolveSandboxOptions } from './options.js';
 *
 * resolveSandboxOptions({ port: '0', faults: '0.1', faultKinds: '503,reset' }).sandbox.faults;
 * // { rate: 0.1, kinds: ['503', 'reset'] }
 * ```
 */
export const resolveSandboxOptions = (raw: RawSandboxFlags): SandboxCommandOptions => {
  const int = (flag: string, v: string | undefined, min: number, max: number) => (v !== undefined ? parseInteger(flag, v, min, max) : undefined);
  const kinds = raw.faultKinds?.split(',').map((k) => k.trim()).filter((k) => k !== '');
  for (const k of kinds ?? []) {
    if (!(FAULT_KINDS as ReadonlyArray<string>).includes(k)) {
      throw new UsageError(`--fault-kinds: unknown kind ${JSON.stringify(k)} (known: ${FAULT_KINDS.join(', ')})`, '--fault-kinds');
    }
  }
  if (kinds && raw.faults === undefined) throw new UsageError('--fault-kinds needs --faults RATE', '--fault-kinds');
  const rate = raw.faults !== undefined ? parseNumber('--faults', raw.faults, 0, 1) : undefined;
  const rateLimit = raw.rateLimit !== undefined ? parseNumber('--rate-limit', raw.rateLimit, Number.MIN_VALUE, 1_000_000) : undefined;
  if (raw.clientId !== undefined && (raw.clientId === '' || raw.clientId.includes(':'))) {
    throw new UsageError('--client-id must be non-empty and contain no ":"', '--client-id');
  }
  if (raw.apiKey !== undefined && raw.apiKey === '') throw new UsageError('--api-key must not be empty', '--api-key');
  const entries: Array<[keyof SandboxOptions, unknown]> = [
    ['host', raw.host],
    ['port', int('--port', raw.port, 0, 65535) ?? SANDBOX_CLI_PORT],
    ['clientId', raw.clientId],
    ['apiKey', raw.apiKey],
    ['aggregationMs', int('--aggregation-ms', raw.aggregationMs, 0, 3_600_000)],
    ['challengeTtlMs', int('--challenge-ttl-ms', raw.challengeTtlMs, 0, 86_400_000)],
    ['statementsPerMember', int('--statements', raw.statements, 0, 1000)],
    ['faults', rate !== undefined ? { rate, ...(kinds ? { kinds: kinds as FaultKind[] } : {}) } : undefined],
    ['rateLimit', rateLimit],
    ['latencyMs', int('--latency-ms', raw.latencyMs, 0, 600_000)],
    ['seedUsers', int('--seed-users', raw.seedUsers, 0, 1_000_000)],
    ['seed', raw.seed],
    ['largePdfBytes', int('--large-pdf-bytes', raw.largePdfBytes, 1, 2 ** 40)],
    ['cors', raw.corsOrigin && raw.corsOrigin.length > 0 ? [...raw.corsOrigin] : undefined],
    ['legacyAccept', raw.legacyAccept === true ? true : undefined],
    ['jobStartDelayMs', int('--job-start-delay-ms', raw.jobStartDelayMs, 0, 3_600_000)],
    ['tooSoonMs', int('--too-soon-ms', raw.tooSoonMs, 0, 7 * 86_400_000)],
    ['tooSoonMxBank', raw.tooSoonMxBank === true ? true : undefined],
    ['webhooks', sandboxWebhooks(raw)],
    ['maxConnections', int('--max-connections', raw.maxConnections, 1, 1_000_000)],
    ['headersTimeoutMs', int('--headers-timeout-ms', raw.headersTimeoutMs, 1, 3_600_000)],
  ];
  const sandbox = Object.fromEntries(entries.filter(([, v]) => v !== undefined)) as SandboxOptions;
  return { sandbox, log: raw.quiet !== true };
};

/**
 * Flag values → typed, validated options. Pure: no I/O, no `process`; the environment is passed in. Every
 * problem is a {@link UsageError} whose message names the flag, so the program can print it and exit 2.
 *
 * @module
 */
import type { MemberRef } from '../api/refs.js';
import type { MxEnvironment } from '../core/config.js';
import { MX_API_VERSIONS, type MxApiVersion } from '../core/config.js';
import { FAULT_KINDS, type FaultKind, type SandboxOptions } from '../sandbox/options.js';
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
export interface RawFetchFlags extends RawConnectionFlags {
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
  };
};

// -------------------------------------------------------------------------------------
// sync
// -------------------------------------------------------------------------------------

/** `sync`'s flags as the parser hands them over. */
export interface RawSyncFlags extends RawConnectionFlags {
  readonly members?: string;
  readonly concurrency?: string;
  readonly out?: string;
  readonly seedUsers?: string;
  readonly aggregationMs?: string;
}

/** `sync`'s options after validation. */
export interface SyncOptions extends ConnectionOptions {
  /** A file of `user_guid,member_guid` lines; without it every member of every user is synced. */
  readonly membersFile?: string;
  readonly concurrency: number;
  readonly out: string;
  /** With the embedded sandbox: how many users (one connected MX Bank member each) it starts with. */
  readonly seedUsers: number;
  /** The embedded sandbox's job length (only with no target). */
  readonly aggregationMs?: number;
}

/** The default `--concurrency` of `sync`. */
export const DEFAULT_CONCURRENCY = 4;
/** Users the embedded sandbox is seeded with for `sync` with no target. */
export const DEFAULT_SEED_USERS = 3;

/**
 * Validates `sync`'s flags.
 *
 * @example
 * ```ts
 * import { resolveSyncOptions } from './options.js';
 *
 * resolveSyncOptions({ concurrency: '8' }, {}).concurrency; // 8
 * ```
 */
export const resolveSyncOptions = (raw: RawSyncFlags, env: CliEnv): SyncOptions => {
  const conn = resolveConnection(raw, env);
  if (raw.out !== undefined && raw.out.trim() === '') throw new UsageError('--out must not be empty', '--out');
  if (raw.members !== undefined && raw.members.trim() === '') throw new UsageError('--members must name a file', '--members');
  if (raw.seedUsers !== undefined && conn.target.kind !== 'sandbox') {
    throw new UsageError('--seed-users only applies to the embedded sandbox (no --base-url / --env)', '--seed-users');
  }
  if (raw.aggregationMs !== undefined && conn.target.kind !== 'sandbox') {
    throw new UsageError('--aggregation-ms only applies to the embedded sandbox (no --base-url / --env)', '--aggregation-ms');
  }
  const aggregationMs = raw.aggregationMs !== undefined ? parseInteger('--aggregation-ms', raw.aggregationMs, 0, 600_000) : undefined;
  return {
    ...conn,
    ...(raw.members !== undefined ? { membersFile: raw.members } : {}),
    concurrency: raw.concurrency !== undefined ? parseInteger('--concurrency', raw.concurrency, 1, 64) : DEFAULT_CONCURRENCY,
    out: raw.out ?? DEMO.out,
    seedUsers: raw.seedUsers !== undefined ? parseInteger('--seed-users', raw.seedUsers, 0, 10_000) : DEFAULT_SEED_USERS,
    ...(aggregationMs !== undefined ? { aggregationMs } : {}),
  };
};

/**
 * Parses a `--members` file: one `user_guid,member_guid` per line (commas, tabs or spaces between); blank lines,
 * `#` comments and a `user_guid,member_guid` header are skipped; duplicates are dropped. A bad line throws a
 * {@link UsageError} naming its number.
 *
 * @example
 * ```ts
 * import { parseMembersFile } from './options.js';
 *
 * parseMembersFile('# mine\nUSR-1,MBR-1\n'); // [{ userGuid: 'USR-1', memberGuid: 'MBR-1' }]
 * ```
 */
export const parseMembersFile = (text: string): MemberRef[] => {
  const seen = new Set<string>();
  const out: MemberRef[] = [];
  let first = true;
  text.split(/\r?\n/).forEach((line, i) => {
    const content = line.replace(/#.*$/, '').trim();
    if (content === '') return;
    const parts = content.split(/\s*[,\t ]\s*/).filter((p) => p !== '');
    const header = first && /^user_?guid$/i.test(parts[0] ?? '') && /^member_?guid$/i.test(parts[1] ?? '');
    first = false;
    if (header) return;
    const [userGuid, memberGuid, extra] = parts;
    if (userGuid === undefined || memberGuid === undefined || extra !== undefined) {
      throw new UsageError(`--members line ${i + 1}: expected "user_guid,member_guid", got ${JSON.stringify(content.slice(0, 80))}`, '--members');
    }
    const key = `${userGuid}\u0000${memberGuid}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ userGuid, memberGuid });
  });
  if (out.length === 0) throw new UsageError('--members file lists no members', '--members');
  return out;
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
}

/** `sandbox`'s options: the {@link SandboxOptions} to start with, and whether to log requests. */
export interface SandboxCommandOptions {
  readonly sandbox: SandboxOptions;
  /** One stdout line per request unless `--quiet`. */
  readonly log: boolean;
}

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
  ];
  const sandbox = Object.fromEntries(entries.filter(([, v]) => v !== undefined)) as SandboxOptions;
  return { sandbox, log: raw.quiet !== true };
};

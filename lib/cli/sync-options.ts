/**
 * `sync`'s and `worker`'s flag values → typed, validated options: the batch (members, pace, freshness), the
 * webhook receiver (`--webhook-port`) and the queue (`--queue`). Pure, like `options.ts`: the environment is
 * passed in, every problem is a {@link UsageError} naming the flag.
 *
 * @module
 */
import type { MemberRef } from '../api/refs.js';
import { DEFAULT_MAX_IN_FLIGHT } from '../workflow/index.js';
import {
  DEMO, parseDuration, parseInteger, parseRedisUrl, resolveConnection,
  type CliEnv, type ConnectionOptions, type RawConnectionFlags, type RawDownloadFlags,
} from './options.js';
import { UsageError } from './usage-error.js';

/** Where the fleet meets: the Redis URL (with its password, a secret, apart), how to show it, and the queue name. */
export interface QueueOptions {
  readonly url: string;
  /** The password inside the URL, if any: registered with the redactor, never printed. */
  readonly password?: string;
  /** The URL with its password masked, for people. */
  readonly shown: string;
  /** The BullMQ queue's name (`--queue-name`). */
  readonly name: string;
}

/** The webhook receiver of a sync (`--webhook-port` and friends). */
export interface WebhookSettings {
  readonly port: number;
  readonly host: string;
  readonly path: string;
  readonly username: string;
  /** The Basic-auth password; absent with the embedded sandbox when none was given (the run makes one up). */
  readonly password?: string;
}

/** The default `--queue-name`. */
export const DEFAULT_QUEUE_NAME = 'mx-statements-sync';
/** Users the embedded sandbox is seeded with for `sync` with no target. */
export const DEFAULT_SEED_USERS = 3;
/** The default path the webhook receiver serves. */
export const DEFAULT_WEBHOOK_PATH = '/mx/webhooks';
/** The default Basic-auth user name of the webhook receiver. */
export const DEFAULT_WEBHOOK_USERNAME = 'mx';
/** The most members a worker takes from the queue at once by default (the shared rate paces their requests). */
export const DEFAULT_WORKER_CONCURRENCY = 100;

/** `sync`'s flags as the parser hands them over. */
export interface RawSyncFlags extends RawConnectionFlags, RawDownloadFlags {
  readonly members?: string;
  readonly concurrency?: string;
  readonly out?: string;
  readonly seedUsers?: string;
  readonly aggregationMs?: string;
  readonly maxAge?: string;
  readonly webhookPort?: string;
  readonly webhookHost?: string;
  readonly webhookPath?: string;
  readonly webhookUsername?: string;
  readonly webhookPassword?: string;
  readonly queue?: string;
  readonly queueName?: string;
}

/** `sync`'s options after validation. */
export interface SyncOptions extends ConnectionOptions {
  /** A file of `user_guid,member_guid` lines; without it every member of every user is synced. */
  readonly membersFile?: string;
  /** An explicit cap on members in flight (`--concurrency`); unset: rate-bound with `--rate-limit`, else the library's 4. */
  readonly concurrency?: number;
  readonly out: string;
  /** With the embedded sandbox: how many users (one connected MX Bank member each) it starts with. */
  readonly seedUsers: number;
  /** The embedded sandbox's job length (only with no target). */
  readonly aggregationMs?: number;
  /** `false` with `--allow-unverified`. */
  readonly requireContentHash: boolean;
  /** Freshness (`--max-age`): a member whose last statements job is younger only lists and fills gaps. */
  readonly maxAgeMs?: number;
  /** The webhook receiver to run for the sync's duration (`--webhook-port`). */
  readonly webhooks?: WebhookSettings;
  /** Enqueue the members for `worker` processes instead of running them here (`--queue`). */
  readonly queue?: QueueOptions;
}

const nonEmpty = (v: string | undefined): string | undefined => (v !== undefined && v.trim() !== '' ? v : undefined);

/** `--queue URL` and `--queue-name NAME` → {@link QueueOptions}. */
const queueOptions = (url: string, name: string | undefined): QueueOptions => {
  const queueName = name ?? DEFAULT_QUEUE_NAME;
  if (!/^[A-Za-z0-9._-]{1,100}$/.test(queueName)) {
    throw new UsageError(`--queue-name: use 1-100 letters, digits, ".", "_" or "-", got ${JSON.stringify(queueName)}`, '--queue-name');
  }
  return { ...parseRedisUrl('--queue', url), name: queueName };
};

/** The webhook flags → {@link WebhookSettings} (or `undefined` without `--webhook-port`). */
const webhookSettings = (raw: RawSyncFlags, env: CliEnv, sandbox: boolean): WebhookSettings | undefined => {
  const others = (['webhookHost', 'webhookPath', 'webhookUsername', 'webhookPassword'] as const).filter((k) => raw[k] !== undefined);
  if (raw.webhookPort === undefined) {
    const first = others[0];
    if (first !== undefined) {
      const flag = `--${first.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
      throw new UsageError(`${flag} needs --webhook-port N (the receiver's port)`, flag);
    }
    return undefined;
  }
  const port = parseInteger('--webhook-port', raw.webhookPort, 0, 65535);
  const path = raw.webhookPath ?? DEFAULT_WEBHOOK_PATH;
  if (!/^\/[A-Za-z0-9\-._~%!$&'()*+,;=:@/]*$/.test(path)) throw new UsageError(`--webhook-path must be a URL path starting with "/", got ${JSON.stringify(path)}`, '--webhook-path');
  const username = raw.webhookUsername ?? DEFAULT_WEBHOOK_USERNAME;
  if (username === '' || username.includes(':')) throw new UsageError('--webhook-username must be non-empty and contain no ":"', '--webhook-username');
  const password = nonEmpty(raw.webhookPassword) ?? nonEmpty(env.MX_WEBHOOK_PASSWORD);
  if (password === undefined && !sandbox) {
    throw new UsageError('--webhook-port needs the password MX was given for your webhooks: set MX_WEBHOOK_PASSWORD (or pass --webhook-password)', '--webhook-password');
  }
  if (password !== undefined && password.length < 8) throw new UsageError('--webhook-password must be at least 8 characters (a long random one is best)', '--webhook-password');
  const host = raw.webhookHost ?? '127.0.0.1';
  if (host.trim() === '') throw new UsageError('--webhook-host must not be empty', '--webhook-host');
  return { port, host, path, username, ...(password !== undefined ? { password } : {}) };
};

/**
 * Validates `sync`'s flags. With `--queue`, this process only lists and enqueues (the workers run the members,
 * with their own `--out`, `--max-age`, `--concurrency`, `--allow-unverified`), so those flags are refused here.
 *
 * @example
 * ```ts
 * import { resolveSyncOptions } from './sync-options.js';
 *
 * resolveSyncOptions({ concurrency: '8', maxAge: '20h' }, {}).maxAgeMs; // 72000000
 * ```
 */
export const resolveSyncOptions = (raw: RawSyncFlags, env: CliEnv): SyncOptions => {
  const conn = resolveConnection(raw, env);
  const sandbox = conn.target.kind === 'sandbox';
  if (raw.out !== undefined && raw.out.trim() === '') throw new UsageError('--out must not be empty', '--out');
  if (raw.members !== undefined && raw.members.trim() === '') throw new UsageError('--members must name a file', '--members');
  if (raw.seedUsers !== undefined && !sandbox) {
    throw new UsageError('--seed-users only applies to the embedded sandbox (no --base-url / --env)', '--seed-users');
  }
  if (raw.aggregationMs !== undefined && !sandbox) {
    throw new UsageError('--aggregation-ms only applies to the embedded sandbox (no --base-url / --env)', '--aggregation-ms');
  }
  if (raw.queueName !== undefined && raw.queue === undefined) throw new UsageError('--queue-name needs --queue URL', '--queue-name');
  if (raw.queue !== undefined) {
    const local = (['out', 'maxAge', 'concurrency', 'allowUnverified', 'webhookPort'] as const).find((k) => raw[k] !== undefined);
    if (local !== undefined) {
      const flag = `--${local.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
      throw new UsageError(`${flag} belongs to the workers with --queue: give it to each "mx-statements worker"`, flag);
    }
  }
  const aggregationMs = raw.aggregationMs !== undefined ? parseInteger('--aggregation-ms', raw.aggregationMs, 0, 600_000) : undefined;
  const webhooks = webhookSettings(raw, env, sandbox);
  return {
    ...conn,
    ...(raw.members !== undefined ? { membersFile: raw.members } : {}),
    ...(raw.concurrency !== undefined ? { concurrency: parseInteger('--concurrency', raw.concurrency, 1, DEFAULT_MAX_IN_FLIGHT) } : {}),
    out: raw.out ?? DEMO.out,
    seedUsers: raw.seedUsers !== undefined ? parseInteger('--seed-users', raw.seedUsers, 0, 10_000) : DEFAULT_SEED_USERS,
    ...(aggregationMs !== undefined ? { aggregationMs } : {}),
    requireContentHash: raw.allowUnverified !== true,
    ...(raw.maxAge !== undefined ? { maxAgeMs: parseDuration('--max-age', raw.maxAge) } : {}),
    ...(webhooks ? { webhooks } : {}),
    ...(raw.queue !== undefined ? { queue: queueOptions(raw.queue, raw.queueName) } : {}),
  };
};

/** `worker`'s flags as the parser hands them over. */
export interface RawWorkerFlags extends RawConnectionFlags, RawDownloadFlags {
  readonly queue?: string;
  readonly queueName?: string;
  readonly concurrency?: string;
  readonly out?: string;
  readonly maxAge?: string;
  readonly idleExit?: string;
}

/** `worker`'s options after validation. */
export interface WorkerOptions extends ConnectionOptions {
  readonly queue: QueueOptions;
  /** Members this process takes from the queue at once. */
  readonly concurrency: number;
  readonly out: string;
  readonly requireContentHash: boolean;
  readonly maxAgeMs?: number;
  /** Exit once the queue had nothing waiting or running for this long (`--idle-exit`); unset: run until stopped. */
  readonly idleExitMs?: number;
}

/**
 * Validates `worker`'s flags: `--queue` is required, and so is a target (the members live at MX, or in a
 * standalone sandbox every worker can reach: a worker's own embedded sandbox would not know them).
 *
 * @example
 * ```ts
 * import { resolveWorkerOptions } from './sync-options.js';
 *
 * resolveWorkerOptions({ queue: 'redis://127.0.0.1:6379', baseUrl: 'http://127.0.0.1:4010' }, { MX_CLIENT_ID: 'id', MX_API_KEY: 'key' }).concurrency; // 100
 * ```
 */
export const resolveWorkerOptions = (raw: RawWorkerFlags, env: CliEnv): WorkerOptions => {
  if (raw.queue === undefined) throw new UsageError('--queue URL is needed: the Redis the members were queued on (redis://HOST:PORT)', '--queue');
  const conn = resolveConnection(raw, env);
  if (conn.target.kind === 'sandbox') {
    throw new UsageError('worker needs the target the members live on: --base-url URL (e.g. the sandbox "sync --queue" printed) or --env', '--base-url');
  }
  if (raw.out !== undefined && raw.out.trim() === '') throw new UsageError('--out must not be empty', '--out');
  return {
    ...conn,
    queue: queueOptions(raw.queue, raw.queueName),
    concurrency: raw.concurrency !== undefined ? parseInteger('--concurrency', raw.concurrency, 1, 10_000) : DEFAULT_WORKER_CONCURRENCY,
    out: raw.out ?? DEMO.out,
    requireContentHash: raw.allowUnverified !== true,
    ...(raw.maxAge !== undefined ? { maxAgeMs: parseDuration('--max-age', raw.maxAge) } : {}),
    ...(raw.idleExit !== undefined ? { idleExitMs: parseDuration('--idle-exit', raw.idleExit) } : {}),
  };
};

/**
 * Parses a `--members` file: one `user_guid,member_guid` per line (commas, tabs or spaces between); blank lines,
 * `#` comments and a `user_guid,member_guid` header are skipped; duplicates are dropped. A bad line throws a
 * {@link UsageError} naming its number.
 *
 * @example
 * ```ts
 * import { parseMembersFile } from './sync-options.js';
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

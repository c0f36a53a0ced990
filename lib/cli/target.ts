/**
 * Where requests go: the embedded sandbox (started in-process on a free port), a base URL, or an MX
 * environment — as a client plus a `close()` that releases what was started.
 *
 * @module
 */
import { Observable } from 'rxjs';
import { createMxClient, type MxClient } from '../api/client.js';
import { DEFAULT_API_VERSION, type MxApiVersion, type MxClientConfig, type RetryNotice } from '../core/config.js';
import type { TaggedError } from '../core/errors.js';
import type { SandboxOptions } from '../sandbox/index.js';
import type { DownloadOptions, OAuthCompletion, PollPolicy, StatementSink } from '../workflow/index.js';
import type { ConnectionOptions } from './options.js';
import type { Redactor } from './redact.js';

/**
 * The client settings that follow the flags: `--retries`, `--api-version`, `--rate-limit` (or a limiter shared by a
 * fleet), and the retry listener. Every request goes over `node:http` (the library's default in Node).
 */
const clientSettings = (
  o: ConnectionOptions,
  onRetry: ((n: RetryNotice) => void) | undefined,
  extra: Pick<MxClientConfig, 'rateLimiter'>,
): Partial<MxClientConfig> => ({
  ...(o.retries !== undefined ? { retry: { maxAttempts: o.retries + 1 } } : {}),
  ...(o.apiVersion !== undefined ? { apiVersion: o.apiVersion } : {}),
  // A limiter made elsewhere (the fleet's, shared through Redis) is the rate limit: --rate-limit made it.
  ...(extra.rateLimiter !== undefined ? { rateLimiter: extra.rateLimiter } : o.rateLimit !== undefined ? { rateLimit: { requestsPerSecond: o.rateLimit } } : {}),
  ...(onRetry !== undefined ? { onRetry } : {}),
});

/**
 * The workflow options that follow `--retries` (step and download retries).
 *
 * @example
 * ```ts
 * import { workflowRetries } from './target.js';
 *
 * workflowRetries({ target: { kind: 'sandbox' }, json: false, retries: 0 }); // { stepRetries: 0 }
 * ```
 */
export const workflowRetries = (o: ConnectionOptions): { stepRetries?: number } =>
  o.retries !== undefined ? { stepRetries: o.retries } : {};

/**
 * The workflow's download options: the sink, progress events (for the live display), `--retries`, and
 * `--allow-unverified` (`requireContentHash: false`).
 *
 * @example
 * ```ts
 * import { createMemorySink } from 'mx-statements-rx';
 * import { downloadOptions } from './target.js';
 *
 * downloadOptions({ target: { kind: 'sandbox' }, json: false, requireContentHash: true }, createMemorySink(), true); // { sink, progress: true }
 * ```
 */
export const downloadOptions = <SinkError extends TaggedError = never>(
  o: ConnectionOptions & { readonly requireContentHash?: boolean },
  sink: StatementSink<SinkError>,
  progress: boolean,
): DownloadOptions<SinkError> => ({
  sink,
  progress,
  ...(o.retries !== undefined ? { retries: o.retries } : {}),
  ...(o.requireContentHash === false ? { requireContentHash: false } : {}),
});

/** An opened target. */
export interface OpenTarget {
  readonly client: MxClient;
  /** For people: `the embedded MX sandbox at http://127.0.0.1:51234`, `the MX API at https://int-api.mx.com`. */
  readonly description: string;
  /** The polling policy to pass to the workflow: the sandbox's fast one for the embedded sandbox, else none. */
  readonly polling?: Partial<PollPolicy>;
  /**
   * How OAuth windows ended, as the embedded sandbox's window page reports them (what MX's page posts to its
   * opener): pass it as the workflow's `oauth.completions`, so Cancel or Deny in the window ends the run at once
   * (a cancelled member stays PENDING: no status would tell). None for a remote host: its window is the bank's.
   */
  readonly oauthCompletions?: Observable<OAuthCompletion>;
  /** Stops the embedded sandbox, if one was started. Idempotent. */
  close(): Promise<void>;
}

/**
 * How the target will be described before it is opened (so it can be printed at once): the remote URL, or
 * the embedded sandbox, with the API version every request names.
 *
 * @example
 * ```ts
 * import { targetDescription } from './target.js';
 *
 * targetDescription({ kind: 'environment', environment: 'integration' }, 'v20250224'); // 'the MX API at https://int-api.mx.com, v20250224'
 * ```
 */
export const targetDescription = (t: ConnectionOptions['target'], apiVersion: MxApiVersion = DEFAULT_API_VERSION): string => {
  switch (t.kind) {
    case 'sandbox':
      return `the embedded MX sandbox, API ${apiVersion}`;
    case 'url':
      return `the MX API at ${t.baseUrl}, ${apiVersion}`;
    case 'environment':
      return `the MX API at ${t.environment === 'production' ? 'https://api.mx.com' : 'https://int-api.mx.com'}, ${apiVersion}`;
  }
};

/**
 * Opens the target of `options`. With the sandbox, `sandbox` options are passed on (aggregation time, seeded
 * users) and the fast sandbox polling is asked for explicitly. The keys in use are registered with the redactor
 * before any request is made; `onRetry` hears of every transport retry.
 *
 * @example
 * ```ts
 * import { firstValueFrom } from 'rxjs';
 * import { openTarget } from './target.js';
 * import { createRedactor } from './redact.js';
 *
 * const target = await openTarget({ target: { kind: 'sandbox' }, json: false }, createRedactor());
 * try {
 *   console.log(await firstValueFrom(target.client.users.list$()));
 * } finally {
 *   await target.close();
 * }
 * ```
 */
export const openTarget = async (
  options: ConnectionOptions,
  redactor: Redactor,
  sandbox: SandboxOptions = {},
  onRetry?: (notice: RetryNotice) => void,
  extra: Pick<MxClientConfig, 'rateLimiter'> = {},
): Promise<OpenTarget> => {
  const t = options.target;
  if (t.kind === 'sandbox') {
    // Loaded on demand: the sandbox (and its PDF renderer) is only needed with no target.
    const { startSandbox } = await import('../sandbox/index.js');
    const handle = await startSandbox({
      port: 0,
      host: '127.0.0.1',
      ...sandbox,
      ...(options.clientId ? { clientId: options.clientId } : {}),
      ...(options.apiKey ? { apiKey: options.apiKey } : {}),
    });
    redactor.addBasicAuth(handle.clientId, handle.apiKey);
    try {
      return {
        client: createMxClient({ baseUrl: handle.url, clientId: handle.clientId, apiKey: handle.apiKey, ...clientSettings(options, onRetry, extra) }),
        description: `the embedded MX sandbox at ${handle.url}, API ${options.apiVersion ?? DEFAULT_API_VERSION}`,
        polling: handle.polling,
        oauthCompletions: new Observable<OAuthCompletion>((subscriber) => handle.onOAuthComplete((c) => subscriber.next(c))),
        close: () => handle.close(),
      };
    } catch (e) {
      await handle.close();
      throw e;
    }
  }
  redactor.addBasicAuth(options.clientId, options.apiKey);
  const client = createMxClient({
    ...(t.kind === 'url' ? { baseUrl: t.baseUrl } : { environment: t.environment }),
    ...(options.clientId !== undefined ? { clientId: options.clientId } : {}),
    ...(options.apiKey !== undefined ? { apiKey: options.apiKey } : {}),
    ...clientSettings(options, onRetry, extra),
  });
  return { client, description: `the MX API at ${client.config.baseUrl}, ${client.config.apiVersion}`, close: async () => undefined };
};

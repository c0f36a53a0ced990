/**
 * Where requests go: the embedded sandbox (started in-process on a free port), a base URL, or an MX
 * environment — as a client plus a `close()` that releases what was started.
 *
 * @module
 */
import { createMxClient, type MxClient } from '../api/client.js';
import { nodeFetch } from '../node/node-fetch.js';
import type { SandboxOptions } from '../sandbox/index.js';
import type { DownloadOptions, StatementSink } from '../workflow/index.js';
import type { ConnectionOptions } from './options.js';
import type { Redactor } from './redact.js';

const retry = (o: ConnectionOptions) => (o.retries !== undefined ? { retry: { maxAttempts: o.retries + 1 } } : {});

/** The workflow options that follow `--retries` (step and download retries). */
export const workflowRetries = (o: ConnectionOptions): { stepRetries?: number } =>
  o.retries !== undefined ? { stepRetries: o.retries } : {};

/** The workflow's download options: the sink, progress events (for the TTY bars), and `--retries`. */
export const downloadOptions = (o: ConnectionOptions, sink: StatementSink, progress: boolean): DownloadOptions => ({
  sink,
  progress,
  ...(o.retries !== undefined ? { retries: o.retries } : {}),
});

/** An opened target. */
export interface OpenTarget {
  readonly client: MxClient;
  /** For people: `embedded sandbox at http://127.0.0.1:51234`, `https://int-api.mx.com`. */
  readonly description: string;
  /** Stops the embedded sandbox, if one was started. Idempotent. */
  close(): Promise<void>;
}

/**
 * Opens the target of `options`. With the sandbox, `sandbox` options are passed on (aggregation time, seeded
 * users). The keys in use are registered with the redactor before any request is made.
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
export const openTarget = async (options: ConnectionOptions, redactor: Redactor, sandbox: SandboxOptions = {}): Promise<OpenTarget> => {
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
        client: createMxClient({ baseUrl: handle.url, clientId: handle.clientId, apiKey: handle.apiKey, downloadFetch: nodeFetch, ...retry(options) }),
        description: `embedded sandbox at ${handle.url}`,
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
    downloadFetch: nodeFetch,
    ...retry(options),
  });
  return { client, description: `MX API at ${client.config.baseUrl}`, close: async () => undefined };
};

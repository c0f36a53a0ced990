/**
 * `startSandbox`: builds the sandbox's services, listens on `node:http`, and closes everything on `close()`.
 *
 * @module
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { SANDBOX_POLLING, type PollPolicy } from '../workflow/policy.js';
import { ConnectionLimiter } from './connections.js';
import type { SandboxContext } from './context.js';
import { FaultPicker } from './faults.js';
import { handleRequest, SANDBOX_HEADER, SANDBOX_HEADER_VALUE, type PipelineDeps } from './handler.js';
import { createIdFactory } from './ids.js';
import { JobRunner } from './jobs.js';
import { OAuthWindows, type OAuthWindowCompletion } from './oauth/windows.js';
import { resolveOptions, type SandboxOptions } from './options.js';
import { RateLimiter } from './rate-limit.js';
import { Router } from './router.js';
import { ROUTES } from './routes/index.js';
import { seedUsers } from './seed.js';
import { SandboxState } from './state.js';
import { StatementStore } from './statements-store.js';
import { TimerSet } from './timers.js';
import { webhookObserver } from './webhooks/observer.js';
import { WebhookSender } from './webhooks/sender.js';

/**
 * A running sandbox.
 *
 * @example
 * ```ts
 * import { startSandbox } from 'mx-statements-rx/sandbox';
 *
 * const sandbox = await startSandbox();
 * console.log(sandbox.url); // http://127.0.0.1:54321
 * await sandbox.close();
 * ```
 */
export interface SandboxHandle {
  /** `http://HOST:PORT`, no trailing slash: the base URL for clients. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** The Basic-auth user name the sandbox accepts. */
  readonly clientId: string;
  /** The Basic-auth password the sandbox accepts. */
  readonly apiKey: string;
  /**
   * The polling policy the sandbox recommends to clients: the library's fast `SANDBOX_POLLING` (its jobs take
   * `aggregationMs`, not MX's seconds to minutes). Pass it as `polling` to the workflow.
   */
  readonly polling: PollPolicy;
  /**
   * Calls `listener` each time a person finishes an OAuth window (authorized, denied or cancelled), with what MX's
   * OAuth-complete page would post: pass it on to the workflow's `oauth.completions` so a cancelled window ends
   * the run at once (MX leaves such a member PENDING). Returns the function that stops the calls.
   */
  onOAuthComplete(listener: (completion: OAuthWindowCompletion) => void): () => void;
  /** Stops listening, drops every connection, clears every timer, aborts webhook deliveries; resolves once fully closed. */
  close(): Promise<void>;
}

const listen = (server: Server, port: number, host: string): Promise<void> =>
  new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });

const urlHost = (host: string): string => (host.includes(':') ? `[${host}]` : host);

const onClientError = (error: NodeJS.ErrnoException, socket: Socket): void => {
  if (!socket.writable || error.code === 'ECONNRESET') {
    socket.destroy();
    return;
  }
  const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
  const reason = status === 431 ? 'Request Header Fields Too Large' : 'Bad Request';
  const body = JSON.stringify({ error: { status: String(status), message: 'malformed HTTP request' } });
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\n${SANDBOX_HEADER}: ${SANDBOX_HEADER_VALUE}\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
};

/**
 * Starts the embedded MX sandbox and resolves once it listens.
 *
 * @example
 * ```ts
 * import { startSandbox } from 'mx-statements-rx/sandbox';
 *
 * const sandbox = await startSandbox({ port: 0, aggregationMs: 200, seed: 'demo' });
 * const auth = 'Basic ' + Buffer.from(`${sandbox.clientId}:${sandbox.apiKey}`).toString('base64');
 * const res = await fetch(`${sandbox.url}/institutions?name=mx%20bank`, {
 *   headers: { Authorization: auth, Accept: 'application/vnd.mx.api.v1+json' },
 * });
 * await sandbox.close();
 * ```
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<SandboxHandle> {
  const config = resolveOptions(options);
  const onError = (error: unknown): void => {
    const message = error instanceof Error ? error.message : String(error);
    try {
      config.log?.(`internal error: ${message.slice(0, 300)}`);
    } catch {
      // a failing logger must not break the server
    }
  };
  const log = (line: string): void => {
    try {
      config.log?.(line);
    } catch {
      // a failing logger must not break the server
    }
  };
  const timers = new TimerSet(config.clock, onError);
  const ids = createIdFactory(config.seed);
  const state = new SandboxState(config.limits);
  const webhooks = config.webhooks === undefined ? undefined : new WebhookSender(config.webhooks, timers, log);
  const jobs = new JobRunner({
    timers,
    ids,
    aggregationMs: config.aggregationMs,
    challengeTtlMs: config.challengeTtlMs,
    jobStartDelayMs: config.jobStartDelayMs,
    tooSoon: { ms: config.tooSoonMs, mxBank: config.tooSoonMxBank },
    statementsPerMember: config.statementsPerMember,
    ...(webhooks ? { observer: webhookObserver(state, timers, (hook) => webhooks.send(hook)) } : {}),
  });
  const statements = new StatementStore({
    seed: config.seed,
    count: config.statementsPerMember,
    largePdfBytes: config.largePdfBytes,
    referenceDate: config.referenceDate,
  });
  let baseUrl = '';
  const oauth = new OAuthWindows(() => baseUrl);
  const ctx: SandboxContext = { options: config, state, jobs, ids, statements, timers, oauth, baseUrl: () => baseUrl };
  const deps: PipelineDeps = {
    ctx,
    router: new Router(ROUTES),
    timers,
    faults: new FaultPicker(config.faults, config.seed),
    limiter: config.rateLimit === undefined ? undefined : new RateLimiter(config.rateLimit),
    onError,
  };
  seedUsers(state, ids, config.seedUsers, timers.now());

  const server = createServer(
    {
      headersTimeout: config.headersTimeoutMs,
      requestTimeout: Math.max(60_000, config.headersTimeoutMs),
      // Node checks the two timeouts on this interval (30 s by default, too coarse to shed slow connections)
      connectionsCheckingInterval: Math.max(25, Math.min(1000, Math.floor(config.headersTimeoutMs / 4))),
    },
    (req, res) => void handleRequest(deps, req, res),
  );
  new ConnectionLimiter(config.maxConnections).attach(server);
  server.on('clientError', onClientError);
  await listen(server, config.port, config.host);
  const address = server.address() as AddressInfo;
  baseUrl = `http://${urlHost(config.host)}:${address.port}`;

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      timers.clear();
      webhooks?.close();
      oauth.clearListeners();
      for (const member of state.allMembers()) jobs.cancel(member);
      server.close(() => resolve());
      server.closeAllConnections();
    });
    return closing;
  };

  return {
    url: baseUrl,
    host: config.host,
    port: address.port,
    clientId: config.clientId,
    apiKey: config.apiKey,
    polling: SANDBOX_POLLING,
    onOAuthComplete: (listener) => oauth.onComplete(listener),
    close,
  };
}

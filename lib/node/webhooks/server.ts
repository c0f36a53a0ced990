/**
 * `listenForWebhooks`: the webhook receiver on its own HTTP server.
 *
 * @module
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createWebhookReceiver, type WebhookReceiver, type WebhookReceiverOptions } from './receiver.js';

/**
 * Options of {@link listenForWebhooks}: the receiver's, plus where to listen.
 *
 * @example
 * ```ts
 * import type { WebhookServerOptions } from 'mx-statements-rx/node';
 * const o: WebhookServerOptions = { port: 8080, host: '0.0.0.0', path: '/mx/webhooks', username: 'mx', password: 'change-me' };
 * ```
 */
export interface WebhookServerOptions extends WebhookReceiverOptions {
  /** Port; 0 (the default) picks a free one. */
  readonly port?: number;
  /** Interface. Default `'127.0.0.1'` (put it behind your TLS-terminating proxy, or pass `'0.0.0.0'`). */
  readonly host?: string;
}

/**
 * A running webhook receiver: the receiver's streams, its URL, and `close()`.
 *
 * @example
 * ```ts
 * import { listenForWebhooks, type WebhookServer } from 'mx-statements-rx/node';
 * const server: WebhookServer = await listenForWebhooks({ username: 'mx', password: 'change-me' });
 * console.log('configure MX to deliver to', server.url);
 * await server.close();
 * ```
 */
export interface WebhookServer extends Omit<WebhookReceiver, 'close'> {
  /** `http://host:port/path` (the path when one was given). */
  readonly url: string;
  /** Stops listening, closes every connection and completes the streams. */
  close(): Promise<void>;
}

/**
 * Starts an HTTP server that serves only the webhook receiver (see `createWebhookReceiver` for what it answers),
 * with bounded header and request times so slow connections are shed. Resolves once it listens.
 *
 * @example
 * ```ts
 * import { listenForWebhooks } from 'mx-statements-rx/node';
 * const webhooks = await listenForWebhooks({ port: 0, username: 'mx', password: 'change-me' });
 * webhooks.events$.subscribe((e) => console.log(e.kind, e.memberGuid));
 * // … run the sync with { wakeups: webhooks.wakeups$ }, then:
 * await webhooks.close();
 * ```
 */
export const listenForWebhooks = async (options: WebhookServerOptions): Promise<WebhookServer> => {
  const receiver = createWebhookReceiver(options);
  const server = createServer({ requestTimeout: 30_000, headersTimeout: 10_000, keepAliveTimeout: 5_000 }, receiver.handle);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    receiver.close();
    throw err;
  }
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${address.port}${options.path ?? ''}`,
    handle: receiver.handle,
    events$: receiver.events$,
    wakeups$: receiver.wakeups$,
    rejections$: receiver.rejections$,
    stats: receiver.stats,
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        receiver.close();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
};

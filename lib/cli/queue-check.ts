/**
 * Before a fleet command touches the queue: is the Redis of `--queue` there at all? ioredis retries a refused
 * connection for ever (as BullMQ wants it), so without this check `sync --queue` and `worker` would wait silently
 * for a Redis that is not running. One TCP connection, bounded, names the flag and the cause.
 *
 * @module
 */
import { connect } from 'node:net';
import type { CliError } from './cli-error.js';
import { shortReason } from './render/failure.js';
import type { QueueOptions } from './sync-options.js';

/** How long the check waits for Redis to accept a connection. */
export const REDIS_CHECK_MS = 5_000;

/**
 * Resolves once a TCP connection to the queue's Redis opened (then closes it); rejects with a `QueueUnavailable`
 * failure (exit 5) naming `--queue` (password masked) and the cause otherwise.
 *
 * @example
 * ```ts
 * import { checkRedisReachable } from './queue-check.js';
 *
 * await checkRedisReachable({ url: 'redis://127.0.0.1:6379', shown: 'redis://127.0.0.1:6379', name: 'mx-statements-sync' });
 * ```
 */
export const checkRedisReachable = (queue: QueueOptions, timeoutMs = REDIS_CHECK_MS): Promise<void> =>
  new Promise<void>((resolve, reject) => {
    const url = new URL(queue.url);
    const port = url.port !== '' ? Number(url.port) : 6379;
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    const socket = connect({ host, port });
    const fail = (why: string, code?: string) => {
      socket.destroy();
      const failure: CliError = { _tag: 'QueueUnavailable', message: `--queue ${queue.shown}: cannot reach Redis: ${why} — is redis-server running there?`, ...(code ? { code } : {}) };
      reject(failure);
    };
    const timer = setTimeout(() => fail(`no connection within ${timeoutMs / 1000} s`), timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.end();
      socket.destroy();
      resolve();
    });
    socket.once('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      fail(shortReason({ _tag: 'NetworkError', method: 'CONNECT', path: queue.shown, message: e.message, ...(e.code ? { code: e.code } : {}) }), e.code);
    });
  });

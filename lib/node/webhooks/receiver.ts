/**
 * The webhook receiver: a Node request handler for MX's webhooks, and the typed events it received.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as E from 'fp-ts/lib/Either.js';
import { Subject, asyncScheduler, filter, map, type Observable, type SchedulerLike } from 'rxjs';
import { parseWebhook, webhookDeliveryKey, webhookWakeup, type WebhookEvent } from '../../codecs/webhooks.js';
import { optionNumber } from '../../core/option-number.js';
import { basicAuthChecker } from './basic-auth.js';
import { identifiesItsEvent, recentKeys } from './dedupe.js';

/**
 * Options of {@link createWebhookReceiver}.
 *
 * @example
 * ```ts
 * import type { WebhookReceiverOptions } from 'mx-statements-rx/node';
 * const o: WebhookReceiverOptions = { username: 'mx', password: process.env.WEBHOOK_PASSWORD ?? 'change-me', maxBodyBytes: 16 * 1024 };
 * ```
 */
export interface WebhookReceiverOptions {
  /** The Basic-auth user name you configured at MX. */
  readonly username: string;
  /** The Basic-auth password you configured at MX. Never logged, never in an event. */
  readonly password: string;
  /** Only this path is served (others get 404). Default: any path. */
  readonly path?: string;
  /** A larger body is refused with 413 (and not read further). Default 64 KiB (MX's payloads are < 1 KiB). */
  readonly maxBodyBytes?: number;
  /** A body that takes longer to arrive is refused with 408. Default 10 s. */
  readonly bodyTimeoutMs?: number;
  /**
   * How long a delivery is remembered to recognise MX's redeliveries of it (answered 204, not emitted again). MX
   * retries a delivery up to 12 times over about 24 hours, so the default is 25 hours. A payload that says which
   * event it is (`completed_at`, `job_guid`: STATEMENT, AGGREGATION) is remembered whenever it arrives; one that
   * does not (CONNECTION_STATUS, equal for a second MFA round or the same status another night) only when the
   * answer to it did not go out (the connection closed first), as MX redelivers only what it got no answer to.
   */
  readonly dedupeWindowMs?: number;
  /** The most deliveries remembered for de-duplication (the oldest forgotten first). Default 100 000. */
  readonly maxRemembered?: number;
  /** The clock of the de-duplication window. Default: `scheduler`'s. */
  readonly now?: () => number;
  /** The timers (the body timeout) and, unless `now` is given, the clock of the receiver. Default `asyncScheduler`. */
  readonly scheduler?: SchedulerLike;
}

/**
 * A request the receiver refused, for logs: the status it answered and why. Never holds a credential or the body.
 *
 * @example
 * ```ts
 * import type { WebhookRejection } from 'mx-statements-rx/node';
 * const line = (r: WebhookRejection) => `webhook refused: ${r.status} ${r.reason}`;
 * ```
 */
export interface WebhookRejection {
  readonly status: 400 | 401 | 404 | 405 | 408 | 413 | 503;
  readonly reason: string;
}

/**
 * Counts since the receiver was created.
 *
 * @example
 * ```ts
 * import type { WebhookReceiverStats } from 'mx-statements-rx/node';
 * const line = (s: WebhookReceiverStats) => `${s.received} webhooks (${s.duplicates} redelivered), ${s.rejected} refused`;
 * ```
 */
export interface WebhookReceiverStats {
  /** Deliveries accepted and emitted. */
  readonly received: number;
  /** Deliveries accepted but not emitted: redeliveries of one already emitted (see `dedupeWindowMs`). */
  readonly duplicates: number;
  /** Requests refused (any 4xx/503). */
  readonly rejected: number;
  /** Accepted deliveries of a type this library does not know (emitted as `unknown`). */
  readonly unknownTypes: number;
}

/**
 * A webhook receiver: mount `handle` in any Node HTTP server (or use `listenForWebhooks`).
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * import { createWebhookReceiver, type WebhookReceiver } from 'mx-statements-rx/node';
 * const receiver: WebhookReceiver = createWebhookReceiver({ username: 'mx', password: 'change-me' });
 * createServer(receiver.handle).listen(8080);
 * receiver.events$.subscribe((e) => console.log(e.kind, e.memberGuid));
 * ```
 */
export interface WebhookReceiver {
  /**
   * The request handler. POST with the right Basic credentials and a JSON webhook → 204 (a redelivery too);
   * wrong or missing credentials → 401 (the body is not read); a body over the cap → 413; a body that is not a
   * webhook → 400; another method → 405; another path → 404; a body too slow → 408; after `close()` → 503.
   */
  readonly handle: (req: IncomingMessage, res: ServerResponse) => void;
  /** Every accepted delivery, once (redeliveries dropped). Hot; completes on `close()`. */
  readonly events$: Observable<WebhookEvent>;
  /** `events$` as the workflow's wakeups (`{ memberGuid }`), for `WorkflowOptions.wakeups`. */
  readonly wakeups$: Observable<{ readonly memberGuid: string }>;
  /** Every refused request (status and reason). Hot; completes on `close()`. */
  readonly rejections$: Observable<WebhookRejection>;
  /** Counts since it was created: received, redelivered, refused, of unknown type. */
  stats(): WebhookReceiverStats;
  /** Completes the streams; later requests get 503. Requests being read are answered 503 too. */
  close(): void;
}

/** Defaults of {@link WebhookReceiverOptions}. */
export const WEBHOOK_DEFAULTS = {
  maxBodyBytes: 64 * 1024,
  bodyTimeoutMs: 10_000,
  dedupeWindowMs: 25 * 60 * 60_000,
  maxRemembered: 100_000,
} as const;

const positive = (name: string, v: number | undefined, fallback: number): number => optionNumber(`webhooks.${name}`, v, fallback, { min: 0, above: true, infinite: true });

/**
 * Creates a {@link WebhookReceiver}. The credentials are compared in constant time (hashed, then
 * `timingSafeEqual`); unknown fields are kept and unknown types are emitted as `unknown` events; MX's
 * redeliveries (the same payload, in any field order, within `dedupeWindowMs`) are answered 204 and emitted once,
 * while a new event whose payload carries no time or job (a second CHALLENGED round) is emitted again.
 * Every listener and timer of a request is released when it is answered.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * import { createWebhookReceiver } from 'mx-statements-rx/node';
 * const receiver = createWebhookReceiver({ username: 'mx', password: 'change-me', path: '/mx/webhooks' });
 * const server = createServer(receiver.handle).listen(0);
 * receiver.wakeups$.subscribe((w) => console.log('wake', w.memberGuid));
 * // later: receiver.close(); server.close();
 * ```
 */
export const createWebhookReceiver = (options: WebhookReceiverOptions): WebhookReceiver => {
  const authorized = basicAuthChecker(options.username, options.password);
  const maxBodyBytes = positive('maxBodyBytes', options.maxBodyBytes, WEBHOOK_DEFAULTS.maxBodyBytes);
  const bodyTimeoutMs = positive('bodyTimeoutMs', options.bodyTimeoutMs, WEBHOOK_DEFAULTS.bodyTimeoutMs);
  const scheduler = options.scheduler ?? asyncScheduler;
  const now = options.now ?? (() => scheduler.now());
  const dedupeWindowMs = positive('dedupeWindowMs', options.dedupeWindowMs, WEBHOOK_DEFAULTS.dedupeWindowMs);
  const maxRemembered = positive('maxRemembered', options.maxRemembered, WEBHOOK_DEFAULTS.maxRemembered);
  /** Payloads that say which event they are, as they arrived. */
  const recent = recentKeys(dedupeWindowMs, maxRemembered, now);
  /** Payloads that do not, whose answer did not go out: MX will deliver them again. */
  const unanswered = recentKeys(dedupeWindowMs, maxRemembered, now);
  const path = options.path;
  const events = new Subject<WebhookEvent>();
  const rejections = new Subject<WebhookRejection>();
  const open = new Set<() => void>();
  let closed = false;
  const stats = { received: 0, duplicates: 0, rejected: 0, unknownTypes: 0 };

  const refuse = (res: ServerResponse, status: WebhookRejection['status'], reason: string, headers: Record<string, string> = {}): void => {
    stats.rejected += 1;
    if (!res.headersSent) {
      res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', Connection: 'close', ...headers });
      res.end(`${reason}\n`);
    }
    if (!closed) rejections.next({ status, reason });
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    if (closed) return refuse(res, 503, 'the receiver is closed');
    const pathname = (req.url ?? '/').split('?')[0];
    if (path !== undefined && pathname !== path) return refuse(res, 404, 'not a webhook path');
    if (req.method !== 'POST') return refuse(res, 405, 'webhooks are POSTed', { Allow: 'POST' });
    if (!authorized(req.headers.authorization)) {
      return refuse(res, 401, 'missing or wrong credentials', { 'WWW-Authenticate': 'Basic realm="mx-webhooks", charset="UTF-8"' });
    }
    if (req.readableEnded || req.destroyed) return refuse(res, 400, 'the request body was already read or aborted before the receiver saw it');
    const announced = Number(req.headers['content-length']);
    if (Number.isFinite(announced) && announced > maxBodyBytes) return refuse(res, 413, `a webhook body is at most ${maxBodyBytes} bytes`);

    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (): void => {
      done = true;
      timer.unsubscribe();
      open.delete(abandon);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    const stopWith = (status: WebhookRejection['status'], reason: string): void => {
      finish();
      refuse(res, status, reason);
      // Stop reading what is left (a body over the cap, a stalled one): the answer closes the connection.
      req.resume();
    };
    const onData = (chunk: Buffer): void => {
      if (done) return;
      size += chunk.length;
      if (size > maxBodyBytes) return stopWith(413, `a webhook body is at most ${maxBodyBytes} bytes`);
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      if (done) return;
      finish();
      accept(res, req.method ?? 'POST', pathname ?? '/', Buffer.concat(chunks, size).toString('utf8'));
    };
    const onError = (): void => {
      if (!done) stopWith(400, 'the body could not be read');
    };
    const onClose = (): void => {
      if (!done) finish();
    };
    const abandon = (): void => {
      if (!done) stopWith(503, 'the receiver is closed');
    };
    const timer = scheduler.schedule(() => stopWith(408, `the body did not arrive within ${bodyTimeoutMs} ms`), bodyTimeoutMs);
    open.add(abandon);
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  };

  const accept = (res: ServerResponse, method: string, pathname: string, text: string): void => {
    const decoded = parseWebhook(text, { method, path: pathname });
    if (E.isLeft(decoded)) return refuse(res, 400, decoded.left.errors[0] ?? decoded.left.message);
    res.writeHead(204);
    res.end();
    const key = webhookDeliveryKey(decoded.right.payload);
    const identified = identifiesItsEvent(decoded.right.payload);
    if (!identified) {
      // Remembered only if this answer does not go out: then MX delivers it again.
      res.once('close', () => {
        if (!res.writableFinished) unanswered.remember(key);
      });
    }
    if (identified ? recent.seen(key) : unanswered.take(key)) {
      stats.duplicates += 1;
      return;
    }
    stats.received += 1;
    if (decoded.right.kind === 'unknown') stats.unknownTypes += 1;
    events.next(decoded.right);
  };

  const events$ = events.asObservable();
  return {
    handle,
    events$,
    wakeups$: events$.pipe(map(webhookWakeup), filter((w): w is { readonly memberGuid: string } => w !== undefined)),
    rejections$: rejections.asObservable(),
    stats: () => ({ ...stats }),
    close: () => {
      if (closed) return;
      closed = true;
      for (const abandon of [...open]) abandon();
      events.complete();
      rejections.complete();
    },
  };
};

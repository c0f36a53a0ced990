/**
 * Delivering webhooks: a JSON `POST` with HTTP Basic auth on `node:http`/`node:https` (no connection reuse, no
 * redirect followed), at most a few in flight; an attempt that fails (not 2xx, a network error, or no complete
 * answer within `timeoutMs`) is retried after each delay of `retryDelaysMs`, so a receiver sees duplicates, as with
 * MX. Every timer is on the sandbox's clock; `close()` aborts what is in flight.
 *
 * @module
 */
import { request as httpRequest, type ClientRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { ResolvedWebhooks } from '../options.js';
import type { TimerSet } from '../timers.js';
import type { SandboxWebhook } from './payloads.js';

/** Deliveries in flight at once. */
const MAX_IN_FLIGHT = 8;

interface Delivery {
  readonly hook: SandboxWebhook;
  readonly body: string;
  /** 0 for the first attempt. */
  readonly attempt: number;
}

/** Counts of what the sender did (for specs and logs). */
export interface WebhookStats {
  /** Attempts answered 2xx. */
  readonly delivered: number;
  /** Attempts that failed (each retry counts). */
  readonly failedAttempts: number;
  /** Deliveries given up after the last retry. */
  readonly gaveUp: number;
  /** Deliveries dropped because `maxQueued` were waiting. */
  readonly dropped: number;
}

/**
 * Sends webhooks to one receiver, with retries.
 *
 * @example
 * ```ts
 * import { REAL_CLOCK } from '../clock.js';
 * import { resolveOptions } from '../options.js';
 * import { TimerSet } from '../timers.js';
 * import { WebhookSender } from './sender.js';
 *
 * const config = resolveOptions({ webhooks: { url: 'http://127.0.0.1:8080/hooks', username: 'u', password: 'p' } }).webhooks!;
 * const sender = new WebhookSender(config, new TimerSet(REAL_CLOCK, console.error), () => undefined);
 * sender.send({ action: 'CHANGED', connection_status: 'DENIED', connection_status_id: 2, connection_status_message: 'Denied', member_guid: 'MBR-1', type: 'CONNECTION_STATUS', user_guid: 'USR-1' });
 * sender.close();
 * ```
 */
export class WebhookSender {
  private readonly queue: Delivery[] = [];
  private readonly inFlight = new Set<ClientRequest>();
  private closed = false;
  private counts = { delivered: 0, failedAttempts: 0, gaveUp: 0, dropped: 0 };

  constructor(
    private readonly config: ResolvedWebhooks,
    private readonly timers: TimerSet,
    private readonly log: (line: string) => void,
  ) {}

  /** What happened so far. */
  get stats(): WebhookStats {
    return { ...this.counts };
  }

  /** Queues a webhook for delivery. */
  send(hook: SandboxWebhook): void {
    if (this.closed) return;
    this.enqueue({ hook, body: JSON.stringify(hook), attempt: 0 });
  }

  /** Aborts every delivery in flight and forgets the queue (the timers go with the sandbox's TimerSet). */
  close(): void {
    this.closed = true;
    this.queue.length = 0;
    for (const req of this.inFlight) req.destroy();
    this.inFlight.clear();
  }

  private enqueue(delivery: Delivery): void {
    if (this.queue.length >= this.config.maxQueued) {
      const dropped = this.queue.shift();
      this.counts.dropped += 1;
      if (dropped) this.log(`webhook ${describe(dropped.hook)} dropped: ${this.config.maxQueued} deliveries waiting (webhooks.maxQueued)`);
    }
    this.queue.push(delivery);
    this.pump();
  }

  private pump(): void {
    while (!this.closed && this.inFlight.size < MAX_IN_FLIGHT) {
      const next = this.queue.shift();
      if (!next) return;
      this.attempt(next);
    }
  }

  private attempt(delivery: Delivery): void {
    const url = this.config.url;
    const headers: Record<string, string | number> = {
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(delivery.body),
      'User-Agent': 'mx-statements-rx-sandbox',
      'X-MX-Sandbox': 'mx-statements-rx',
    };
    if (this.config.authorization !== undefined) headers.Authorization = this.config.authorization;
    const options: RequestOptions = { method: 'POST', headers, agent: false };
    let settled = false;
    let cancelTimeout: () => void = () => undefined;
    const req = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, options);
    const done = (ok: boolean, what: string): void => {
      if (settled) return;
      settled = true;
      cancelTimeout();
      this.inFlight.delete(req);
      req.destroy();
      this.finished(delivery, ok, what);
      this.pump();
    };
    cancelTimeout = this.timers.after(this.config.timeoutMs, () => done(false, `no answer within ${this.config.timeoutMs} ms`));
    req.on('response', (res) => {
      res.on('error', () => done(false, 'the answer broke off'));
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        done(status >= 200 && status < 300, `HTTP ${status}`);
      });
      res.resume();
    });
    req.on('error', (error: NodeJS.ErrnoException) => done(false, error.code ?? 'network error'));
    this.inFlight.add(req);
    req.end(delivery.body);
  }

  private finished(delivery: Delivery, ok: boolean, what: string): void {
    const n = delivery.attempt + 1;
    if (ok) {
      this.counts.delivered += 1;
      this.log(`webhook ${describe(delivery.hook)} delivered: ${what} (attempt ${n})`);
      return;
    }
    this.counts.failedAttempts += 1;
    if (this.closed) return;
    const delay = this.config.retryDelaysMs[delivery.attempt];
    if (delay === undefined) {
      this.counts.gaveUp += 1;
      this.log(`webhook ${describe(delivery.hook)} failed: ${what} (attempt ${n}); giving up`);
      return;
    }
    this.log(`webhook ${describe(delivery.hook)} failed: ${what} (attempt ${n}); retrying in ${delay} ms`);
    this.timers.after(delay, () => this.enqueue({ ...delivery, attempt: n }));
  }
}

const describe = (hook: SandboxWebhook): string => `${hook.type} ${hook.member_guid}`;

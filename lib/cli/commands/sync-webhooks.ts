/**
 * `sync --webhook-port`: MX's webhook receiver for the duration of a sync. Its wakeups cut the members' poll waits
 * short (the state is still read from the API) and polling falls back to the slow failsafe pace; with the embedded
 * sandbox, the sandbox is told to deliver there (a password is made up when none was given).
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import type { Subscription } from 'rxjs';
import type { WebhookServer } from '../../node/webhooks/index.js';
import type { SandboxWebhookOptions } from '../../sandbox/options.js';
import type { FlagSpec } from '../args/spec.js';
import type { Redactor } from '../redact.js';
import type { Renderer } from '../render/renderer.js';
import { DEFAULT_WEBHOOK_PATH, DEFAULT_WEBHOOK_USERNAME, type WebhookSettings } from '../sync-options.js';

const WEBHOOK_GROUP = 'Webhooks (a receiver for the sync; MX, or the embedded sandbox, delivers there)';

/** `sync`'s webhook flags. */
export const WEBHOOK_FLAGS: ReadonlyArray<FlagSpec> = [
  {
    name: 'webhook-port',
    value: 'N',
    help: 'run the receiver on this port while the sync runs (0 picks one): webhooks wake the polls, which slow to a failsafe pace',
    default: 'no receiver',
    group: WEBHOOK_GROUP,
  },
  { name: 'webhook-host', value: 'HOST', help: "the receiver's interface (0.0.0.0 for MX's deliveries, behind your TLS proxy)", default: '127.0.0.1', group: WEBHOOK_GROUP },
  { name: 'webhook-path', value: 'PATH', help: 'the path it serves (other paths get 404)', default: DEFAULT_WEBHOOK_PATH, group: WEBHOOK_GROUP },
  { name: 'webhook-username', value: 'NAME', help: 'the Basic-auth user name MX delivers with', default: DEFAULT_WEBHOOK_USERNAME, group: WEBHOOK_GROUP },
  {
    name: 'webhook-password',
    value: 'PASSWORD',
    secret: true,
    help: 'the Basic-auth password MX delivers with; prefer the variable, flags show in ps',
    default: '$MX_WEBHOOK_PASSWORD, or made up with the embedded sandbox',
    group: WEBHOOK_GROUP,
  },
];

/** At most this many refused deliveries are shown one by one (all are counted). */
const SHOWN_REJECTIONS = 10;

/** A running receiver, as a sync uses it. */
export interface SyncWebhooks {
  readonly server: WebhookServer;
  /** What the embedded sandbox is given, to deliver to this receiver (with the embedded sandbox only). */
  readonly sandboxDelivery?: SandboxWebhookOptions;
  /** Shows where it listens (once the target line is out). */
  announce(): void;
  /** Deliveries received, redelivered and refused so far. */
  counts(): { readonly received: number; readonly duplicates: number; readonly rejected: number };
  /** Stops listening. Idempotent. */
  close(): Promise<void>;
}

/** `http://0.0.0.0:8080/x` → `http://127.0.0.1:8080/x`: the address a local sender reaches a wildcard listener on. */
const reachable = (url: string): string => {
  const u = new URL(url);
  if (u.hostname === '0.0.0.0') u.hostname = '127.0.0.1';
  else if (u.hostname === '[::]') u.hostname = '[::1]';
  return u.toString();
};

/**
 * Starts the receiver (`listenForWebhooks`) with `settings`; with the embedded sandbox (`sandbox`), makes up the
 * password when none was given and says where the sandbox should deliver. The password is registered with the
 * redactor before anything listens. Refused deliveries are shown (the first ten) and counted.
 *
 * @example
 * ```ts
 * import { startSyncWebhooks } from './sync-webhooks.js';
 * import type { Redactor } from '../redact.js';
 * import type { Renderer } from '../render/renderer.js';
 * declare const redactor: Redactor;
 * declare const renderer: Renderer;
 *
 * const hooks = await startSyncWebhooks({ port: 0, host: '127.0.0.1', path: '/mx/webhooks', username: 'mx' }, true, redactor, renderer);
 * // … fetchStatementsForMany$(client, 'all-members', { wakeups: hooks.server.wakeups$ }) …
 * await hooks.close();
 * ```
 */
export const startSyncWebhooks = async (
  settings: WebhookSettings,
  sandbox: boolean,
  redactor: Redactor,
  renderer: Renderer,
): Promise<SyncWebhooks> => {
  const password = settings.password ?? randomBytes(24).toString('base64url');
  redactor.add(password);
  const { listenForWebhooks } = await import('../../node/webhooks/index.js');
  const server = await listenForWebhooks({ port: settings.port, host: settings.host, path: settings.path, username: settings.username, password });
  let shown = 0;
  const refusals: Subscription = server.rejections$.subscribe((r) => {
    shown += 1;
    if (shown <= SHOWN_REJECTIONS) renderer.note({ kind: 'fail', text: `A webhook delivery was refused: ${r.status} ${r.reason}${shown === SHOWN_REJECTIONS ? ' (further refusals are only counted)' : ''}` });
  });
  let closing: Promise<void> | undefined;
  const delivery = reachable(server.url);
  return {
    server,
    ...(sandbox ? { sandboxDelivery: { url: delivery, username: settings.username, password } } : {}),
    announce: () => renderer.note({
      kind: 'progress',
      text: sandbox
        ? `Webhooks: receiving at ${server.url}; the embedded sandbox delivers there`
        : `Webhooks: receiving at ${server.url} (as ${settings.username}); MX must deliver there, through your TLS proxy`,
    }),
    counts: () => {
      const s = server.stats();
      return { received: s.received, duplicates: s.duplicates, rejected: s.rejected };
    },
    close: () => {
      closing ??= (async () => {
        refusals.unsubscribe();
        await server.close();
      })();
      return closing;
    },
  };
};

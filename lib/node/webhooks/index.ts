/**
 * The webhook receiver (Node): MX's STATEMENT, AGGREGATION and CONNECTION_STATUS webhooks as typed events and
 * as the workflow's wakeups. The codecs themselves (`lib/codecs/webhooks.ts`) use no Node API; they are exported
 * here, beside the receiver, because webhooks arrive at servers: the browser bundle of the core does not carry them.
 *
 * @module
 */
export {
  StatementWebhook, AggregationWebhook, ConnectionStatusWebhook, KNOWN_WEBHOOK_TYPES, decodeWebhook, parseWebhook,
  webhookDeliveryKey, webhookWakeup, type WebhookEvent,
} from '../../codecs/webhooks.js';
export { basicAuthChecker } from './basic-auth.js';
export {
  createWebhookReceiver, WEBHOOK_DEFAULTS,
  type WebhookReceiver, type WebhookReceiverOptions, type WebhookRejection, type WebhookReceiverStats,
} from './receiver.js';
export { listenForWebhooks, type WebhookServer, type WebhookServerOptions } from './server.js';

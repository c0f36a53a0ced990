/**
 * The webhook receiver (Node): MX's STATEMENT, AGGREGATION and CONNECTION_STATUS webhooks as typed events and
 * as the workflow's wakeups.
 *
 * @module
 */
export { basicAuthChecker } from './basic-auth.js';
export {
  createWebhookReceiver, WEBHOOK_DEFAULTS,
  type WebhookReceiver, type WebhookReceiverOptions, type WebhookRejection, type WebhookReceiverStats,
} from './receiver.js';
export { listenForWebhooks, type WebhookServer, type WebhookServerOptions } from './server.js';

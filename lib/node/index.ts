/**
 * mx-statements-rx/node — the Node-only parts: the disk sink for statement PDFs (and its own error,
 * `FileSystemError`), a native SHA-256 and a fetch on `node:http` for downloads, the webhook receiver, and many
 * workers on BullMQ + Redis. `spec/dist/surface.spec.ts` pins this list.
 *
 * @packageDocumentation
 */

// ---- the disk sink ---------------------------------------------------------------------------------------------
export { writeStatements, type FileStatementSink } from './sink.js';
export type { WriteStatementsOptions } from './context.js';
export { isFileSystemError, type FileSystemError } from './fs-error.js';
export { readManifest, type Manifest, type ManifestEntry, type ManifestRead } from './manifest.js';
export { nodeSha256 } from './hash.js';
export { nodeFetch } from './node-fetch.js';

// ---- webhooks --------------------------------------------------------------------------------------------------
export {
  decodeWebhook, parseWebhook, webhookWakeup, webhookDeliveryKey,
  type WebhookEvent, type StatementWebhook, type AggregationWebhook, type ConnectionStatusWebhook,
} from '../codecs/webhooks.js';
export {
  createWebhookReceiver,
  type WebhookReceiver, type WebhookReceiverOptions, type WebhookRejection, type WebhookReceiverStats,
} from './webhooks/receiver.js';
export { listenForWebhooks, type WebhookServer, type WebhookServerOptions } from './webhooks/server.js';

// ---- many workers (BullMQ + Redis, optional peers) -------------------------------------------------------------
export { MissingQueuePeersError, type RedisScripting } from './queue/peers.js';
export type { SyncQueueLocation } from './queue/names.js';
export { createRedisRateLimiter, type RedisRateLimiter, type RedisRateLimiterOptions } from './queue/redis-rate-limiter.js';
export { enqueueMembers, type EnqueueMembersOptions, type EnqueuedRun, type SyncJobData } from './queue/enqueue.js';
export { startSyncWorker, type SyncWorker, type SyncWorkerOptions } from './queue/worker.js';
export {
  watchSyncRun, type FleetItem, type FleetMemberDone, type FleetProgress, type FleetSummary, type WatchSyncRunOptions,
} from './queue/watch.js';
export type { FleetMemberOutcome } from './queue/outcome.js';

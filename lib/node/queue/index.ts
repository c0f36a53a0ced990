/**
 * Many workers on BullMQ + Redis (Node): queue the members of a run, process them in any number of processes
 * under one shared rate limit, and follow the whole fleet. BullMQ and ioredis are optional peers, loaded when used.
 *
 * @module
 */
export { MissingQueuePeersError, type RedisScripting } from './peers.js';
export { DEFAULT_SYNC_QUEUE, type SyncQueueLocation } from './names.js';
export { createRedisRateLimiter, redisSlotClock, type RedisRateLimiter, type RedisRateLimiterOptions } from './redis-rate-limiter.js';
export { enqueueMembers, newRunId, type EnqueueMembersOptions, type EnqueuedRun, type SyncJobData } from './enqueue.js';
export { startSyncWorker, type SyncWorker, type SyncWorkerOptions } from './worker.js';
export { watchSyncRun, type FleetItem, type FleetMemberDone, type FleetProgress, type FleetSummary, type WatchSyncRunOptions } from './watch.js';
export type { FleetMemberOutcome } from './outcome.js';

/**
 * The flags `sync` and `worker` share: freshness and where the fleet meets.
 *
 * @module
 */
import type { FlagSpec } from '../args/spec.js';
import { DEFAULT_QUEUE_NAME } from '../sync-options.js';

/** The help heading of the batch flags. */
export const BATCH_GROUP = 'Batch';
/** The help heading of the queue flags. */
export const QUEUE_GROUP = 'Many workers (BullMQ + Redis; npm install bullmq ioredis)';

/** `--max-age`. */
export const MAX_AGE_FLAG: FlagSpec = {
  name: 'max-age',
  value: 'DURATION',
  help: "skip the statements job of a member whose last one is younger (e.g. 20h): list it and fill the gaps only",
  default: 'every member runs its job',
  group: BATCH_GROUP,
};

/** `--queue-name`. */
export const QUEUE_NAME_FLAG: FlagSpec = {
  name: 'queue-name',
  value: 'NAME',
  help: 'the queue in that Redis; sync and its workers give the same one',
  default: DEFAULT_QUEUE_NAME,
  group: QUEUE_GROUP,
};

/** `sync`'s `--queue`, `--queue-name`. */
export const QUEUE_FLAGS: ReadonlyArray<FlagSpec> = [
  {
    name: 'queue',
    value: 'URL',
    help: 'queue the members in Redis (redis://HOST:PORT) for "mx-statements worker" processes; show the whole fleet\'s progress',
    default: 'run them here',
    group: QUEUE_GROUP,
  },
  QUEUE_NAME_FLAG,
];

/**
 * Deterministic MX-style guids: `PREFIX-` + 32 lowercase hex digits, from the seed and a counter per prefix.
 *
 * @module
 */
import { createHash } from 'node:crypto';

/** The guid prefixes the sandbox mints. */
export type GuidPrefix = 'USR' | 'MBR' | 'JOB' | 'CRD' | 'INS';

/**
 * Mints guids: the n-th guid of a prefix depends only on the seed, the prefix and n.
 *
 * @example
 * ```ts
 * import { createIdFactory } from './ids.js';
 *
 * const ids = createIdFactory('seed');
 * ids.next('USR'); // 'USR-' + 32 hex, the same for every sandbox seeded 'seed'
 * ```
 */
export interface IdFactory {
  /** The next guid of this prefix in the sequence. */
  next(prefix: GuidPrefix): string;
}

/**
 * A guid that depends only on its prefix and key (used for the fixed catalogue: institutions, credentials).
 *
 * @example
 * ```ts
 * import { stableGuid } from './ids.js';
 *
 * stableGuid('CRD', 'mxbank', 'LOGIN'); // always the same
 * ```
 */
export function stableGuid(prefix: GuidPrefix, ...key: ReadonlyArray<string>): string {
  const hex = createHash('sha256').update(['catalog', prefix, ...key].join('\u0000')).digest('hex');
  return `${prefix}-${hex.slice(0, 32)}`;
}

/**
 * Creates an {@link IdFactory} for a seed.
 *
 * @example
 * ```ts
 * import { createIdFactory } from './ids.js';
 *
 * createIdFactory('a').next('MBR') === createIdFactory('a').next('MBR'); // true
 * ```
 */
export function createIdFactory(seed: string): IdFactory {
  const counters = new Map<GuidPrefix, number>();
  return {
    next(prefix) {
      const n = (counters.get(prefix) ?? 0) + 1;
      counters.set(prefix, n);
      const hex = createHash('sha256').update([seed, prefix, String(n)].join('\u0000')).digest('hex');
      return `${prefix}-${hex.slice(0, 32)}`;
    },
  };
}

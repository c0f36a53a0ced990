/**
 * The fault picker: a seeded fraction of requests gets one of the enabled fault kinds.
 *
 * @module
 */
import type { FaultKind, ResolvedFaults } from './options.js';
import { seededRandom } from './prng.js';

/**
 * Decides, request by request, whether and how to misbehave. Two draws are made for every request it is asked
 * about, so the same seed and the same order of requests give the same faults.
 *
 * @example
 * ```ts
 * import { FaultPicker } from './faults.js';
 *
 * const picker = new FaultPicker({ rate: 1, kinds: ['503'], slowMs: 2000, retryAfterSeconds: 1 }, 'seed');
 * picker.pick(false); // '503'
 * ```
 */
export class FaultPicker {
  private readonly random: () => number;

  constructor(private readonly faults: ResolvedFaults | undefined, seed: string) {
    this.random = seededRandom(seed, 'faults');
  }

  /** The fault for this request, if any. `'truncate'` applies only to PDF downloads. */
  pick(isPdf: boolean): FaultKind | undefined {
    if (!this.faults) return undefined;
    const hit = this.random() < this.faults.rate;
    const which = this.random();
    if (!hit) return undefined;
    const kinds = this.faults.kinds.filter((k) => k !== 'truncate' || isPdf);
    return kinds[Math.floor(which * kinds.length)];
  }
}

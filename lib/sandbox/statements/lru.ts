/**
 * A minimal bounded LRU map (insertion order of a `Map`, refreshed on read).
 *
 * @module
 */

/**
 * Keeps at most `capacity` entries, evicting the least recently used.
 *
 * @example
 * ```ts
 * import { LruCache } from './lru.js';
 *
 * const cache = new LruCache<string, number>(2);
 * cache.set('a', 1); cache.set('b', 2); cache.get('a'); cache.set('c', 3);
 * cache.has('b'); // false: 'b' was the least recently used
 * ```
 */
export class LruCache<K, V> {
  readonly #entries = new Map<K, V>();

  constructor(readonly capacity: number) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) throw new RangeError(`LRU capacity must be >= 1: ${capacity}`);
  }

  /** Number of entries held. */
  get size(): number {
    return this.#entries.size;
  }

  /** Whether `key` is held (does not refresh it). */
  has(key: K): boolean {
    return this.#entries.has(key);
  }

  /** The value for `key`, marking it most recently used. */
  get(key: K): V | undefined {
    if (!this.#entries.has(key)) return undefined;
    const value = this.#entries.get(key) as V;
    this.#entries.delete(key);
    this.#entries.set(key, value);
    return value;
  }

  /** Stores `value` as most recently used, evicting the oldest entry when over capacity. */
  set(key: K, value: V): this {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    for (const oldest of this.#entries.keys()) {
      if (this.#entries.size <= this.capacity) break;
      this.#entries.delete(oldest);
    }
    return this;
  }

  /** Removes `key`; true when it was held. */
  delete(key: K): boolean {
    return this.#entries.delete(key);
  }

  /** Removes every entry. */
  clear(): void {
    this.#entries.clear();
  }
}

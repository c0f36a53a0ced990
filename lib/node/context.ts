/**
 * What `save$` and `has$` share: the output folder, the options, and the set of jobs still running.
 *
 * @module
 */
import { DEFAULT_HIGH_WATER_MARK } from './chunk-writer.js';

/**
 * Options of `writeStatements`.
 *
 * @example
 * ```ts
 * import { writeStatements, type WriteStatementsOptions } from 'mx-statements-rx/node';
 * const options: WriteStatementsOptions = { fsync: false, highWaterMark: 256 * 1024 };
 * const sink = writeStatements('./statements', options);
 * ```
 */
export interface WriteStatementsOptions {
  /**
   * fsync each PDF, the manifest and their folder before reporting them saved (default `true`). Turning it off
   * is faster and still atomic, but a power cut may lose what was reported saved.
   */
  readonly fsync?: boolean;
  /**
   * Bytes a download may have waiting in memory for the disk (default 64 KiB, about one network chunk). Past it,
   * writes turn synchronous and so slow the producer down. A larger queue raises peak memory by more than its
   * size: queued chunks outlive young-generation collections and wait for a full one.
   */
  readonly highWaterMark?: number;
  /** The clock for `saved_at` in the manifest (default `() => new Date()`). */
  readonly now?: () => Date;
}

/** The resolved sink state. */
export interface SinkContext {
  /** The output folder, absolute. */
  readonly root: string;
  readonly fsync: boolean;
  readonly highWaterMark: number;
  readonly now: () => Date;
  /** Keeps `job` in the running set until it settles. */
  track(job: Promise<void>): void;
  /** Resolves once no job is running (including clean-up after an unsubscribe). */
  idle(): Promise<void>;
}

/** Builds the context for an absolute `root`. */
export const sinkContext = (root: string, options: WriteStatementsOptions): SinkContext => {
  const running = new Set<Promise<void>>();
  return {
    root,
    fsync: options.fsync ?? true,
    highWaterMark: options.highWaterMark ?? DEFAULT_HIGH_WATER_MARK,
    now: options.now ?? (() => new Date()),
    track: (job) => {
      const settled = job.catch(() => undefined);
      running.add(settled);
      void settled.then(() => running.delete(settled));
    },
    idle: async () => {
      while (running.size > 0) await Promise.all([...running]);
    },
  };
};

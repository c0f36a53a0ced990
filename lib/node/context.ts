/**
 * What `save$` and `has$` share: the output folder, the options, and the set of jobs still running.
 *
 * @module
 */
import { DEFAULT_HIGH_WATER_MARK } from './chunk-writer.js';
import { sweepStaleTemps } from './stale-temps.js';

/** Temp files whose writer cannot be checked are left over from a crash once untouched this long (see `staleTempMs`). */
export const DEFAULT_STALE_TEMP_MS = 60 * 60_000;

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
  /**
   * Temp files (`.<statement>.pdf.<writer>.part`) a killed run left in a member's folder are deleted the first time
   * this sink touches that folder (a lookup or a save): at once when their writer is gone (the name records its
   * host, pid and start time, checked against the running processes), and — for a writer that cannot be checked
   * (another host sharing the folder, or an earlier version's file) — once last written more than this many ms
   * ago by the wall clock (default 1 hour). A live download's temp file is written at least once per chunk timeout
   * after its first byte, and before it waits at most its attempts' timeouts and retry delays (minutes): keep
   * this well above that when another host may share the folder. `Infinity` turns the age rule off; files of a
   * writer known to be gone are deleted whatever it says.
   */
  readonly staleTempMs?: number;
}

/** The resolved sink state. */
export interface SinkContext {
  /** The output folder, absolute. */
  readonly root: string;
  readonly fsync: boolean;
  readonly highWaterMark: number;
  readonly now: () => Date;
  /** Deletes left-over temp files in `memberDir`, once per folder for this sink (see `staleTempMs`). */
  sweepOnce(memberDir: string): Promise<void>;
  /** Keeps `job` in the running set until it settles. */
  track(job: Promise<void>): void;
  /** Resolves once no job is running (including clean-up after an unsubscribe). */
  idle(): Promise<void>;
}

/** Builds the context for an absolute `root`. */
export const sinkContext = (root: string, options: WriteStatementsOptions): SinkContext => {
  const running = new Set<Promise<void>>();
  const swept = new Map<string, Promise<void>>();
  const staleTempMs = options.staleTempMs ?? DEFAULT_STALE_TEMP_MS;
  if (typeof staleTempMs !== 'number' || Number.isNaN(staleTempMs) || staleTempMs < 0) {
    throw new RangeError(`writeStatements: staleTempMs must be a number of ms ≥ 0 (or Infinity), got ${String(staleTempMs)}`);
  }
  const now = options.now ?? (() => new Date());
  return {
    root,
    fsync: options.fsync ?? true,
    highWaterMark: options.highWaterMark ?? DEFAULT_HIGH_WATER_MARK,
    now,
    sweepOnce: (memberDir) => {
      let sweep = swept.get(memberDir);
      if (sweep === undefined) {
        sweep = sweepStaleTemps(memberDir, staleTempMs, Date.now()).then(() => undefined);
        swept.set(memberDir, sweep);
      }
      return sweep;
    },
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

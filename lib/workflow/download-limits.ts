/**
 * What a PDF download must satisfy besides its checks: a usable `content_hash` (unless the run opts out), a size
 * cap, a bound on its total time and a minimum throughput. Part of `DownloadOptions`.
 *
 * @module
 */
import type { MxError } from '../core/errors.js';
import { optionNumber } from '../core/option-number.js';

/**
 * The safety options of a download (fields of `DownloadOptions`).
 *
 * @example
 * ```ts
 * import type { DownloadSafetyOptions } from 'mx-statements-rx';
 * const strict: DownloadSafetyOptions = { maxPdfBytes: 64 * 1024 * 1024, maxDownloadMs: 5 * 60_000, minBytesPerSecond: 4096 };
 * ```
 */
export interface DownloadSafetyOptions {
  /**
   * Refuse a statement whose `content_hash` is missing, null, empty or not 64 hex digits: `IntegrityError`
   * (`reason: 'unverified'`), nothing requested, nothing kept. Default `true`. With `false` such a PDF is still
   * checked (`%PDF-`, length) and kept, marked `unverified: true` in its `statement-downloaded` event and in the
   * sink (the disk sink's manifest says `verified: false`); a later run that gets a hash re-verifies it.
   */
  readonly requireContentHash?: boolean;
  /**
   * The largest PDF accepted, in bytes as decoded (a compressed body counts its decoded size). An announced
   * `Content-Length` above it fails with the first chunk; a body that grows past it fails there. Default 256 MiB;
   * `Infinity` turns the cap off.
   */
  readonly maxPdfBytes?: number;
  /**
   * The longest one download may take from its first byte to its last (the wait for an answer before it — the
   * rate limiter, a 429's `Retry-After` — does not count). Default 30 minutes; `Infinity` turns it off.
   */
  readonly maxDownloadMs?: number;
  /**
   * The least throughput accepted, checked over each {@link DownloadSafetyOptions.throughputWindowMs} since the
   * first byte arrived: a window that brought fewer than `minBytesPerSecond × window` bytes ends it (a trickle of one
   * byte every few seconds fails after the first window). Default 1024 bytes per second; `0` turns it off.
   */
  readonly minBytesPerSecond?: number;
  /** The window of the throughput check. Default 30 s. */
  readonly throughputWindowMs?: number;
}

/**
 * The defaults of {@link DownloadSafetyOptions}.
 *
 * @example
 * ```ts
 * import { DEFAULT_DOWNLOAD_SAFETY } from './download-limits.js';
 * DEFAULT_DOWNLOAD_SAFETY.maxPdfBytes; // 268435456 (256 MiB)
 * ```
 */
export const DEFAULT_DOWNLOAD_SAFETY: Required<DownloadSafetyOptions> = {
  requireContentHash: true,
  maxPdfBytes: 256 * 1024 * 1024,
  maxDownloadMs: 30 * 60_000,
  minBytesPerSecond: 1024,
  throughputWindowMs: 30_000,
};

/** The resolved safety settings of a run's downloads. */
export type ResolvedDownloadSafety = Required<DownloadSafetyOptions>;

const bound = (name: string, v: number | undefined, fallback: number, min: number, infinite: boolean): number =>
  optionNumber(`download.${name}`, v, fallback, { min, infinite });

/** Applies the defaults and validates; throws a `RangeError`/`TypeError` naming the option (a bug in the caller). */
export const resolveDownloadSafety = (o: DownloadSafetyOptions): ResolvedDownloadSafety => {
  if (o.requireContentHash !== undefined && typeof o.requireContentHash !== 'boolean') {
    throw new TypeError(`download.requireContentHash: must be a boolean, got ${String(o.requireContentHash)}`);
  }
  const d = DEFAULT_DOWNLOAD_SAFETY;
  return {
    requireContentHash: o.requireContentHash ?? d.requireContentHash,
    maxPdfBytes: bound('maxPdfBytes', o.maxPdfBytes, d.maxPdfBytes, 1, true),
    maxDownloadMs: bound('maxDownloadMs', o.maxDownloadMs, d.maxDownloadMs, 1, true),
    minBytesPerSecond: bound('minBytesPerSecond', o.minBytesPerSecond, d.minBytesPerSecond, 0, false),
    throughputWindowMs: bound('throughputWindowMs', o.throughputWindowMs, d.throughputWindowMs, 1, false),
  };
};

/**
 * The SHA-256 a statement's PDF must have: its `content_hash` trimmed and lower-cased when it is 64 hex digits,
 * else `undefined` (missing, null, empty or malformed: the PDF cannot be verified).
 *
 * @example
 * ```ts
 * import { usableContentHash } from './download-limits.js';
 * usableContentHash({ content_hash: ' ABC ' }); // undefined
 * usableContentHash({ content_hash: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' }); // the same, lower case
 * ```
 */
export const usableContentHash = (statement: { readonly content_hash?: string | null | undefined }): string | undefined => {
  const raw = statement.content_hash;
  if (typeof raw !== 'string') return undefined;
  const hash = raw.trim().toLowerCase();
  return /^[0-9a-f]{64}$/.test(hash) ? hash : undefined;
};

/**
 * Whether a PDF download's own failure may pass on another attempt: bytes that failed their checks on the way
 * (cut short, corrupted; not a refusal for want of a `content_hash`, which would only repeat), or a download too
 * slow or too long (a busy server or network; not one past the size cap, which would be refused again). The
 * download step retries these; a batch counts them as transient.
 *
 * @example
 * ```ts
 * import { isRetryableDownloadFailure } from './download-limits.js';
 * isRetryableDownloadFailure({ _tag: 'DownloadLimitExceeded', method: 'GET', path: '/x.pdf', message: '', limit: 'throughput', receivedBytes: 12, elapsedMs: 500 }); // true
 * ```
 */
export const isRetryableDownloadFailure = (e: MxError): boolean =>
  (e._tag === 'IntegrityError' && e.reason !== 'unverified') || (e._tag === 'DownloadLimitExceeded' && e.limit !== 'size');

/**
 * Verification of a downloaded PDF as it streams: signature, length, SHA-256 against `content_hash`, and the
 * download's bounds (size, total time, throughput).
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import { Observable, asyncScheduler, interval, timer, type SchedulerLike } from 'rxjs';
import type { Statement } from '../codecs/index.js';
import { integrityError, type DownloadLimitExceeded, type IntegrityError, type MxError, type RequestRef } from '../core/errors.js';
import type { HasherFactory } from '../core/sha256.js';
import type { ByteChunk } from '../http/transport.js';
import { resolveDownloadSafety, usableContentHash, type DownloadSafetyOptions } from './download-limits.js';
import type { DownloadEvent } from './sink.js';
import type { MxObservable } from '../core/observable-either.js';

const PDF_MAGIC = [0x25, 0x50, 0x44, 0x46, 0x2d]; // "%PDF-"

const integrity = (
  ref: RequestRef,
  statementGuid: string,
  reason: IntegrityError['reason'],
  message: string,
  expected?: string | number,
  actual?: string | number,
): IntegrityError => integrityError(ref, reason, `${ref.method} ${ref.path}: ${message}`, { statementGuid, expected, actual });

/**
 * Options of {@link verifyPdf$}: the content-hash requirement and the bounds of the download (defaults:
 * `DEFAULT_DOWNLOAD_SAFETY`), and the scheduler their timers run on.
 *
 * @example
 * ```ts
 * import { asyncScheduler } from 'rxjs';
 * import type { VerifyOptions } from './verify.js';
 * const options: VerifyOptions = { maxPdfBytes: 64 * 1024 * 1024, minBytesPerSecond: 4096, scheduler: asyncScheduler };
 * ```
 */
export interface VerifyOptions extends DownloadSafetyOptions {
  /** Where the time bounds run. Default `asyncScheduler`. */
  readonly scheduler?: SchedulerLike;
}

/**
 * Turns a PDF download (`statements.pdf$`) into the sink's {@link DownloadEvent} stream: each chunk once the
 * first 5 bytes proved `%PDF-` (earlier ones are held back until then), and at the end exactly one `verified`
 * — only if the body was complete (its `Content-Length`, when sent) and its SHA-256 equals `content_hash`
 * (case-insensitive). A statement without a usable `content_hash` (missing, null, empty, not 64 hex digits) is
 * refused before anything is requested — `IntegrityError` `unverified` — unless `requireContentHash: false`,
 * which checks the rest and ends with `verified` marked `unverified: true`. The download is bounded: a body past
 * `maxPdfBytes` (an announced `Content-Length` past it fails on the first chunk), one that takes longer than
 * `maxDownloadMs`, or one slower than `minBytesPerSecond` over a `throughputWindowMs` ends with
 * `DownloadLimitExceeded`; both time bounds run from the first byte (not from the request, which may wait for
 * the rate limiter or a 429's `Retry-After`). Any failure is one final `Left` (with the statement guid) and the download is
 * cancelled. Cold; one download per subscription.
 *
 * @example
 * ```ts
 * import { verifyPdf$ } from './verify.js';
 * import { createSha256 } from '../core/sha256.js';
 * // verifyPdf$(client.statements.pdf$(ref), statement, createSha256, { method: 'GET', path: '/…/STA-1.pdf' })
 * //   .subscribe((e) => …);  // Right(chunk)…, Right({ kind: 'verified', bytes, sha256 }) | Left(IntegrityError)
 * ```
 */
export const verifyPdf$ = (
  bytes$: MxObservable<ByteChunk>,
  statement: Pick<Statement, 'guid' | 'content_hash'>,
  hasher: HasherFactory,
  ref: RequestRef,
  options: VerifyOptions = {},
): MxObservable<DownloadEvent> =>
  new Observable<E.Either<MxError, DownloadEvent>>((subscriber) => {
    const limits = resolveDownloadSafety(options);
    const scheduler = options.scheduler ?? asyncScheduler;
    const expectedHash = usableContentHash(statement);
    const reject = (e: MxError) => {
      if (subscriber.closed) return;
      const tagged = (e._tag === 'IntegrityError' || e._tag === 'DownloadLimitExceeded') && e.statementGuid === undefined
        ? { ...e, statementGuid: statement.guid }
        : e;
      subscriber.next(E.left(tagged));
      subscriber.complete();
    };
    if (expectedHash === undefined && limits.requireContentHash) {
      reject(unverifiedRefusal(ref, statement));
      return undefined;
    }

    const hash = hasher();
    const held: ByteChunk[] = [];
    const head: number[] = [];
    let signed = false;
    let received = 0;
    let contentLength: number | undefined;
    /** When the first byte arrived: the time bounds run from there, not from the request (see `startClocks`). */
    let started: number | undefined;

    const overLimit = (limit: DownloadLimitExceeded['limit'], text: string, extra: Partial<DownloadLimitExceeded>): DownloadLimitExceeded => ({
      _tag: 'DownloadLimitExceeded',
      method: ref.method,
      path: ref.path,
      limit,
      statementGuid: statement.guid,
      receivedBytes: received,
      elapsedMs: started === undefined ? 0 : scheduler.now() - started,
      message: `${ref.method} ${ref.path}: ${text}`,
      ...extra,
    });

    const pass = (c: ByteChunk) =>
      subscriber.next(E.right({
        kind: 'chunk',
        bytes: c.bytes,
        received: c.received,
        ...(c.contentLength !== undefined ? { contentLength: c.contentLength } : {}),
      }));

    // The time bounds, on the scheduler, from the first byte: time spent before it — waiting for the rate limiter,
    // sleeping out a 429's Retry-After, retried attempts — is not the download's (the transport's timeout covers
    // an answer that never comes). Torn down with the subscription (any end, or unsubscribe).
    const startClocks = () => {
      started = scheduler.now();
      if (Number.isFinite(limits.maxDownloadMs)) {
        subscriber.add(timer(limits.maxDownloadMs, scheduler).subscribe(() =>
          reject(overLimit('duration', `the download took longer than ${limits.maxDownloadMs} ms from its first byte (${received} bytes received)`, { maxDurationMs: limits.maxDownloadMs }))));
      }
      if (limits.minBytesPerSecond > 0) {
        const windowMs = limits.throughputWindowMs;
        const needed = (limits.minBytesPerSecond * windowMs) / 1000;
        let atWindowStart = 0;
        subscriber.add(interval(windowMs, scheduler).subscribe(() => {
          const got = received - atWindowStart;
          atWindowStart = received;
          if (got < needed) {
            reject(overLimit('throughput', `only ${got} bytes arrived in ${windowMs} ms, less than the minimum ${limits.minBytesPerSecond} bytes per second`,
              { minBytesPerSecond: limits.minBytesPerSecond, windowMs }));
          }
        }));
      }
    };

    const source = bytes$.subscribe({
      next: (r) => {
        if (subscriber.closed) return;
        if (E.isLeft(r)) {
          const e = r.left;
          // A body that stalls or breaks off short of its Content-Length is a truncated PDF, whatever the
          // transport saw (node-fetch 2 may not report a destroyed connection: the chunk timeout fires instead).
          const cut = (e._tag === 'Timeout' || e._tag === 'NetworkError') && received > 0 &&
            contentLength !== undefined && received < contentLength;
          reject(cut ? integrity(ref, statement.guid, 'truncated', `body broke off after ${received} of ${contentLength} bytes (${e.message})`, contentLength, received) : e);
          return;
        }
        const c = r.right;
        if (started === undefined) startClocks();
        received += c.bytes.byteLength;
        contentLength = c.contentLength;
        if (contentLength !== undefined && contentLength > limits.maxPdfBytes) {
          reject(overLimit('size', `the server announced ${contentLength} bytes, more than the cap of ${limits.maxPdfBytes}`,
            { maxBytes: limits.maxPdfBytes, announcedBytes: contentLength }));
          return;
        }
        if (received > limits.maxPdfBytes) {
          reject(overLimit('size', `the body grew past the cap of ${limits.maxPdfBytes} bytes`, { maxBytes: limits.maxPdfBytes }));
          return;
        }
        hash.update(c.bytes);
        if (signed) {
          pass(c);
          return;
        }
        for (let i = 0; i < c.bytes.byteLength && head.length < PDF_MAGIC.length; i++) head.push(c.bytes[i]!);
        held.push(c);
        if (head.length < PDF_MAGIC.length) return;
        if (!PDF_MAGIC.every((b, i) => head[i] === b)) {
          reject(integrity(ref, statement.guid, 'not-pdf', 'the body does not start with %PDF-', '%PDF-', printable(head)));
          return;
        }
        signed = true;
        for (const h of held.splice(0)) pass(h);
      },
      error: (err: unknown) => subscriber.error(err),
      complete: () => {
        if (subscriber.closed) return;
        if (!signed) {
          reject(integrity(ref, statement.guid, 'not-pdf', `the body has ${received} bytes and no %PDF- signature`, '%PDF-', printable(head)));
          return;
        }
        if (contentLength !== undefined && received !== contentLength) {
          reject(integrity(ref, statement.guid, 'truncated', `received ${received} of ${contentLength} bytes`, contentLength, received));
          return;
        }
        const sha256 = hash.digest();
        if (expectedHash !== undefined && sha256 !== expectedHash) {
          reject(integrity(ref, statement.guid, 'hash-mismatch', `SHA-256 ${sha256} differs from content_hash ${expectedHash}`, expectedHash, sha256));
          return;
        }
        subscriber.next(E.right({ kind: 'verified', bytes: received, sha256, ...(expectedHash === undefined ? { unverified: true as const } : {}) }));
        subscriber.complete();
      },
    });
    subscriber.add(source);
    return undefined;
  });

/**
 * The refusal of a statement without a usable `content_hash` (missing, null, empty, or not 64 hex digits) when
 * the run requires one: `IntegrityError` `unverified`, naming what MX sent (shown safely).
 *
 * @example
 * ```ts
 * import { unverifiedRefusal } from './verify.js';
 * unverifiedRefusal({ method: 'GET', path: '/…/STA-1.pdf' }, { guid: 'STA-1', content_hash: null }).reason; // 'unverified'
 * ```
 */
export const unverifiedRefusal = (ref: RequestRef, statement: Pick<Statement, 'guid' | 'content_hash'>): IntegrityError => {
  const raw = statement.content_hash;
  const what = raw === undefined || raw === null ? 'no content_hash'
    : raw.trim() === '' ? 'an empty content_hash' : 'a content_hash that is not a SHA-256 (64 hex digits)';
  return integrity(ref, statement.guid, 'unverified',
    `MX sent ${what}, so the PDF cannot be verified; refused (download.requireContentHash: false keeps such PDFs, marked unverified)`,
    'SHA-256 content_hash', printableHash(raw));
};

const printable = (bytes: ReadonlyArray<number>): string =>
  bytes.map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');

/** A hostile `content_hash` shown safely: printable ASCII only, at most 80 characters. */
const printableHash = (hash: string | null | undefined): string =>
  hash === undefined ? 'none' : hash === null ? 'null' : JSON.stringify(printable([...hash.slice(0, 80)].map((ch) => ch.charCodeAt(0))));

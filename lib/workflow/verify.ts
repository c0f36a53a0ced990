/**
 * Verification of a downloaded PDF as it streams: signature, length, SHA-256 against `content_hash`.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import { Observable } from 'rxjs';
import type { Statement } from '../codecs/index.js';
import { integrityError, type IntegrityError, type MxError, type RequestRef } from '../core/errors.js';
import type { HasherFactory } from '../core/sha256.js';
import type { ByteChunk } from '../http/transport.js';
import type { DownloadEvent } from './sink.js';

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
 * Turns a PDF download (`statements.pdf$`) into the sink's {@link DownloadEvent} stream: each chunk once the
 * first 5 bytes proved `%PDF-` (earlier ones are held back until then), and at the end exactly one `verified`
 * — only if the body was complete (its `Content-Length`, when sent) and its SHA-256 equals `content_hash`
 * (case-insensitive; the check is skipped when MX sent none). Any failure is one final `Left(IntegrityError)`
 * (with the statement guid) and the download is cancelled. Cold; one download per subscription.
 *
 * @example
 * ```ts
 * import { createSha256, verifyPdf$ } from 'mx-statements-rx';
 * // verifyPdf$(client.statements.pdf$(ref), statement, createSha256, { method: 'GET', path: '/…/STA-1.pdf' })
 * //   .subscribe((e) => …);  // Right(chunk)…, Right({ kind: 'verified', bytes, sha256 }) | Left(IntegrityError)
 * ```
 */
export const verifyPdf$ = (
  bytes$: Observable<E.Either<MxError, ByteChunk>>,
  statement: Pick<Statement, 'guid' | 'content_hash'>,
  hasher: HasherFactory,
  ref: RequestRef,
): Observable<E.Either<MxError, DownloadEvent>> =>
  new Observable<E.Either<MxError, DownloadEvent>>((subscriber) => {
    const hash = hasher();
    const held: ByteChunk[] = [];
    const head: number[] = [];
    let signed = false;
    let received = 0;
    let contentLength: number | undefined;
    const expectedHash = statement.content_hash ? statement.content_hash.trim().toLowerCase() : undefined;

    const reject = (e: MxError) => {
      subscriber.next(E.left(e._tag === 'IntegrityError' && e.statementGuid === undefined ? { ...e, statementGuid: statement.guid } : e));
      subscriber.complete();
    };
    const pass = (c: ByteChunk) =>
      subscriber.next(E.right({
        kind: 'chunk',
        bytes: c.bytes,
        received: c.received,
        ...(c.contentLength !== undefined ? { contentLength: c.contentLength } : {}),
      }));

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
        hash.update(c.bytes);
        received += c.bytes.byteLength;
        contentLength = c.contentLength;
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
        subscriber.next(E.right({ kind: 'verified', bytes: received, sha256 }));
        subscriber.complete();
      },
    });
    return () => source.unsubscribe();
  });

const printable = (bytes: ReadonlyArray<number>): string =>
  bytes.map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');

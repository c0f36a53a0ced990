/**
 * Feeds a download stream into a {@link ChunkFileWriter} and resolves with how the stream ended.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import type { Observable, Subscription } from 'rxjs';
import type { MxError } from '../core/errors.js';
import type { DownloadEvent } from '../workflow/sink.js';
import type { ChunkFileWriter } from './chunk-writer.js';
import type { MxObservable } from '../core/observable-either.js';

/** How a download stream ended, as far as the sink is concerned. */
export type DownloadEnd =
  | { readonly kind: 'verified'; readonly bytes: number; readonly sha256: string; readonly unverified?: true }
  | { readonly kind: 'left'; readonly error: MxError }
  | { readonly kind: 'incomplete' }
  | { readonly kind: 'write-failed' }
  | { readonly kind: 'cancelled' }
  | { readonly kind: 'stream-error'; readonly error: unknown };

/** A running consumption: `end` settles once; `cancel()` stops it (unsubscribing from the download). */
export interface Consumption {
  readonly end: Promise<DownloadEnd>;
  cancel(): void;
}

/** Subscribes to `download$`, writing each chunk to `writer`; stops at the first `verified`, `Left` or error. */
export const consume = (
  download$: MxObservable<DownloadEvent>,
  writer: ChunkFileWriter,
): Consumption => {
  let settle: (end: DownloadEnd) => void = () => undefined;
  const end = new Promise<DownloadEnd>((resolve) => {
    settle = resolve;
  });
  let done = false;
  let subscription: Subscription | undefined;
  const finish = (result: DownloadEnd): void => {
    if (done) return;
    done = true;
    settle(result);
    subscription?.unsubscribe();
  };
  subscription = download$.subscribe({
    next: (event) => {
      if (done) return;
      if (E.isLeft(event)) return finish({ kind: 'left', error: event.left });
      const ev = event.right;
      if (ev.kind === 'verified') {
        return finish({ kind: 'verified', bytes: ev.bytes, sha256: ev.sha256, ...(ev.unverified === true ? { unverified: true as const } : {}) });
      }
      writer.write(ev.bytes);
      if (writer.failed) finish({ kind: 'write-failed' });
    },
    error: (error: unknown) => finish({ kind: 'stream-error', error }),
    complete: () => finish({ kind: 'incomplete' }),
  });
  if (done) subscription.unsubscribe();
  return { end, cancel: () => finish({ kind: 'cancelled' }) };
};

import type { MxError } from '../core/errors.js';

/**
 * The internal carrier of an expected failure through the RxJS error channel, so `retry` and `timeout`
 * compose inside the transport. It never leaves the library: the public edge turns it into `Left(error)`.
 * `retryable: false` marks a failure that must not be retried whatever its tag (a body that broke off after
 * bytes were already passed on).
 */
export class MxFailure extends Error {
  override readonly name = 'MxFailure';
  constructor(readonly error: MxError, readonly retryable = true) {
    super(error.message);
  }
}

/** Whether a thrown value is an {@link MxFailure}. */
export const isMxFailure = (u: unknown): u is MxFailure => u instanceof MxFailure;

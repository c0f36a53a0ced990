import type { MxError } from '../core/errors.js';

/**
 * The internal carrier of an expected failure inside one call (`lib/http/call.ts`): thrown by a body reader
 * (a size cap, a length mismatch, a cut-off download) or built by the call for a status or a timeout, then
 * retried or turned into `Left(error)`. It never leaves the library. `retryable: false` marks a failure that
 * must not be retried whatever its tag (a body that broke off after bytes were already passed on).
 */
export class MxFailure extends Error {
  override readonly name = 'MxFailure';
  constructor(readonly error: MxError, readonly retryable = true) {
    super(error.message);
  }
}

/** Whether a thrown value is an {@link MxFailure}. */
export const isMxFailure = (u: unknown): u is MxFailure => u instanceof MxFailure;

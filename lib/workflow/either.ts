/**
 * Internal plumbing: inside the workflow, expected failures travel through the RxJS error channel as
 * `MxFailure` (so `retry`, `timeout` and `takeUntil` compose); the public edge turns them back into `Left`.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import { catchError, map, of, throwError, type Observable, type OperatorFunction } from 'rxjs';
import type { MxError } from '../core/errors.js';
import { MxFailure, isMxFailure } from '../http/failure.js';

/** Turns `Right(a)` into `a` and `Left(e)` into an `MxFailure` on the error channel. */
export const unwrap = <A>(): OperatorFunction<E.Either<MxError, A>, A> =>
  map((result) => {
    if (E.isLeft(result)) throw new MxFailure(result.left);
    return result.right;
  });

/** An Observable that fails at once with `error` (as an `MxFailure`). */
export const fail = (error: MxError): Observable<never> => throwError(() => new MxFailure(error));

/** The failure's error when `err` is an `MxFailure`, else `undefined` (a bug, to be rethrown). */
export const errorOf = (err: unknown): MxError | undefined => (isMxFailure(err) ? err.error : undefined);

/**
 * The public edge: values become `Right`, an `MxFailure` becomes one final `Left` and completion, and anything
 * else (a bug, or an error raised by the caller's own callbacks or subjects) stays on the error channel.
 */
export const toEither = <A>(): OperatorFunction<A, E.Either<MxError, A>> => (source) =>
  source.pipe(
    map((a) => E.right(a) as E.Either<MxError, A>),
    catchError((err: unknown) => (isMxFailure(err) ? of(E.left(err.error)) : throwError(() => err))),
  );

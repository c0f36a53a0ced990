/**
 * The shape of every stream this library returns, `Observable<Either<E, A>>`, by name, and the two operators that
 * move a failure between the value channel (`Left`) and RxJS's error channel, for code that prefers `retry` and
 * `catchError`.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import { catchError, map, of, throwError, type Observable, type OperatorFunction } from 'rxjs';
import type { MxError, TaggedError } from './errors.js';

/**
 * A stream of `Either<E, A>`: the name fp-ts-rxjs gives this shape. Each value is a `Right` (a result) or a
 * `Left` (an expected failure, usually the stream's last value). It is a plain `Observable` (an alias, not a new
 * type): every RxJS operator applies, and any `Observable<Either<E, A>>` is one.
 *
 * @example
 * ```ts
 * import * as E from 'fp-ts/lib/Either.js';
 * import { of } from 'rxjs';
 * import type { ObservableEither } from 'mx-statements-rx';
 *
 * const answers: ObservableEither<string, number> = of(E.right(1), E.left('no more'));
 * ```
 */
export type ObservableEither<E, A> = Observable<E.Either<E, A>>;

/**
 * What every endpoint of the client returns: a cold stream of `Either<MxError, A>` (one request per
 * subscription, aborted on unsubscribe). `fetchStatements$` returns `MxObservable<StatementEvent>` (widened by a
 * sink's own errors when it has some: see `StatementSink`).
 *
 * @example
 * ```ts
 * import type { MxClient, MxObservable, User } from 'mx-statements-rx';
 * declare const client: MxClient;
 *
 * const user$: MxObservable<User> = client.users.read$({ userGuid: 'USR-1' });
 * ```
 */
export type MxObservable<A> = ObservableEither<MxError, A>;

/**
 * The `Error` that {@link rightOrThrow} throws for a `Left`: `left` is the tagged failure itself (an
 * {@link MxError}, or a sink's own error), `message` is `"<_tag>: <message>"`. Like every `MxError`, it carries no
 * secret.
 *
 * @example
 * ```ts
 * import { LeftError } from 'mx-statements-rx';
 *
 * const e = new LeftError({ _tag: 'Timeout', method: 'GET', path: '/users', timeoutMs: 5000, message: 'GET /users timed out' });
 * e.message; // 'Timeout: GET /users timed out'
 * e.left._tag; // 'Timeout'
 * ```
 */
export class LeftError<E extends TaggedError = MxError> extends Error {
  override readonly name = 'LeftError';
  constructor(readonly left: E) {
    super(`${left._tag}: ${left.message}`);
  }
}

/**
 * Narrows a caught value to a {@link LeftError}, optionally of some tags only. The error type defaults to
 * `MxError`; for a run whose sink has errors of its own, name them: `isLeftError<MxError | FileSystemError>(err)`.
 *
 * @example
 * ```ts
 * import { retry, timer, throwError } from 'rxjs';
 * import { isLeftError, rightOrThrow, type MxClient } from 'mx-statements-rx';
 * declare const client: MxClient;
 *
 * client.users.list$().pipe(
 *   rightOrThrow(),
 *   // 429s and 5xx: again in a second, three times; anything else goes on to the subscriber's error callback
 *   retry({ count: 3, delay: (err) => (isLeftError(err, 'RateLimited', 'ServerError') ? timer(1000) : throwError(() => err)) }),
 * );
 * ```
 */
export function isLeftError<E extends TaggedError = MxError>(u: unknown): u is LeftError<E>;
export function isLeftError<E extends TaggedError = MxError, T extends E['_tag'] = E['_tag']>(
  u: unknown,
  ...tags: ReadonlyArray<T>
): u is LeftError<Extract<E, { readonly _tag: T }>>;
export function isLeftError(u: unknown, ...tags: ReadonlyArray<string>): boolean {
  return u instanceof LeftError && (tags.length === 0 || tags.includes(u.left._tag));
}

/**
 * Turns `Right(a)` into `a` and a `Left(e)` into an error, a {@link LeftError} carrying `e`: for code that handles
 * failures with `retry` and `catchError` rather than as values. Resubscribing (`retry`) runs the call again, as
 * every stream of the library is cold.
 *
 * @example
 * ```ts
 * import { catchError, of, throwError } from 'rxjs';
 * import { isLeftError, rightOrThrow, type MxClient } from 'mx-statements-rx';
 * declare const client: MxClient;
 *
 * client.users.read$({ userGuid: 'USR-1' }).pipe(
 *   rightOrThrow(),
 *   catchError((err: unknown) => (isLeftError(err, 'NotFound') ? of(null) : throwError(() => err))),
 * ).subscribe((user) => console.log(user?.guid ?? 'no such user'));
 * ```
 */
export const rightOrThrow = <E extends TaggedError, A>(): OperatorFunction<E.Either<E, A>, A> =>
  map((result) => {
    if (E.isLeft(result)) throw new LeftError(result.left);
    return result.right;
  });

/**
 * The inverse of {@link rightOrThrow}: values become `Right`, a {@link LeftError} becomes one last `Left` and the
 * stream completes; any other error (a bug) stays on the error channel.
 *
 * @example
 * ```ts
 * import { retry } from 'rxjs';
 * import { errorToLeft, rightOrThrow, type MxClient, type MxObservable, type User } from 'mx-statements-rx';
 * declare const client: MxClient;
 *
 * const patient$: MxObservable<User> = client.users.read$({ userGuid: 'USR-1' }).pipe(rightOrThrow(), retry(2), errorToLeft());
 * ```
 */
export const errorToLeft = <A, E extends TaggedError = MxError>(): OperatorFunction<A, E.Either<E, A>> => (source) =>
  source.pipe(
    map((a) => E.right<E, A>(a)),
    catchError((err: unknown) => (err instanceof LeftError ? of(E.left<E, A>(err.left as E)) : throwError(() => err))),
  );

import * as E from 'fp-ts/lib/Either.js';
import type { MxError } from '../core/errors.js';

/** `E.map` with the error type fixed to {@link MxError}, for `rxjs` `map(...)`. */
export const map = <A, B>(f: (a: A) => B) => (e: E.Either<MxError, A>): E.Either<MxError, B> =>
  E.isLeft(e) ? e : E.right(f(e.right));

/** The first `Left` of a list of results, or `Right` of all the values. */
export const sequence = <A>(results: ReadonlyArray<E.Either<MxError, A>>): E.Either<MxError, ReadonlyArray<A>> => {
  const out: A[] = [];
  for (const r of results) {
    if (E.isLeft(r)) return r;
    out.push(r.right);
  }
  return E.right(out);
};

/**
 * The floor for the `overhead` phase: the least a client can do per call and still meet the design card — a
 * cold Observable, an `AbortController` aborted on unsubscribe, a timeout on a scheduler (so marble tests can
 * drive it), io-ts decoding into an `Either`. No retries, no rate limit, no secret scrubbing, no size cap, no
 * error mapping. It exists only to be timed beside the library: the gap between it and raw cross-fetch is
 * what those requirements cost; the gap between the library and it is the library's own.
 */
import crossFetch from 'cross-fetch';
import * as E from 'fp-ts/lib/Either.js';
import type * as t from 'io-ts';
import { Observable, asyncScheduler } from 'rxjs';

/** A GET of `url` decoded with `codec`: one `Either`, then complete. */
export const floorGet$ = <A>(url: string, headers: Readonly<Record<string, string>>, codec: t.Decoder<unknown, A>, timeoutMs = 20_000) =>
  new Observable<E.Either<string, A>>((subscriber) => {
    const controller = new AbortController();
    let done = false;
    const timer = asyncScheduler.schedule(() => {
      controller.abort();
      subscriber.next(E.left('timeout'));
      subscriber.complete();
    }, timeoutMs);
    crossFetch(url, { method: 'GET', headers, signal: controller.signal })
      .then((res) => res.text())
      .then(
        (text) => {
          done = true;
          timer.unsubscribe();
          let decoded: t.Validation<A>;
          try {
            decoded = codec.decode(JSON.parse(text));
          } catch {
            decoded = E.left([]);
          }
          subscriber.next(E.isLeft(decoded) ? E.left('decode') : decoded);
          subscriber.complete();
        },
        (err: unknown) => {
          done = true;
          subscriber.next(E.left(String(err)));
          subscriber.complete();
        },
      );
    return () => {
      timer.unsubscribe();
      if (!done) controller.abort();
    };
  });

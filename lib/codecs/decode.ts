/**
 * Decoding at the edge: response text → JSON → a codec's type, with failures as {@link DecodeError} values.
 * Neither function throws, whatever the input.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import type * as t from 'io-ts';
import type { DecodeError, RequestRef } from '../core/errors.js';
import { summarizeErrors } from './report.js';

const decodeError = (ref: RequestRef, message: string, errors: ReadonlyArray<string>): DecodeError => ({
  _tag: 'DecodeError',
  method: ref.method,
  path: ref.path,
  message,
  errors,
});

const describeThrown = (e: unknown): string => {
  try {
    return e instanceof Error ? e.message : String(e);
  } catch {
    return 'unknown error';
  }
};

/**
 * Decodes a parsed body with `codec`; a mismatch becomes a `DecodeError` whose `errors` are readable paths
 * (`users[3].guid: expected string, got undefined`) and whose message names the codec and the problem count.
 *
 * @example
 * ```ts
 * import { UserResponseBody } from './envelopes.js';
 * import { decodeBody } from './decode.js';
 * decodeBody(UserResponseBody, { user: {} }, { method: 'GET', path: '/users/USR-1' });
 * // left({ _tag: 'DecodeError', message: 'GET /users/USR-1 → response did not match UserResponseBody (1 problem)',
 * //        errors: ['user.guid: expected string, got undefined'], … })
 * ```
 */
export const decodeBody = <A>(codec: t.Decoder<unknown, A>, value: unknown, ref: RequestRef): E.Either<DecodeError, A> => {
  let result: t.Validation<A>;
  try {
    result = codec.decode(value);
  } catch (e) {
    return E.left(decodeError(ref, `${ref.method} ${ref.path} → response could not be decoded as ${codec.name}`, [
      `(root): decoder failed: ${describeThrown(e).slice(0, 120)}`,
    ]));
  }
  if (E.isRight(result)) return result;
  const { count, lines } = summarizeErrors(result.left);
  return E.left(
    decodeError(ref, `${ref.method} ${ref.path} → response did not match ${codec.name} (${count} problem${count === 1 ? '' : 's'})`, lines),
  );
};

/**
 * Parses a response body as JSON; malformed text becomes a `DecodeError`
 * (`GET /users: response is not valid JSON (…)`).
 *
 * @example
 * ```ts
 * import { parseJsonBody } from './decode.js';
 * parseJsonBody('{"user":{"guid":"USR-1"}}', { method: 'GET', path: '/users/USR-1' }); // right({ user: { guid: 'USR-1' } })
 * parseJsonBody('<html>', { method: 'GET', path: '/users' }); // left(DecodeError)
 * ```
 */
export const parseJsonBody = (text: string, ref: RequestRef): E.Either<DecodeError, unknown> => {
  try {
    return E.right(JSON.parse(text) as unknown);
  } catch (e) {
    // The engine's message quotes the start of the body, which may hold anything (secrets, control
    // characters): keep only where parsing stopped.
    const reason = jsonFailureReason(text, describeThrown(e));
    return E.left(decodeError(ref, `${ref.method} ${ref.path}: response is not valid JSON (${reason})`, [`(root): ${reason}`]));
  }
};

const jsonFailureReason = (text: string, engineMessage: string): string => {
  if (text.trim() === '') return 'empty body';
  const position = /position (\d+)/.exec(engineMessage)?.[1];
  if (position !== undefined) return `syntax error at character ${position} of ${text.length}`;
  return /end of (JSON|data) input/i.test(engineMessage) ? `body ends early (${text.length} characters)` : `syntax error (${text.length} characters)`;
};

/**
 * The `X | null` combinator used for every optional MX field (MX sends `null` for "no value").
 *
 * @module
 */
import * as t from 'io-ts';

/**
 * Accepts the codec's values or `null`; named `X | null` so decode errors read well.
 *
 * @example
 * ```ts
 * import * as t from 'io-ts';
 * import { nullable } from './nullable.js';
 * nullable(t.string).is(null); // true
 * ```
 */
export const nullable = <C extends t.Mixed>(codec: C): t.UnionC<[C, t.NullC]> =>
  t.union([codec, t.null], `${codec.name} | null`);

/**
 * Open string enums: a list of known values plus a fallback for any other string, so a value MX adds later
 * still decodes, while editors keep autocompleting the known ones.
 *
 * @module
 */
import * as t from 'io-ts';

/**
 * A string codec whose static type is `K | (string & {})`: every string decodes, non-strings fail.
 *
 * @example
 * ```ts
 * import { openStringEnum } from './open-enum.js';
 * const Color = openStringEnum('Color', ['RED', 'GREEN'] as const);
 * Color.is('BLUE'); // true (unknown values are kept)
 * ```
 */
export const openStringEnum = <K extends string>(
  name: string,
  _known: ReadonlyArray<K>,
): t.Type<K | (string & {}), string, unknown> =>
  new t.Type<K | (string & {}), string, unknown>(
    name,
    (u): u is K | (string & {}) => typeof u === 'string',
    (u, c) => (typeof u === 'string' ? t.success(u) : t.failure(u, c)),
    (a) => a,
  );

/**
 * A type guard for the known members of an open enum.
 *
 * @example
 * ```ts
 * import { knownGuard } from './open-enum.js';
 * const isPrimary = knownGuard(['RED', 'GREEN', 'BLUE'] as const);
 * isPrimary('RED'); // true
 * ```
 */
export const knownGuard = <K extends string>(known: ReadonlyArray<K>): ((u: unknown) => u is K) => {
  const set: ReadonlySet<string> = new Set(known);
  return (u: unknown): u is K => typeof u === 'string' && set.has(u);
};

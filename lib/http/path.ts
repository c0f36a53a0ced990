/**
 * Builds an API path whose interpolated values are each encoded as one path segment, so an id such as
 * `a/../b` can never change which resource is addressed.
 *
 * @example
 * ```ts
 * import { apiPath } from './path.js';
 * apiPath`/users/${'USR-1'}/members/${'a/b'}`; // '/users/USR-1/members/a%2Fb'
 * ```
 */
export const apiPath = (strings: TemplateStringsArray, ...segments: ReadonlyArray<string>): string =>
  strings.reduce((out, part, i) => out + part + (i < segments.length ? encodeURIComponent(String(segments[i])) : ''), '');

/** A query value: `undefined` leaves the parameter out; arrays repeat it (`name[]=a&name[]=b` is the caller's choice of key). */
export type QueryValue = string | number | boolean | undefined | ReadonlyArray<string>;

/** Appends a query string built from the defined values, in the order given. */
export const withQuery = (path: string, query?: Readonly<Record<string, QueryValue>>): string => {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) params.append(key, v);
    else params.append(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
};

/**
 * What browser bundles get instead of cross-fetch (package.json `browser` maps `cross-fetch` here): the
 * platform's own `fetch`, looked up at each call, so an app's bundle carries no fetch polyfill. Every browser the
 * library supports has `fetch`, `AbortController` and streamed bodies.
 *
 * @module
 */

/**
 * The platform's `fetch`, called through `globalThis` at each call (so a test's or an app's replacement, made
 * after the library loaded, is the one used). Shaped like cross-fetch's default export.
 *
 * @example
 * ```ts
 * import nativeFetch from './native-fetch.js';
 * const response = await nativeFetch('/api/mx/institutions', { headers: { Accept: 'application/json' } });
 * ```
 */
const nativeFetch = (input: string, init?: RequestInit): Promise<Response> => globalThis.fetch(input, init);

export default nativeFetch;
export { nativeFetch as fetch };

/**
 * What browser bundles get instead of `lib/http/node-http-fetch.ts` (package.json `browser` maps the built file
 * here): a browser has no `node:http`, so the client's default fetch is the platform's, and the ~3.5 KB of the
 * Node fetch stay out of an app's bundle.
 *
 * @module
 */
import type { FetchLike } from '../core/config.js';

/**
 * Always `false` in a browser bundle.
 *
 * @example
 * ```ts
 * import { nodeHttpAvailable } from './no-node-http.js';
 * nodeHttpAvailable(); // false
 * ```
 */
export const nodeHttpAvailable = (): boolean => false;

/**
 * Never used in a browser (`nodeHttpAvailable()` is false); rejects if called.
 *
 * @example
 * ```ts
 * import { nodeFetch } from './no-node-http.js';
 * nodeFetch('/x', { method: 'GET', headers: {}, signal: new AbortController().signal }).catch((e: unknown) => console.log(e));
 * ```
 */
export const nodeFetch: FetchLike = () => Promise.reject(new Error('nodeFetch: node:http is not available in this bundle (a browser)'));

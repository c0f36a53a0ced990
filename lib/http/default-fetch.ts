/**
 * The fetch a client uses when its config names none. In Node (≥ 20.16) every call — JSON and PDF alike — goes
 * through {@link nodeFetch} on `node:http`: it reports a body cut short and a `101` answer at once, where
 * cross-fetch's node-fetch waited for the timeout, and it costs no more per call than node-fetch (bench
 * `overhead`). Elsewhere (browsers): cross-fetch for API calls (the browser's own fetch where there is one) and
 * the platform's fetch for PDF downloads.
 *
 * @module
 */
import crossFetch from 'cross-fetch';
import type { FetchLike } from '../core/config.js';
import { nodeFetch, nodeHttpAvailable } from './node-http-fetch.js';

const crossFetchLike: FetchLike = (input, init) => (crossFetch as unknown as FetchLike)(input, init);

const platformFetch = (): FetchLike | undefined => {
  const platform = (globalThis as { fetch?: unknown }).fetch;
  return typeof platform === 'function' ? (platform as unknown as FetchLike) : undefined;
};

/** The default fetch of API (JSON) calls: `nodeFetch` in Node, cross-fetch elsewhere. */
export const defaultApiFetch = (): FetchLike => (nodeHttpAvailable() ? nodeFetch : crossFetchLike);

/** The default fetch of PDF downloads: `nodeFetch` in Node, else the platform's fetch, else cross-fetch. */
export const defaultDownloadFetch = (): FetchLike => (nodeHttpAvailable() ? nodeFetch : (platformFetch() ?? crossFetchLike));

/**
 * `nodeFetch`: the fetch on `node:http` / `node:https` that the client uses by default in Node. It lives in the
 * core (`lib/http/node-http-fetch.ts`, which reaches Node's modules through `process.getBuiltinModule`) so that
 * `createMxClient` can default to it without a `node:` import; this entry point exports it for callers who pass
 * it explicitly.
 *
 * @module
 */
export { nodeFetch } from '../http/node-http-fetch.js';

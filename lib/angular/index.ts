/**
 * mx-statements-rx/angular — the client for standalone Angular apps (Angular 21, an optional peer):
 * `provideMxClient` makes Angular's `HttpClient` the transport of an `MxClient`, so interceptors, `HttpContext`
 * and `HttpTestingController` apply to every request the library sends.
 *
 * @packageDocumentation
 */
export { MX_CLIENT, MX_REQUEST, provideMxClient, injectMxClient, injectMxDownloadProgress, type MxAngularOptions } from './provide.js';
export { httpClientFetch, type HttpClientFetchOptions, type MxDownloadProgress, type MxRequestInfo } from './http-client-fetch.js';

/**
 * Waiting for the library's requests in Angular's `HttpTestingController`, without importing Angular: the
 * library sends each request a few microtasks after you subscribe (and the next one after a poll's delay), so an
 * `expectOne()` right after `subscribe()` finds nothing yet.
 *
 * @module
 */

/** What {@link expectMxRequest} reads of a pending request: Angular's `HttpRequest` has these. */
export interface PendingRequestLike {
  readonly method: string;
  /** The URL as sent (`HttpRequest.url`; the library puts the query in it). */
  readonly url: string;
  /** The URL with its query (`HttpRequest.urlWithParams`). */
  readonly urlWithParams: string;
}

/** Angular's `HttpTestingController`, as far as {@link expectMxRequest} uses it (`match` with a predicate). */
export interface RequestMatcherLike<R> {
  /** The pending requests for which `match` is true (Angular's `HttpTestingController.match`). */
  match(match: (req: PendingRequestLike) => boolean): R[];
}

/**
 * Which request to wait for: a URL, a method and URL (the URL compared without its query, so `'/api/mx/institutions'`
 * matches the search whatever it asks), or a predicate.
 */
export type MxRequestMatch = string | { readonly method?: string; readonly url?: string } | ((req: PendingRequestLike) => boolean);

/** Options of {@link expectMxRequest}. */
export interface ExpectMxRequestOptions {
  /** How long to wait, in ms. Default 2 000. */
  readonly timeoutMs?: number;
}

const withoutQuery = (url: string): string => url.split('?')[0]!;

const matcher = (match: MxRequestMatch): ((req: PendingRequestLike) => boolean) =>
  typeof match === 'function'
    ? match
    : typeof match === 'string'
      ? (req) => withoutQuery(req.url) === withoutQuery(match)
      : (req) => (match.method === undefined || req.method === match.method.toUpperCase()) &&
        (match.url === undefined || withoutQuery(req.url) === withoutQuery(match.url));

const describe = (match: MxRequestMatch): string =>
  typeof match === 'function' ? 'a request matching the predicate' : typeof match === 'string' ? match : `${match.method ?? 'any'} ${match.url ?? 'any URL'}`;

/**
 * Waits (at most `timeoutMs`, polling every few ms) until exactly one pending request of `controller` matches,
 * and returns it (Angular's `TestRequest`: `flush` it). Rejects after the timeout, naming the requests that are
 * pending, or at once when more than one matches.
 *
 * @example
 * ```ts
 * import { fetchStatements$ } from 'mx-statements-rx';
 * import type { MxClient } from 'mx-statements-rx';
 * import { expectMxRequest, type RequestMatcherLike } from 'mx-statements-rx/testing';
 * declare const client: MxClient; // injectMxClient() under provideHttpClientTesting()
 * declare const http: RequestMatcherLike<{ flush(body: unknown): void }>; // TestBed.inject(HttpTestingController)
 *
 * fetchStatements$(client, { member: { userGuid: 'USR-1', memberGuid: 'MBR-1' } }).subscribe();
 * const start = await expectMxRequest(http, { method: 'POST', url: '/api/mx/users/USR-1/members/MBR-1/fetch_statements' });
 * start.flush({ member: { guid: 'MBR-1', connection_status: 'CONNECTED', is_being_aggregated: true } });
 * ```
 */
export const expectMxRequest = async <R>(
  controller: RequestMatcherLike<R>,
  match: MxRequestMatch,
  options: ExpectMxRequestOptions = {},
): Promise<R> => {
  const timeoutMs = options.timeoutMs ?? 2000;
  const test = matcher(match);
  const until = Date.now() + timeoutMs;
  for (;;) {
    const found = controller.match(test);
    if (found.length > 1) throw new Error(`expectMxRequest: ${found.length} requests match ${describe(match)}, expected one`);
    if (found.length === 1) return found[0]!;
    if (Date.now() >= until) {
      const open: string[] = [];
      controller.match((req) => {
        open.push(`${req.method} ${req.urlWithParams}`);
        return false;
      });
      throw new Error(`expectMxRequest: no request for ${describe(match)} within ${timeoutMs} ms; pending: ${open.length ? open.join(', ') : 'none'}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
};

/**
 * The client's `fetch`, carried by Angular's `HttpClient`: every request of the library goes through the app's
 * interceptors and backend (so `HttpTestingController` sees and answers it), while the core's own machinery
 * (rate limit, timeout, retries, decoding, PDF verification) still runs around it.
 *
 * @module
 */
import {
  HttpContext, HttpErrorResponse, HttpEventType, HttpHeaders, HttpResponse,
  type HttpClient, type HttpContextToken, type HttpEvent, type HttpHeaderResponse,
} from '@angular/common/http';
import type { Subscription } from 'rxjs';
import type { FetchInit, FetchLike, FetchResponseLike } from '../core/config.js';

/**
 * What an interceptor sees of one library request in its `HttpContext` (under {@link MX_REQUEST}): which call
 * it is, and whether it downloads a PDF.
 *
 * @example
 * ```ts
 * import type { MxRequestInfo } from 'mx-statements-rx/angular';
 * const label = (info: MxRequestInfo) => `${info.method} ${info.path}${info.download ? ' (PDF)' : ''}`;
 * ```
 */
export interface MxRequestInfo {
  readonly method: string;
  /** The API path, without the base URL (`/users/USR-1/members`). */
  readonly path: string;
  /** `true` for a PDF download (`responseType: 'arraybuffer'`). */
  readonly download: boolean;
}

/**
 * Download progress of one PDF, as Angular's backend reports it (`HttpDownloadProgressEvent`): only where the
 * backend sends progress events (the fetch and XHR backends do; `HttpTestingController` does when a spec calls
 * `TestRequest.event`).
 *
 * @example
 * ```ts
 * import type { MxDownloadProgress } from 'mx-statements-rx/angular';
 * const percent = (p: MxDownloadProgress) => (p.total ? Math.round((100 * p.loaded) / p.total) : undefined);
 * ```
 */
export interface MxDownloadProgress {
  /** The API path of the PDF (`/users/…/members/…/statements/STA-1.pdf`). */
  readonly path: string;
  /** Bytes received so far. */
  readonly loaded: number;
  /** The announced size, when the server sent one. */
  readonly total: number | undefined;
}

/**
 * Options of {@link httpClientFetch}.
 *
 * @example
 * ```ts
 * import { HttpContext } from '@angular/common/http';
 * import type { HttpClientFetchOptions } from 'mx-statements-rx/angular';
 * const options: HttpClientFetchOptions = { baseUrl: '/api/mx', context: () => new HttpContext(), responseType: 'text' };
 * ```
 */
export interface HttpClientFetchOptions {
  /** The client's base URL, cut from the URL to name the request's path in {@link MxRequestInfo}. */
  readonly baseUrl: string;
  /** The context each request starts from (a fresh one per request). Default: an empty `HttpContext`. */
  readonly context?: () => HttpContext;
  /** The token the request's {@link MxRequestInfo} is stored under. */
  readonly token?: HttpContextToken<MxRequestInfo | null>;
  /** `'text'` for API calls (the core decodes the JSON itself), `'arraybuffer'` for PDF downloads. */
  readonly responseType: 'text' | 'arraybuffer';
  /** Told about each download progress event. */
  readonly onProgress?: (progress: MxDownloadProgress) => void;
}

type Body = string | ArrayBuffer | null;

const encoder = new TextEncoder();

/** A response body as the core reads it (an async iterable of bytes), from what HttpClient delivered. */
async function* bytesOf(body: Promise<unknown>): AsyncGenerator<Uint8Array, void, undefined> {
  const value = await body;
  if (value === null || value === undefined) return;
  if (value instanceof ArrayBuffer) yield new Uint8Array(value);
  else if (ArrayBuffer.isView(value)) yield new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  else yield encoder.encode(typeof value === 'string' ? value : JSON.stringify(value));
}

/** What HttpClient tells of a response head (`redirected` and `responseType` come from the fetch backend only). */
interface Head {
  readonly status: number;
  readonly headers: HttpHeaders;
  readonly redirected?: boolean | undefined;
  readonly responseType?: string | undefined;
}

/** Fetch's `redirected` and `type` too, so the core can refuse a redirect the backend followed. */
type ResponseWithMeta = FetchResponseLike & { readonly redirected?: boolean; readonly type?: string };

const responseLike = ({ status, headers, redirected, responseType }: Head, body: Promise<unknown>): ResponseWithMeta => ({
  status,
  ...(redirected !== undefined ? { redirected } : {}),
  ...(responseType !== undefined ? { type: responseType } : {}),
  headers: { get: (name) => headers.get(name) },
  body: bytesOf(body),
  text: async () => {
    const value = await body;
    if (typeof value === 'string') return value;
    if (value instanceof ArrayBuffer) return new TextDecoder().decode(value);
    return value === null || value === undefined ? '' : JSON.stringify(value);
  },
});

/** A rejection the core maps to a `NetworkError` (status 0: the request never got an answer). */
const networkFailure = (err: HttpErrorResponse): Error => {
  const cause = err.error as { message?: unknown; type?: unknown } | null;
  const detail = typeof cause?.message === 'string' && cause.message ? cause.message : typeof cause?.type === 'string' ? cause.type : 'no response';
  return Object.assign(new Error(`network failure (${detail})`), { code: 'ERR_NETWORK' });
};

const abortError = (): Error => Object.assign(new Error('The operation was aborted'), { name: 'AbortError', code: 'ABORT_ERR' });

const isSuccess = (status: number) => status >= 200 && status <= 299;

/**
 * A `FetchLike` whose requests go through `http` (interceptors, `HttpContext`, the app's backend). The returned
 * promise settles with the response head (a download's, as soon as the backend reports it) or the whole answer;
 * the body follows when HttpClient delivers it: API calls as text, PDFs as one `ArrayBuffer` (HttpClient does not
 * stream an array buffer, so for a download the core's `timeoutMs` covers the whole body). Any non-2xx answer is
 * a response with its status and body (the core turns it into its typed error); status 0 is a network failure.
 * Aborting the signal unsubscribes, which cancels the HttpClient request.
 *
 * @example
 * ```ts
 * import { HttpClient } from '@angular/common/http';
 * import { inject } from '@angular/core';
 * import { createMxClient } from 'mx-statements-rx';
 * import { httpClientFetch } from 'mx-statements-rx/angular';
 *
 * const http = inject(HttpClient);
 * const client = createMxClient({
 *   baseUrl: '/api/mx',
 *   auth: 'none',
 *   fetch: httpClientFetch(http, { baseUrl: '/api/mx', responseType: 'text' }),
 *   downloadFetch: httpClientFetch(http, { baseUrl: '/api/mx', responseType: 'arraybuffer' }),
 * });
 * ```
 */
export const httpClientFetch = (http: HttpClient, options: HttpClientFetchOptions): FetchLike => {
  const { baseUrl, responseType, onProgress, token } = options;
  const download = responseType === 'arraybuffer';
  return (url: string, init: FetchInit) =>
    new Promise<FetchResponseLike>((resolve, reject) => {
      const { signal } = init;
      if (signal.aborted) return reject(abortError());
      const path = url.startsWith(baseUrl) ? url.slice(baseUrl.length) : url;
      const context = options.context?.() ?? new HttpContext();
      if (token !== undefined) context.set(token, { method: init.method, path, download });

      let settled = false;
      let finish!: { body: (value: Body) => void; fail: (err: Error) => void };
      const body = new Promise<Body>((res, rej) => (finish = { body: res, fail: rej }));
      // Unread when the core never reads a body (an aborted attempt): not an unhandled rejection.
      body.catch(() => undefined);

      const head = (h: Head) => {
        if (settled) return;
        settled = true;
        resolve(responseLike(h, body));
      };
      const fail = (err: Error) => {
        if (settled) finish.fail(err);
        else {
          settled = true;
          reject(err);
        }
      };

      let subscription: Subscription | undefined;
      const onAbort = () => {
        subscription?.unsubscribe();
        fail(abortError());
      };
      const done = () => signal.removeEventListener('abort', onAbort);
      signal.addEventListener('abort', onAbort, { once: true });

      // The core may ask not to follow redirects (the fetch backend honours it; XHR always follows).
      const { redirect } = init as { readonly redirect?: RequestRedirect };
      subscription = http.request(init.method, url, {
        ...(redirect !== undefined ? { redirect } : {}),
        body: init.body ?? null,
        headers: new HttpHeaders(init.headers),
        context,
        observe: 'events',
        reportProgress: download,
        responseType: responseType as 'text',
      }).subscribe({
        next: (event: HttpEvent<unknown>) => {
          if (event.type === HttpEventType.ResponseHeader) {
            const h = event as HttpHeaderResponse;
            // A download's head as soon as it arrives; an error's head waits for its body (the error event).
            if (download && isSuccess(h.status)) head(h);
          } else if (event.type === HttpEventType.DownloadProgress) {
            onProgress?.({ path, loaded: event.loaded, total: event.total });
          } else if (event instanceof HttpResponse) {
            head(event);
            finish.body(event.body as Body);
            done();
          }
        },
        error: (err: unknown) => {
          done();
          if (!(err instanceof HttpErrorResponse)) return fail(err instanceof Error ? err : new Error(String(err)));
          if (err.status === 0) return fail(networkFailure(err));
          // A 4xx/5xx is an answer: its status and body go to the core, which types the error.
          if (settled) return finish.fail(new Error(`response broke off with status ${err.status}`));
          head(err);
          finish.body(err.error as Body);
        },
        complete: () => {
          done();
          // An interceptor that completed without an answer.
          fail(new Error('HttpClient completed without a response'));
        },
      });
    });
};

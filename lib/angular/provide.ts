/**
 * `provideMxClient` for standalone Angular apps: one `MxClient` per injector, whose every request goes through
 * the app's `HttpClient`.
 *
 * @module
 */
import { HttpClient, HttpContextToken, type HttpContext } from '@angular/common/http';
import { InjectionToken, inject, makeEnvironmentProviders, type EnvironmentProviders } from '@angular/core';
import { Subject, type Observable } from 'rxjs';
import { createMxClient, type MxClient } from '../api/client.js';
import { resolveConfig, type MxClientConfig } from '../core/config.js';
import { httpClientFetch, type MxDownloadProgress, type MxRequestInfo } from './http-client-fetch.js';

/**
 * The `MxClient` that {@link provideMxClient} set up. Inject it with `inject(MX_CLIENT)` or {@link injectMxClient}.
 *
 * @example
 * ```ts
 * import { inject } from '@angular/core';
 * import { MX_CLIENT } from 'mx-statements-rx/angular';
 * const client = inject(MX_CLIENT);
 * ```
 */
export const MX_CLIENT = new InjectionToken<MxClient>('MxClient');

/**
 * Set in the `HttpContext` of every request the library sends: `null` on the app's own requests, else which call
 * it is. A functional interceptor can pick the library's requests by it.
 *
 * @example
 * ```ts
 * import type { HttpInterceptorFn } from '@angular/common/http';
 * import { MX_REQUEST } from 'mx-statements-rx/angular';
 *
 * export const mxSessionInterceptor: HttpInterceptorFn = (req, next) =>
 *   next(req.context.get(MX_REQUEST) ? req.clone({ setHeaders: { 'X-Session': 'your-session-token' } }) : req);
 * ```
 */
export const MX_REQUEST = new HttpContextToken<MxRequestInfo | null>(() => null);

/** The download progress of the injector's client: see {@link injectMxDownloadProgress}. */
const MX_DOWNLOAD_PROGRESS = new InjectionToken<Subject<MxDownloadProgress>>('MxDownloadProgress');

/**
 * Options of {@link provideMxClient}: a client config (without `fetch`/`downloadFetch`: HttpClient is the
 * transport), and the `HttpContext` each request starts from.
 *
 * @example
 * ```ts
 * import type { MxAngularOptions } from 'mx-statements-rx/angular';
 * const options: MxAngularOptions = { baseUrl: '/api/mx', auth: 'none', rateLimit: { requestsPerSecond: 5 } };
 * ```
 */
export interface MxAngularOptions extends Omit<MxClientConfig, 'fetch' | 'downloadFetch'> {
  /** A fresh `HttpContext` for each request (for your interceptors); {@link MX_REQUEST} is set on it. */
  readonly context?: () => HttpContext;
}

/**
 * Provides an `MxClient` (token {@link MX_CLIENT}) whose transport is the app's `HttpClient`: functional
 * interceptors and `HttpContext` apply, `provideHttpClientTesting()` answers its requests in specs, and the
 * core's rate limit, timeouts, retries and PDF verification still run. Unsubscribing cancels the HttpClient
 * request. Give `provideHttpClient(...)` beside it. The config is checked here, so a bad one fails at startup.
 *
 * @example
 * ```ts
 * import { provideHttpClient, withFetch, withInterceptors } from '@angular/common/http';
 * import type { ApplicationConfig } from '@angular/core';
 * import { provideMxClient } from 'mx-statements-rx/angular';
 *
 * export const appConfig: ApplicationConfig = {
 *   providers: [
 *     provideHttpClient(withFetch(), withInterceptors([])),
 *     // Same-origin path: the dev server proxies /api/mx to your backend, which adds MX's credentials.
 *     provideMxClient({ baseUrl: '/api/mx', auth: 'none' }),
 *   ],
 * };
 * ```
 */
export const provideMxClient = (options: MxAngularOptions): EnvironmentProviders => {
  const { context, ...config } = options;
  const { baseUrl } = resolveConfig(config);
  return makeEnvironmentProviders([
    { provide: MX_DOWNLOAD_PROGRESS, useFactory: () => new Subject<MxDownloadProgress>() },
    {
      provide: MX_CLIENT,
      useFactory: (): MxClient => {
        // Without provideHttpClient(), Angular's own error names HttpClient (NG0201).
        const http = inject(HttpClient);
        const progress = inject(MX_DOWNLOAD_PROGRESS);
        const shared = { baseUrl, token: MX_REQUEST, ...(context !== undefined ? { context } : {}) };
        return createMxClient({
          ...config,
          fetch: httpClientFetch(http, { ...shared, responseType: 'text' }),
          downloadFetch: httpClientFetch(http, { ...shared, responseType: 'arraybuffer', onProgress: (p) => progress.next(p) }),
        });
      },
    },
  ]);
};

/**
 * The client {@link provideMxClient} provided; call it in an injection context (a constructor, a field
 * initializer, `runInInjectionContext`).
 *
 * @example
 * ```ts
 * import { Injectable } from '@angular/core';
 * import { injectMxClient } from 'mx-statements-rx/angular';
 *
 * @Injectable({ providedIn: 'root' })
 * export class Institutions {
 *   private readonly client = injectMxClient();
 *   readonly mxBank$ = this.client.institutions.all$({ name: 'MX Bank' });
 * }
 * ```
 */
export const injectMxClient = (): MxClient => inject(MX_CLIENT);

/**
 * The download progress of the client's PDFs, as Angular's backend reports it (the core's own
 * `statement-progress` events come once a PDF has arrived whole, HttpClient delivering array buffers in one
 * piece). Hot: subscribe before the run.
 *
 * @example
 * ```ts
 * import { Component } from '@angular/core';
 * import { AsyncPipe } from '@angular/common';
 * import { injectMxDownloadProgress } from 'mx-statements-rx/angular';
 *
 * @Component({ selector: 'app-progress', imports: [AsyncPipe], template: `@if (progress$ | async; as p) { {{ p.loaded }} bytes }` })
 * export class ProgressComponent {
 *   readonly progress$ = injectMxDownloadProgress();
 * }
 * ```
 */
export const injectMxDownloadProgress = (): Observable<MxDownloadProgress> => inject(MX_DOWNLOAD_PROGRESS).asObservable();

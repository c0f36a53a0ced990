// app.config.ts
import { provideHttpClient, withFetch, withInterceptors, type HttpInterceptorFn } from '@angular/common/http';
import { provideZonelessChangeDetection, type ApplicationConfig } from '@angular/core';
import { MX_REQUEST, provideMxClient } from 'mx-statements-rx/angular';
import { mxBackend } from './mx-backend';

/**
 * Marks the library's calls to your same-origin backend proxy (for its CSRF rule); the app's own calls, and calls
 * to another origin (the demo sandbox), pass as they are.
 */
export const mxCsrfInterceptor: HttpInterceptorFn = (req, next) =>
  next(req.context.get(MX_REQUEST) && req.url.startsWith('/') ? req.clone({ setHeaders: { 'X-Requested-With': 'mx-statements' } }) : req);

export const appConfig: ApplicationConfig = {
  providers: [
    provideZonelessChangeDetection(),
    // withFetch(): Angular's fetch backend reports download progress and cancels with AbortController.
    provideHttpClient(withFetch(), withInterceptors([mxCsrfInterceptor])),
    provideMxClient({ baseUrl: mxBackend().baseUrl, auth: 'none', rateLimit: { requestsPerSecond: 5, burst: 5 } }),
  ],
};

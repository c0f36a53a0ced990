// mx-backend.ts — where the app's MX calls go.
//
// Normally a same-origin path: the Angular dev server (proxy.conf.json) or your web server forwards /api/mx to
// your backend proxy, which adds MX's credentials (docs/recipes/angular.md). For a demo against the embedded
// sandbox, open the app with ?mx=http://127.0.0.1:4010 (a sandbox started with --cors-origin for this page):
// the sandbox answers the browser's requests without a key, and polls at the sandbox's fast pace.
import { MX_POLLING, SANDBOX_POLLING, type PollPolicy } from 'mx-statements-rx';

export interface MxBackend {
  readonly baseUrl: string;
  readonly polling: PollPolicy;
}

export const mxBackend = (search: string = globalThis.location?.search ?? ''): MxBackend => {
  const sandbox = new URLSearchParams(search).get('mx');
  return sandbox ? { baseUrl: sandbox, polling: SANDBOX_POLLING } : { baseUrl: '/api/mx', polling: MX_POLLING };
};

import type { FetchInit, FetchLike, FetchResponseLike } from '../../lib/core/config.js';

/** One scripted answer of {@link fakeFetch}: a status with a body, a thrown error, or a promise that never settles. */
export type Script =
  | { readonly status: number; readonly body?: string | Uint8Array; readonly headers?: Record<string, string> }
  | { readonly throws: Error }
  | { readonly hang: true };

/** What the fake saw of one call. */
export interface SeenCall {
  readonly url: string;
  readonly init: FetchInit;
  /** The scheduler time (or clock) when the call was made. */
  readonly at: number;
}

/**
 * A spy `fetch` that answers from a script, one entry per call, and records every call with its time and
 * signal (so a spec can prove an abort). Bodies are real WHATWG `Response` bodies.
 */
export const fakeFetch = (script: ReadonlyArray<Script>, now: () => number = () => Date.now()) => {
  const calls: SeenCall[] = [];
  const fetch: FetchLike = (url, init) => {
    calls.push({ url, init, at: now() });
    const next = script[calls.length - 1];
    if (next === undefined) return Promise.reject(new Error(`fakeFetch: no script for call ${calls.length} (${url})`));
    if ('throws' in next) return Promise.reject(next.throws);
    if ('hang' in next) {
      return new Promise<FetchResponseLike>((_resolve, reject) => {
        init.signal.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' })));
      });
    }
    const body = next.status === 204 || next.body === undefined ? null : next.body;
    return Promise.resolve(new Response(body as BodyInit | null, { status: next.status, headers: next.headers }) as unknown as FetchResponseLike);
  };
  return { fetch, calls };
};

/** A network error the way node-fetch reports a reset or refused connection. */
export const systemError = (code: string, message = `connect ${code}`): Error => Object.assign(new Error(message), { code });

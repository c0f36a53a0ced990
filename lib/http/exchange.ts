import { Observable } from 'rxjs';
import type { FetchLike } from '../core/config.js';
import { httpStatusError, redactSecrets, type NetworkError, type RequestRef } from '../core/errors.js';
import { concatBytes, readBody } from './body.js';
import { MxFailure } from './failure.js';
import { parseRetryAfter } from './retry-after.js';

/** One HTTP request, fully built: absolute URL, every header, the body as text. */
export interface WireRequest extends RequestRef {
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
  /** Strings to scrub from anything that ends up in an error (API key, credential values, MFA answers). */
  readonly secrets: ReadonlyArray<string>;
}

/** What an exchange emits: the head of a 2xx response once, then its body chunk by chunk. */
export type ExchangeEvent =
  | { readonly kind: 'head'; readonly status: number; readonly contentLength: number | undefined }
  | { readonly kind: 'chunk'; readonly bytes: Uint8Array };

const ERROR_BODY_LIMIT = 4096;
const ERROR_BODY_SHOWN = 500;

const errorCode = (err: unknown): string | undefined => {
  const e = err as { code?: unknown; errno?: unknown; cause?: { code?: unknown } } | null;
  const code = e?.code ?? e?.cause?.code ?? e?.errno;
  return typeof code === 'string' ? code : undefined;
};

/** Maps whatever fetch or the body reader threw into a {@link NetworkError}, scrubbed of secrets. */
export const toNetworkError = (req: WireRequest, err: unknown): NetworkError => {
  const code = errorCode(err);
  const raw = err instanceof Error ? err.message : String(err);
  const detail = redactSecrets(raw.replace(req.url, req.path), req.secrets).slice(0, 300);
  return {
    _tag: 'NetworkError',
    method: req.method,
    path: req.path,
    message: `${req.method} ${req.path} failed: ${detail}`,
    ...(code ? { code } : {}),
  };
};

const parseLength = (v: string | null): number | undefined => {
  if (v === null || !/^\d+$/.test(v.trim())) return undefined;
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : undefined;
};

/**
 * One HTTP exchange per subscription, aborted (request and body read) on unsubscribe.
 *
 * A 2xx answer emits `head`, then each body chunk, then completes. Any other status reads at most 4 KiB of
 * the body and fails with the matching `HttpStatusError` (wrapped in {@link MxFailure}); transport failures fail
 * with a `NetworkError`. A failure after `head` was emitted is marked not retryable. `now` feeds the
 * `Retry-After` date arithmetic.
 */
export const exchange$ = (fetch: FetchLike, req: WireRequest, now: () => number): Observable<ExchangeEvent> =>
  new Observable<ExchangeEvent>((subscriber) => {
    const controller = new AbortController();
    let headSent = false;
    const run = async (): Promise<void> => {
      const res = await fetch(req.url, {
        method: req.method,
        headers: req.headers,
        ...(req.body !== undefined ? { body: req.body } : {}),
        signal: controller.signal,
      });
      if (subscriber.closed) return;
      if (res.status < 200 || res.status > 299) {
        const chunks: Uint8Array[] = [];
        let size = 0;
        for await (const chunk of readBody(res.body)) {
          chunks.push(chunk);
          size += chunk.byteLength;
          if (size >= ERROR_BODY_LIMIT) break;
        }
        const text = new TextDecoder().decode(concatBytes(chunks, size)).slice(0, ERROR_BODY_SHOWN);
        const body = redactSecrets(text, req.secrets);
        const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'), now());
        subscriber.error(new MxFailure(httpStatusError(req, res.status, body || undefined, retryAfterMs)));
        return;
      }
      headSent = true;
      subscriber.next({ kind: 'head', status: res.status, contentLength: parseLength(res.headers.get('content-length')) });
      for await (const bytes of readBody(res.body)) {
        if (subscriber.closed) return;
        subscriber.next({ kind: 'chunk', bytes });
      }
      subscriber.complete();
    };
    run().catch((err: unknown) => {
      if (subscriber.closed) return;
      subscriber.error(err instanceof MxFailure ? err : new MxFailure(toNetworkError(req, err), !headSent));
    });
    return () => controller.abort();
  });

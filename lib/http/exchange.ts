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

/**
 * What an exchange emits: the head of a 2xx response once, then its body chunk by chunk — or, when the caller
 * asked for whole text and the body's announced size allows it, the body as one `text`.
 */
export type ExchangeEvent =
  | { readonly kind: 'head'; readonly status: number; readonly contentLength: number | undefined }
  | { readonly kind: 'chunk'; readonly bytes: Uint8Array }
  | { readonly kind: 'text'; readonly text: string };

const ERROR_BODY_LIMIT = 4096;
const ERROR_BODY_SHOWN = 500;

const errorCode = (err: unknown): string | undefined => {
  try {
    const e = err as { code?: unknown; errno?: unknown; cause?: { code?: unknown } } | null;
    const code = e?.code ?? e?.cause?.code ?? e?.errno;
    return typeof code === 'string' ? code : undefined;
  } catch {
    return undefined;
  }
};

/** A readable text for whatever was thrown, never throwing itself (null-prototype objects, hostile getters). */
const describeThrown = (err: unknown): string => {
  try {
    if (err instanceof Error) return err.message;
    if (typeof err === 'string') return err;
    const message = (err as { message?: unknown } | null)?.message;
    return typeof message === 'string' ? message : `non-error value thrown (${typeof err})`;
  } catch {
    return 'unknown failure';
  }
};

/** Control characters (terminal escapes, NUL, newlines) shown as `\uXXXX`, so a hostile server cannot forge log lines. */
export const escapeControl = (text: string): string =>
  // eslint-disable-next-line no-control-regex
  text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** Maps whatever fetch or the body reader threw into a {@link NetworkError}, scrubbed of secrets. */
export const toNetworkError = (req: WireRequest, err: unknown): NetworkError => {
  const code = errorCode(err);
  const raw = describeThrown(err);
  const detail = escapeControl(redactSecrets(raw.split(req.url).join(req.path), req.secrets)).slice(0, 300);
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
 *
 * `wholeTextUpTo`: a body that announces (uncompressed) at most this many bytes is read in one `text()` call,
 * the fetch implementation's fast path; any other body streams as chunks, for the caller to bound.
 */
export const exchange$ = (
  fetch: FetchLike,
  req: WireRequest,
  now: () => number,
  wholeTextUpTo?: number,
): Observable<ExchangeEvent> =>
  new Observable<ExchangeEvent>((subscriber) => {
    const controller = new AbortController();
    let headSent = false;
    let finished = false;
    const run = async (): Promise<void> => {
      const res = await fetch(req.url, {
        method: req.method,
        headers: req.headers,
        ...(req.body !== undefined ? { body: req.body } : {}),
        signal: controller.signal,
      });
      if (subscriber.closed) return;
      if (res.status < 200 || res.status > 299) {
        const text = await readErrorBody(res.body);
        // Scrub the whole text before cutting it, so no secret straddles the cut.
        const body = escapeControl(redactSecrets(text, req.secrets)).slice(0, ERROR_BODY_SHOWN);
        const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'), now());
        subscriber.error(new MxFailure(httpStatusError(req, res.status, body || undefined, retryAfterMs)));
        return;
      }
      headSent = true;
      // A compressed body is decoded by fetch: its Content-Length counts the compressed bytes.
      const encoding = res.headers.get('content-encoding');
      const identity = encoding === null || encoding.trim() === '' || encoding.trim().toLowerCase() === 'identity';
      const contentLength = identity ? parseLength(res.headers.get('content-length')) : undefined;
      subscriber.next({ kind: 'head', status: res.status, contentLength });
      if (wholeTextUpTo !== undefined && contentLength !== undefined && contentLength <= wholeTextUpTo) {
        const text = await res.text();
        if (subscriber.closed) return;
        finished = true;
        subscriber.next({ kind: 'text', text });
        subscriber.complete();
        return;
      }
      for await (const bytes of readBody(res.body)) {
        if (subscriber.closed) return;
        subscriber.next({ kind: 'chunk', bytes });
      }
      finished = true;
      subscriber.complete();
    };
    run().catch((err: unknown) => {
      if (subscriber.closed) return;
      subscriber.error(err instanceof MxFailure ? err : new MxFailure(toNetworkError(req, err), !headSent));
    });
    return () => {
      // Nothing to cancel once a body was read to its end; aborting then would only cost time. An error answer
      // whose body was left unread is aborted, so its connection is released.
      if (!finished) controller.abort();
    };
  });

/** Reads at most 4 KiB of an error body as text; a body that breaks off yields what arrived. */
const readErrorBody = async (body: unknown): Promise<string> => {
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for await (const chunk of readBody(body)) {
      chunks.push(chunk);
      size += chunk.byteLength;
      if (size >= ERROR_BODY_LIMIT) break;
    }
  } catch {
    // The status is what matters; a broken error body is not a network failure.
  }
  return new TextDecoder().decode(concatBytes(chunks, size));
};

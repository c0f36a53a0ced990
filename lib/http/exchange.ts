/**
 * One HTTP exchange on the wire: the request as sent ({@link WireRequest}) and what its answer becomes when it
 * is not a plain success: a status failure, a network failure, the announced body size.
 *
 * @module
 */
import type { FetchResponseLike } from '../core/config.js';
import { httpStatusError, redactSecrets, scrubServerText, type NetworkError, type RequestRef } from '../core/errors.js';
import { withoutSecretStart } from '../core/secret-forms.js';
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
 * The body's announced size in bytes, or `undefined` when the server sent none, sent a malformed one, or
 * compressed the body (fetch decodes it, so its `Content-Length` counts the compressed bytes).
 */
export const announcedLength = (res: FetchResponseLike): number | undefined => {
  const encoding = res.headers.get('content-encoding');
  if (encoding !== null && !/^\s*(identity)?\s*$/i.test(encoding)) return undefined;
  return parseLength(res.headers.get('content-length'));
};

/**
 * The failure for a non-2xx answer: at most 4 KiB of its body is read (a read cut short loses any tail that
 * could start a secret), scrubbed of secrets before it is cut to 500 characters, control characters escaped;
 * `Retry-After` is read against `now`.
 */
export const statusFailure = async (res: FetchResponseLike, req: WireRequest, now: () => number): Promise<MxFailure> => {
  const read = await readErrorBody(res.body);
  // A read cut short may have cut a secret in two: its first part is not a whole form, so it goes first. Then the
  // whole text is scrubbed before it is cut to what is shown, so no secret straddles that cut.
  const text = read.cut ? withoutSecretStart(read.text, req.secrets) : read.text;
  const body = escapeControl(scrubServerText(text, req.secrets)).slice(0, ERROR_BODY_SHOWN);
  const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'), now());
  return new MxFailure(httpStatusError(req, res.status, body || undefined, retryAfterMs));
};

/**
 * Reads at most 4 KiB of an error body as text (`cut` when more followed; a character split by the cut is left
 * out); a body that breaks off yields what arrived.
 */
const readErrorBody = async (body: unknown): Promise<{ readonly text: string; readonly cut: boolean }> => {
  const chunks: Uint8Array[] = [];
  let size = 0;
  let cut = false;
  try {
    for await (const chunk of readBody(body)) {
      const room = ERROR_BODY_LIMIT - size;
      if (chunk.byteLength > room) {
        chunks.push(chunk.subarray(0, room));
        size += room;
        cut = true;
        break;
      }
      chunks.push(chunk);
      size += chunk.byteLength;
    }
  } catch {
    // The status is what matters; a broken error body is not a network failure.
  }
  return { text: new TextDecoder().decode(concatBytes(chunks, size), { stream: cut }), cut };
};

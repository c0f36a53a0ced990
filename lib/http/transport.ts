import * as E from 'fp-ts/lib/Either.js';
import type * as t from 'io-ts';
import type { Observable } from 'rxjs';
import type { ClientHints, FetchLike, FetchResponseLike, ResolvedConfig, RetryNotice } from '../core/config.js';
import { integrityError, serverTextScrubber, type DecodeError, type IntegrityError, type MxError, type NetworkError } from '../core/errors.js';
import { decodeBody, parseJsonBody } from '../codecs/decode.js';
import { concatBytes, readBody } from './body.js';
import { call$, type CallContext } from './call.js';
import { announcedLength, escapeControl, toNetworkError, type WireRequest } from './exchange.js';
import { MxFailure, isMxFailure } from './failure.js';
import { MX_JSON_ACCEPT, MX_PDF, MX_SANDBOX_HEADER, MX_SANDBOX_HEADER_VALUE } from './media-types.js';
import { createRateLimiter, type RateLimiter, type RequestPriority } from './rate-limiter.js';
import type { MxObservable } from '../core/observable-either.js';

/** An API call as the endpoint functions describe it; the transport adds host, auth and media types. */
export interface ApiRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path with encoded segments and query (see `apiPath` / `withQuery`). */
  readonly path: string;
  /** A JSON body. */
  readonly body?: unknown;
  /** Extra headers for this call only (for example `X-CALLBACK-PAYLOAD`). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Values this request carries that must never appear in an error: credential values, MFA answers. */
  readonly secrets?: ReadonlyArray<string>;
  /** Its place in the rate limiter's line (default: from the method and path, see `requestPriorityOf`). */
  readonly priority?: RequestPriority;
}

/** One piece of a streamed download. `contentLength` is the announced size, when the server sent one. */
export interface ByteChunk {
  readonly bytes: Uint8Array;
  /** Bytes received so far, this chunk included. */
  readonly received: number;
  readonly contentLength: number | undefined;
}

/** Options of {@link Transport.json$}. */
export interface JsonOptions<A> {
  /** The value for a 204 (or empty 2xx) answer; without it an empty body is a `DecodeError`. */
  readonly whenEmpty?: () => A;
}

/** The client's HTTP layer: every method is cold, one request per subscription, errors as `Left`. */
export interface Transport {
  /** A JSON call decoded with `codec`: emits exactly one `Either`, then completes. */
  json$<A>(req: ApiRequest, codec: t.Decoder<unknown, A>, options?: JsonOptions<A>): MxObservable<A>;
  /** A call whose answer has no body worth reading (204 on delete): emits `Right(status)` once. */
  empty$(req: ApiRequest): MxObservable<number>;
  /** A binary download (`Accept` given): `Right` chunks as they arrive, or one final `Left`. */
  bytes$(req: ApiRequest, accept?: string): MxObservable<ByteChunk>;
  /** What the answers so far said about the server (see `ClientHints`); a transport may leave it out. */
  readonly hints?: ClientHints;
  /** The client-wide rate limiter every call waits for (`undefined`: no rate limit). */
  readonly limiter?: RateLimiter;
}

/** JSON answers larger than this are refused rather than buffered. */
export const MAX_JSON_BYTES = 32 * 1024 * 1024;

const basicToken = (clientId: string, apiKey: string): string => {
  const bytes = new TextEncoder().encode(`${clientId}:${apiKey}`);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
};

/** Credentials kept out of the resolved config, so the config can be logged or inspected safely. */
export interface TransportCredentials {
  readonly clientId?: string;
  readonly apiKey?: string;
}

/**
 * Builds the transport for a resolved config. The Authorization header and the API key live only in this
 * closure; they are scrubbed from every error body and message.
 */
export const createTransport = (
  config: ResolvedConfig,
  credentials: TransportCredentials,
  fetch: FetchLike,
  downloadFetch: FetchLike = fetch,
  onRetry?: (notice: RetryNotice) => void,
): Transport => {
  const { scheduler } = config;
  const authHeaders: Record<string, string> = {};
  const clientSecrets: string[] = [];
  if (config.auth === 'basic' && credentials.clientId !== undefined && credentials.apiKey !== undefined) {
    const token = basicToken(credentials.clientId, credentials.apiKey);
    authHeaders.Authorization = `Basic ${token}`;
    clientSecrets.push(token, credentials.apiKey);
  }
  // Extra headers often carry a proxy's session token: scrub their values too (not a version or media type).
  for (const [name, value] of Object.entries(config.headers)) {
    if (!/^accept(-version)?$/i.test(name)) clientSecrets.push(value);
  }

  // The caller's headers may override Accept-Version (every call) and Accept (JSON calls only: a PDF download
  // keeps its own type unless the request itself names one). Names are matched case-insensitively.
  const jsonHeaders = withHeaders({ Accept: MX_JSON_ACCEPT[config.apiVersion], 'Accept-Version': config.apiVersion }, config.headers);
  const otherHeaders = withHeaders({ 'Accept-Version': config.apiVersion }, config.headers, ['accept']);

  // A fresh object per request: a fetch given by the caller may add to it.
  const headersFor = (req: ApiRequest, accept: string | undefined): Record<string, string> => {
    let headers = accept === undefined ? { ...jsonHeaders } : withHeaders(otherHeaders, { Accept: accept });
    if (req.headers !== undefined) headers = withHeaders(headers, req.headers);
    // Set last, so no header given by the caller or a request can replace them.
    Object.assign(headers, authHeaders);
    if (req.body !== undefined) headers['Content-Type'] = 'application/json';
    return headers;
  };
  const hints = { sandbox: false };
  const context: CallContext = {
    onResponse: (res) => {
      if (!hints.sandbox && res.headers.get(MX_SANDBOX_HEADER)?.trim().toLowerCase() === MX_SANDBOX_HEADER_VALUE) hints.sandbox = true;
    },
    limiter: config.rateLimiter ?? (config.rateLimit ? createRateLimiter(config.rateLimit, scheduler) : undefined),
    scheduler,
    timeoutMs: config.timeoutMs,
    retry: config.retry,
    random: config.random,
    ...(onRetry !== undefined ? { onRetry } : {}),
  };

  const wire = (req: ApiRequest, accept?: string): WireRequest => {
    const headers = headersFor(req, accept);
    const secrets = req.secrets === undefined ? clientSecrets : clientSecrets.concat(req.secrets);
    const url = config.baseUrl + req.path;
    return req.body === undefined
      ? { method: req.method, path: req.path, url, headers, secrets }
      : { method: req.method, path: req.path, url, headers, body: JSON.stringify(req.body), secrets };
  };

  return {
    hints,
    json$: <A>(req: ApiRequest, codec: t.Decoder<unknown, A>, options?: JsonOptions<A>) =>
      call$(context, () => {
        const w = wire(req);
        return { fetch, wire: w, priority: req.priority, mode: 'whole', read: (res) => readJsonText(res, w), decode: (text: string) => decodeJson(text, codec, w, options) };
      }),

    empty$: (req: ApiRequest) =>
      call$(context, () => ({ fetch, wire: wire(req), priority: req.priority, mode: 'whole', read: drainStatus, decode: E.right })),

    bytes$: (req: ApiRequest, accept = MX_PDF) =>
      call$<ByteChunk>(context, () => {
        const w = wire(req, accept);
        return { fetch: downloadFetch, wire: w, priority: req.priority, mode: 'stream', read: (res, emit) => streamBytes(res, w, emit) };
      }),
    ...(context.limiter !== undefined ? { limiter: context.limiter } : {}),
  };
};

/**
 * A copy of `base` with `extra` laid over it, header names matched case-insensitively (an `accept` in `extra`
 * replaces `Accept` in `base`); names listed in `skip` (lower case) are not taken from `extra`.
 */
const withHeaders = (
  base: Readonly<Record<string, string>>,
  extra: Readonly<Record<string, string>>,
  skip: ReadonlyArray<string> = [],
): Record<string, string> => {
  const out: Record<string, string> = { ...base };
  for (const [name, value] of Object.entries(extra)) {
    const lower = name.toLowerCase();
    if (skip.includes(lower)) continue;
    for (const key of Object.keys(out)) if (key.toLowerCase() === lower) delete out[key];
    out[name] = value;
  }
  return out;
};

/**
 * The body of a JSON answer as text: in one `text()` call when it announces a size within the cap, else
 * streamed and joined, refused beyond {@link MAX_JSON_BYTES}. A body that ends short of its announced size is a
 * `NetworkError` (a fetch that reports a cut connection fails `text()` itself; this catches one that does not).
 */
const readJsonText = async (res: FetchResponseLike, w: WireRequest): Promise<string> => {
  const announced = announcedLength(res);
  if (announced === undefined || announced > MAX_JSON_BYTES) return joinChunks(res, w);
  const text = await res.text();
  // UTF-8 never has fewer bytes than UTF-16 code units, so equal lengths (any ASCII body) need no counting.
  if (text.length !== announced) {
    const received = utf8Length(text);
    if (received < announced) throw new MxFailure(cutShort(w, received, announced), true);
  }
  return text;
};

/** The UTF-8 size of a string, without encoding it. */
const utf8Length = (text: string): number => {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
};

const cutShort = (w: WireRequest, received: number, announced: number): NetworkError => ({
  _tag: 'NetworkError',
  method: w.method,
  path: w.path,
  message: `${w.method} ${w.path} failed: the body broke off after ${received} of ${announced} bytes`,
});

const joinChunks = async (res: FetchResponseLike, w: WireRequest): Promise<string> => {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const bytes of readBody(res.body)) {
    size += bytes.byteLength;
    if (size > MAX_JSON_BYTES) {
      throw new MxFailure({
        _tag: 'DecodeError', method: w.method, path: w.path, errors: [],
        message: `${w.method} ${w.path}: response larger than ${MAX_JSON_BYTES} bytes`,
      }, false);
    }
    chunks.push(bytes);
  }
  return new TextDecoder().decode(concatBytes(chunks, size));
};

/** JSON text → the codec's type; an empty body is `whenEmpty()` when given. Secrets are scrubbed from failures. */
const decodeJson = <A>(text: string, codec: t.Decoder<unknown, A>, w: WireRequest, options?: JsonOptions<A>): E.Either<MxError, A> => {
  if (options?.whenEmpty && /^\s*$/.test(text)) return E.right(options.whenEmpty());
  const json = parseJsonBody(text, w);
  const decoded = E.isLeft(json) ? json : decodeBody(codec, json.right, w);
  return E.isLeft(decoded) ? E.left(scrubDecodeError(decoded.left, w.secrets)) : decoded;
};

/** Reads the body to its end (so the connection can be reused) and yields the status. */
const drainStatus = async (res: FetchResponseLike): Promise<number> => {
  for await (const _ of readBody(res.body)) {
    // Nothing to keep.
  }
  return res.status;
};

/**
 * Passes the body on chunk by chunk, checked against its announced length: more bytes than announced, fewer,
 * or a body that breaks off are an `IntegrityError`, never retried (chunks were already passed on).
 */
const streamBytes = async (res: FetchResponseLike, w: WireRequest, emit: (chunk: ByteChunk) => void): Promise<void> => {
  const contentLength = announcedLength(res);
  let received = 0;
  try {
    for await (const bytes of readBody(res.body)) {
      received += bytes.byteLength;
      if (contentLength !== undefined && received > contentLength) {
        throw new MxFailure(lengthError(w, 'length-mismatch', contentLength, received), false);
      }
      emit({ bytes, received, contentLength });
    }
  } catch (err) {
    if (isMxFailure(err)) throw err;
    throw new MxFailure(lengthError(w, 'truncated', contentLength, received, toNetworkError(w, err).message), false);
  }
  if (contentLength !== undefined && received !== contentLength) {
    throw new MxFailure(lengthError(w, 'truncated', contentLength, received), false);
  }
};

/** A decode error quotes the offending values: those may be secrets we sent (a credential echoed back). */
const scrubDecodeError = (e: DecodeError, secrets: ReadonlyArray<string>): DecodeError => {
  const scrub = serverTextScrubber(secrets);
  return { ...e, message: escapeControl(scrub(e.message)), errors: e.errors.map((line) => escapeControl(scrub(line))) };
};

const lengthError = (
  w: WireRequest,
  reason: 'truncated' | 'length-mismatch',
  expected: number | undefined,
  actual: number,
  cause?: string,
): IntegrityError =>
  integrityError(
    w,
    reason,
    reason === 'truncated'
      ? `${w.method} ${w.path}: body broke off after ${actual} of ${expected ?? 'unknown'} bytes${cause ? ` (${cause})` : ''}`
      : `${w.method} ${w.path}: received ${actual} bytes, more than the announced ${expected}`,
    { expected, actual },
  );

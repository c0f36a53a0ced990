import * as E from 'fp-ts/lib/Either.js';
import type * as t from 'io-ts';
import {
  Observable, catchError, concatMap, defer, map, of, reduce, retry, throwError, timeout, timer,
} from 'rxjs';
import type { FetchLike, ResolvedConfig } from '../core/config.js';
import { integrityError, redactSecrets, type DecodeError, type IntegrityError, type MxError, type Timeout } from '../core/errors.js';
import { decodeBody, parseJsonBody } from '../codecs/decode.js';
import { concatBytes } from './body.js';
import { escapeControl, exchange$, type ExchangeEvent, type WireRequest } from './exchange.js';
import { MxFailure, isMxFailure } from './failure.js';
import { MX_JSON, MX_PDF } from './media-types.js';
import { createRateLimiter, unlimited, type RateLimiter } from './rate-limiter.js';
import { retryDelayFor } from './retry-decision.js';

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
  json$<A>(req: ApiRequest, codec: t.Decoder<unknown, A>, options?: JsonOptions<A>): Observable<E.Either<MxError, A>>;
  /** A call whose answer has no body worth reading (204 on delete): emits `Right(status)` once. */
  empty$(req: ApiRequest): Observable<E.Either<MxError, number>>;
  /** A binary download (`Accept` given): `Right` chunks as they arrive, or one final `Left`. */
  bytes$(req: ApiRequest, accept?: string): Observable<E.Either<MxError, ByteChunk>>;
}

/** JSON answers larger than this are refused rather than buffered. */
export const MAX_JSON_BYTES = 32 * 1024 * 1024;

const toEither = <A>(source: Observable<A>): Observable<E.Either<MxError, A>> =>
  source.pipe(
    map((a) => E.right(a) as E.Either<MxError, A>),
    catchError((err: unknown) => (isMxFailure(err) ? of(E.left(err.error)) : throwError(() => err))),
  );

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
): Transport => {
  const { scheduler } = config;
  const limiter: RateLimiter = config.rateLimit ? createRateLimiter(config.rateLimit, scheduler) : unlimited;
  const authHeaders: Record<string, string> = {};
  const clientSecrets: string[] = [];
  if (config.auth === 'basic' && credentials.clientId !== undefined && credentials.apiKey !== undefined) {
    const token = basicToken(credentials.clientId, credentials.apiKey);
    authHeaders.Authorization = `Basic ${token}`;
    clientSecrets.push(token, credentials.apiKey);
  }
  // Extra headers often carry a proxy's session token: scrub their values too.
  clientSecrets.push(...Object.values(config.headers));

  const wire = (req: ApiRequest, accept: string): WireRequest => {
    const headers: Record<string, string> = { ...config.headers, ...req.headers, ...authHeaders, Accept: accept };
    let body: string | undefined;
    if (req.body !== undefined) {
      body = JSON.stringify(req.body);
      headers['Content-Type'] = 'application/json';
    }
    return {
      method: req.method,
      path: req.path,
      url: config.baseUrl + req.path,
      headers,
      ...(body !== undefined ? { body } : {}),
      secrets: [...clientSecrets, ...(req.secrets ?? [])],
    };
  };

  const timeoutFailure = (w: WireRequest, retryable: boolean): MxFailure => {
    const error: Timeout = {
      _tag: 'Timeout',
      method: w.method,
      path: w.path,
      timeoutMs: config.timeoutMs,
      message: `${w.method} ${w.path} got no answer within ${config.timeoutMs} ms`,
    };
    return new MxFailure(error, retryable);
  };

  /** Rate limit → exchange → timeout, retried as the policy says. Each attempt takes its own token. */
  const attempt$ = <A>(
    w: WireRequest,
    run: (events: Observable<ExchangeEvent>) => Observable<A>,
    each: boolean,
    wholeTextUpTo?: number,
    via: FetchLike = fetch,
  ) =>
    defer(() => limiter.acquire$).pipe(
      concatMap(() =>
        run(exchange$(via, w, () => scheduler.now(), wholeTextUpTo)).pipe(
          timeout({
            ...(each ? { each: config.timeoutMs } : { first: config.timeoutMs }),
            scheduler,
            // Once chunks were passed on, a stalled body is final: a retry would repeat them.
            with: (info) => throwError(() => timeoutFailure(w, info.seen === 0)),
          }),
        ),
      ),
      retry({
        count: config.retry.maxAttempts - 1,
        delay: (err: unknown, n: number) => {
          if (!isMxFailure(err) || !err.retryable) return throwError(() => err);
          const ms = retryDelayFor(err.error, w.method, n, config.retry, config.random);
          return ms === undefined ? throwError(() => err) : timer(ms, scheduler);
        },
      }),
    );

  /** The body as text: one `text` event (announced size within the cap), or chunks joined up to the cap. */
  const collect = (w: WireRequest) => (events: Observable<ExchangeEvent>) =>
    events.pipe(
      reduce(
        (acc, e) => {
          if (e.kind === 'text') return { ...acc, text: e.text };
          if (e.kind !== 'chunk') return acc;
          const size = acc.size + e.bytes.byteLength;
          if (size > MAX_JSON_BYTES) {
            throw new MxFailure({
              _tag: 'DecodeError', method: w.method, path: w.path, errors: [],
              message: `${w.method} ${w.path}: response larger than ${MAX_JSON_BYTES} bytes`,
            }, false);
          }
          acc.chunks.push(e.bytes);
          return { ...acc, size };
        },
        { chunks: [] as Uint8Array[], size: 0, text: undefined as string | undefined },
      ),
      map(({ chunks, size, text }) => text ?? new TextDecoder().decode(concatBytes(chunks, size))),
    );

  return {
    json$: <A>(req: ApiRequest, codec: t.Decoder<unknown, A>, options?: JsonOptions<A>) =>
      defer(() => {
        const w = wire(req, MX_JSON);
        return toEither(
          attempt$(w, collect(w), false, MAX_JSON_BYTES).pipe(
            map((text) => {
              if (text.trim() === '' && options?.whenEmpty) return options.whenEmpty();
              const decoded = E.chain((json: unknown) => decodeBody(codec, json, w))(parseJsonBody(text, w));
              if (E.isLeft(decoded)) throw new MxFailure(scrubDecodeError(decoded.left, w.secrets), false);
              return decoded.right;
            }),
          ),
        );
      }),

    empty$: (req: ApiRequest) =>
      defer(() => {
        const w = wire(req, MX_JSON);
        return toEither(
          attempt$(w, (events) => events.pipe(
            reduce((status, e) => (e.kind === 'head' ? e.status : status), 0),
          ), false),
        );
      }),

    bytes$: (req: ApiRequest, accept = MX_PDF) =>
      defer(() => {
        const w = wire(req, accept);
        return toEither(
          attempt$(w, (events) => new Observable<ByteChunk>((subscriber) => {
            let contentLength: number | undefined;
            let received = 0;
            return events.subscribe({
              next: (e) => {
                if (e.kind === 'head') contentLength = e.contentLength;
                if (e.kind !== 'chunk') return; // no `text` here: bytes$ never asks for whole text
                received += e.bytes.byteLength;
                if (contentLength !== undefined && received > contentLength) {
                  subscriber.error(new MxFailure(lengthError(w, 'length-mismatch', contentLength, received), false));
                  return;
                }
                subscriber.next({ bytes: e.bytes, received, contentLength });
              },
              error: (err: unknown) => {
                // A body that broke off after bytes were passed on is a truncated download, not a retry.
                if (isMxFailure(err) && !err.retryable && err.error._tag === 'NetworkError') {
                  subscriber.error(new MxFailure(lengthError(w, 'truncated', contentLength, received, err.error.message), false));
                } else subscriber.error(err);
              },
              complete: () => {
                if (contentLength !== undefined && received !== contentLength) {
                  subscriber.error(new MxFailure(lengthError(w, 'truncated', contentLength, received), false));
                } else subscriber.complete();
              },
            });
          }), true, undefined, downloadFetch),
        );
      }),
  };
};

/** A decode error quotes the offending values: those may be secrets we sent (a credential echoed back). */
const scrubDecodeError = (e: DecodeError, secrets: ReadonlyArray<string>): DecodeError => ({
  ...e,
  message: escapeControl(redactSecrets(e.message, secrets)),
  errors: e.errors.map((line) => escapeControl(redactSecrets(line, secrets))),
});

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

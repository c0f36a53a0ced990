/**
 * A `fetch` that answers with arbitrary, even illegal, responses: any status, any headers, a body as a Node
 * readable (like cross-fetch's node-fetch) or a WHATWG stream (like browsers), one that breaks off, or one that
 * never ends. Records every call's `AbortSignal`, so a spec can prove the abort.
 */
import { Readable } from 'node:stream';
import fc from 'fast-check';
import type { FetchInit, FetchLike, FetchResponseLike } from '../../../lib/core/config.js';
import { bodyBytes, contentLength, retryAfter } from './arbitraries.js';

/** How the body is delivered. */
export type BodyKind = 'node' | 'web' | 'null' | 'breaks' | 'hangs';

/** One scripted answer. */
export interface StubAnswer {
  readonly status: number;
  readonly bytes: Uint8Array;
  readonly kind: BodyKind;
  readonly headers: Readonly<Record<string, string>>;
  /** Chunk size the body is cut into. */
  readonly chunk: number;
}

/** What fetch may do instead of answering: reject with any value. */
export interface StubThrow {
  readonly throws: unknown;
}

const chunks = (bytes: Uint8Array, size: number): Uint8Array[] => {
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.byteLength; i += size) out.push(bytes.slice(i, i + size));
  return out;
};

const nodeBody = (a: StubAnswer, signal: AbortSignal): Readable => {
  const parts = chunks(a.bytes, a.chunk);
  const cut = Math.floor(parts.length / 2);
  let sent = 0;
  const stream = new Readable({
    read() {
      if (a.kind === 'breaks' && sent >= cut) {
        this.destroy(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
        return;
      }
      const next = parts.shift();
      sent += 1;
      if (next === undefined && a.kind === 'hangs') return; // never ends
      this.push(next === undefined ? null : Buffer.from(next));
    },
  });
  signal.addEventListener('abort', () => stream.destroy(Object.assign(new Error('The operation was aborted.'), { name: 'AbortError' })));
  return stream;
};

const webBody = (a: StubAnswer, signal: AbortSignal): ReadableStream<Uint8Array> => {
  const parts = chunks(a.bytes, a.chunk);
  const cut = Math.floor(parts.length / 2);
  let sent = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (signal.aborted) return controller.error(new DOMException('aborted', 'AbortError'));
      if (a.kind === 'breaks' && sent >= cut) return controller.error(new TypeError('network error'));
      const next = parts.shift();
      sent += 1;
      if (next === undefined) {
        if (a.kind === 'hangs') return new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve()));
        return controller.close();
      }
      controller.enqueue(next);
      return undefined;
    },
  });
};

/** A stub fetch answering `script` in order (the last entry repeats). */
export const stubFetch = (script: ReadonlyArray<StubAnswer | StubThrow>) => {
  const calls: Array<{ url: string; init: FetchInit }> = [];
  const fetch: FetchLike = (url, init) => {
    calls.push({ url, init });
    const a = script[Math.min(calls.length, script.length) - 1];
    if (a === undefined) return Promise.reject(new Error('stubFetch: empty script'));
    if ('throws' in a) return Promise.reject(a.throws);
    const headers = new Map(Object.entries(a.headers).map(([k, v]) => [k.toLowerCase(), v]));
    const res: FetchResponseLike = {
      status: a.status,
      headers: { get: (name) => headers.get(name.toLowerCase()) ?? null },
      body: a.kind === 'null' ? null : a.kind === 'web' ? webBody(a, init.signal) : nodeBody(a, init.signal),
      text: () => Promise.resolve(new TextDecoder().decode(a.bytes)),
    };
    return Promise.resolve(res);
  };
  return { fetch, calls };
};

/** Any HTTP status, the usual ones more often. */
export const status = (): fc.Arbitrary<number> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(200, 201, 202, 204, 400, 401, 403, 404, 405, 406, 409, 422, 429, 500, 502, 503, 504) },
    { weight: 1, arbitrary: fc.integer({ min: 100, max: 999 }) },
  );

/** An arbitrary answer; `hangs` only when `allowHang`. */
export const answer = (opts: { allowHang?: boolean; secret?: string } = {}): fc.Arbitrary<StubAnswer> =>
  fc
    .record({
      status: status(),
      bytes: opts.secret === undefined
        ? bodyBytes()
        : fc.oneof(bodyBytes(), bodyBytes().map((b) => new TextEncoder().encode(`{"error":"bad key ${opts.secret}"} ${new TextDecoder().decode(b)}`))),
      kind: fc.constantFrom<BodyKind>('node', 'web', 'null', 'breaks', ...(opts.allowHang ? (['hangs'] as const) : [])),
      chunk: fc.integer({ min: 1, max: 64 }),
      retryAfter: retryAfter(),
      contentType: fc.constantFrom('application/vnd.mx.api.v1+json', 'text/html', 'application/octet-stream', ''),
    })
    .chain((a) =>
      contentLength(a.bytes.byteLength).map((cl) => ({
        status: a.status,
        bytes: a.bytes,
        kind: a.kind,
        chunk: a.chunk,
        headers: {
          ...(cl !== undefined ? { 'content-length': cl } : {}),
          ...(a.retryAfter !== undefined ? { 'retry-after': a.retryAfter } : {}),
          ...(a.contentType ? { 'content-type': a.contentType } : {}),
        },
      })),
    );

/** Anything fetch might reject with: errors with codes, a message carrying a secret, non-errors. */
export const thrown = (secret: string): fc.Arbitrary<StubThrow> =>
  fc.oneof(
    fc.constantFrom('ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'ENOTFOUND', 'EPIPE', 'UND_ERR_SOCKET')
      .map((code) => ({ throws: Object.assign(new Error(`request failed, reason: ${code}`), { code }) })),
    fc.string().map((m) => ({ throws: new Error(`${m} Authorization: Basic ${secret}`) })),
    fc.anything({ maxDepth: 2 }).map((v) => ({ throws: v })),
    fc.constant({ throws: Object.assign(new Error('aborted'), { name: 'AbortError' }) }),
    fc.constant({ throws: new TypeError('fetch failed', { cause: Object.assign(new Error('x'), { code: 'ECONNRESET' }) }) }),
  );

/**
 * `nodeFetch`: a fetch on `node:http` / `node:https`, for the client's PDF downloads in Node (`downloadFetch`).
 *
 * Why a fetch of our own: Node's platform fetch (undici) is ~5 MB of code and WebAssembly loaded on first use,
 * and passes every body chunk through a Node stream and then a WHATWG byte stream (with a copy of it): for large
 * downloads that is more garbage per byte and a higher peak RSS (see bench/README.md, `bigPdf`). node-fetch
 * (cross-fetch) pipes the body through a `PassThrough` that never hears of a connection lost under
 * `Content-Length`, so a truncated PDF waits for the timeout. This one hands out the `IncomingMessage` itself:
 * the chunks as `node:http` parsed them, and a body cut short errors at once (Node destroys the message with
 * `aborted` when its socket closes early).
 *
 * @module
 */
import {
  Agent, request as httpRequest, type ClientRequestArgs, type IncomingMessage, type OutgoingHttpHeaders, type RequestOptions,
} from 'node:http';
import { connect, type NetConnectOpts, type Socket } from 'node:net';
import { pipeline, type Readable, type Transform } from 'node:stream';
import type { FetchInit, FetchLike, FetchResponseLike } from '../core/config.js';

/** libuv reads at most 64 KiB from a socket at a time. */
const READ_BUFFER_BYTES = 64 * 1024;

/**
 * The agent of plain `http:` requests: keep-alive like Node's global agent, but each connection reads into one
 * 64 KiB buffer of its own (net's documented `onread` option), reused read after read, instead of a fresh buffer
 * per read. Node's HTTP client parses each read synchronously in its `'data'` listener and copies the body out
 * (header fragments are saved by the parser too), so the buffer is free again when the listener returns. For a
 * large download this halves the buffers allocated per byte: the fresh read buffers were half of the garbage
 * (bench `bigPdf`: 4–6 MB lower peak RSS). `pause()`/`resume()` keep working on such sockets (they stop and
 * start the reads); `'end'`, `'error'` and `'close'` are emitted as usual.
 */
class ReusedReadBufferAgent extends Agent {
  override createConnection(options: ClientRequestArgs): Socket {
    const buffer = Buffer.allocUnsafe(READ_BUFFER_BYTES);
    const socket: Socket = connect({
      ...(options as NetConnectOpts),
      onread: {
        buffer,
        callback: (bytes: number, buf: Uint8Array): boolean => {
          socket.emit('data', Buffer.from(buf.buffer, buf.byteOffset, bytes));
          return true;
        },
      },
    });
    return socket;
  }
}

/** The same settings as Node's `http.globalAgent`. */
const httpAgent = new ReusedReadBufferAgent({ keepAlive: true, scheduling: 'lifo', timeout: 5000 });

const MAX_REDIRECTS = 20;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** Headers that must not follow a redirect to another origin (what fetch drops too). */
const CREDENTIAL_HEADERS = new Set(['authorization', 'cookie', 'proxy-authorization']);

type RequestFn = (url: URL, options: RequestOptions) => ReturnType<typeof httpRequest>;

const plainRequest: RequestFn = (url, options) => httpRequest(url, { ...options, agent: httpAgent });
let httpsRequest: Promise<RequestFn> | undefined;
/** `node:https` is loaded on the first https request only (it pulls in TLS); it uses Node's global agent. */
const requestFor = (url: URL): RequestFn | Promise<RequestFn> => {
  if (url.protocol === 'http:') return plainRequest;
  if (url.protocol === 'https:') return (httpsRequest ??= import('node:https').then((m) => m.request));
  throw new TypeError(`nodeFetch: unsupported protocol ${url.protocol}`);
};

const abortError = (signal: AbortSignal): unknown =>
  signal.reason ?? new DOMException('This operation was aborted', 'AbortError');

/** The body as fetch would give it: decoded when the server compressed it (zlib loaded only then). */
const decodedBody = async (res: IncomingMessage): Promise<Readable> => {
  const codings = (res.headers['content-encoding'] ?? '').split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '' && c !== 'identity');
  if (codings.length === 0) return res;
  const zlib = await import('node:zlib');
  // lenient about a body that ends mid-block, as fetch implementations are
  const zlibFlush = { flush: zlib.constants.Z_SYNC_FLUSH, finishFlush: zlib.constants.Z_SYNC_FLUSH };
  const brotliFlush = { flush: zlib.constants.BROTLI_OPERATION_FLUSH, finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH };
  const decoders: Transform[] = [];
  for (const coding of codings.reverse()) {
    if (coding === 'gzip' || coding === 'x-gzip') decoders.push(zlib.createGunzip(zlibFlush));
    else if (coding === 'deflate') decoders.push(zlib.createInflate(zlibFlush));
    else if (coding === 'br') decoders.push(zlib.createBrotliDecompress(brotliFlush));
    else return res; // an unknown coding: hand the bytes over as they came (fetch does the same)
  }
  // pipeline destroys every stream on the first error, so a cut-off body still errors the decoded one; its
  // callback has nothing to add. It returns the last stream, typed as a writable only.
  return pipeline([res, ...decoders], () => undefined) as unknown as Readable;
};

const responseOf = (res: IncomingMessage, body: Readable): FetchResponseLike => ({
  status: res.statusCode ?? 0,
  headers: {
    get: (name) => {
      const value = res.headers[name.toLowerCase()];
      if (value === undefined) return null;
      return Array.isArray(value) ? value.join(', ') : value;
    },
  },
  body,
  text: async () => {
    const chunks: Uint8Array[] = [];
    for await (const chunk of body) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Uint8Array));
    return new TextDecoder().decode(Buffer.concat(chunks));
  },
});

/** One request (no redirect handling): resolves with the response head, its body not read yet. */
const send = async (
  url: URL,
  method: string,
  headers: OutgoingHttpHeaders,
  body: string | undefined,
  signal: AbortSignal,
): Promise<IncomingMessage> => {
  const request = await requestFor(url);
  return new Promise<IncomingMessage>((resolve, reject) => {
    if (signal.aborted) {
      reject(abortError(signal));
      return;
    }
    let res: IncomingMessage | undefined;
    const onAbort = () => {
      const err = abortError(signal);
      req.destroy(err as Error);
      res?.destroy(err as Error);
      reject(err);
    };
    const req = request(url, { method, headers });
    signal.addEventListener('abort', onAbort, { once: true });
    req.once('close', () => {
      signal.removeEventListener('abort', onAbort);
      // Closed with no response and no error: a 101 upgrade answer (Node drops the socket without telling).
      if (res === undefined) reject(Object.assign(new Error('the connection closed before a response'), { code: 'ECONNRESET' }));
    });
    req.on('error', reject); // not once: a socket error after the response is emitted here too (a no-op then)
    req.once('response', (message) => {
      res = message;
      resolve(message);
    });
    req.end(body);
  });
};

/**
 * A {@link FetchLike} on `node:http` (and `node:https`, loaded on first use): pass it as the client's
 * `downloadFetch` in Node (it serves any call, as `fetch`, too). Its `body` is the response's Node readable,
 * chunk by chunk as the socket delivers them; a body that breaks off before its `Content-Length` (or its last
 * chunk) fails the read at once with `aborted` (`ECONNRESET`). Aborting `init.signal` destroys the request and its body. Redirects are followed like fetch's
 * `redirect: 'follow'` (at most 20; credentials are not sent to another origin); gzip, deflate and br bodies
 * are decoded. Connections are kept alive: `http:` ones by an agent of this module whose sockets read into a
 * reused buffer (less garbage per byte downloaded), `https:` ones by Node's global agent.
 *
 * @example
 * ```ts
 * import { createMxClient } from 'mx-statements-rx';
 * import { nodeFetch } from 'mx-statements-rx/node';
 * const client = createMxClient({ environment: 'integration', clientId: 'id', apiKey: 'key', downloadFetch: nodeFetch });
 * ```
 */
export const nodeFetch: FetchLike = async (input: string, init: FetchInit): Promise<FetchResponseLike> => {
  let url = new URL(input);
  let method = init.method.toUpperCase();
  let body = init.body;
  const headers: Record<string, string> = { ...init.headers };
  for (let hops = 0; ; hops++) {
    const res = await send(url, method, headers, body, init.signal);
    const location = res.headers.location;
    if (!REDIRECTS.has(res.statusCode ?? 0) || location === undefined) {
      return responseOf(res, await decodedBody(res));
    }
    res.resume(); // a redirect's own body is not wanted: let the connection go back to the pool
    if (hops >= MAX_REDIRECTS) throw new TypeError(`nodeFetch: more than ${MAX_REDIRECTS} redirects`);
    const next = new URL(location, url);
    if (next.origin !== url.origin) {
      for (const name of Object.keys(headers)) if (CREDENTIAL_HEADERS.has(name.toLowerCase())) delete headers[name];
    }
    const toGet = res.statusCode === 303 ? method !== 'HEAD' : (res.statusCode === 301 || res.statusCode === 302) && method === 'POST';
    if (toGet) {
      method = 'GET';
      body = undefined;
      for (const name of Object.keys(headers)) if (name.toLowerCase() === 'content-type') delete headers[name];
    }
    url = next;
  }
};

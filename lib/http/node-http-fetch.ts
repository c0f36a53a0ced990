/**
 * `nodeFetch`: a fetch on `node:http` / `node:https`, the client's default in Node for API calls and PDF
 * downloads alike (`mx-statements-rx/node` exports it as well).
 *
 * Why a fetch of our own: node-fetch (cross-fetch's Node backend) pipes the body through a `PassThrough` that never
 * hears of a connection lost under `Content-Length`, and never settles when a server answers `101 Switching
 * Protocols`: a JSON body cut short or an upgrade answer waited for the 30-s timeout, on every retry. Node's
 * platform fetch (undici) reports both, but costs ~40 % more per small call on loopback and makes more garbage per
 * downloaded byte (bench `overhead`, `bigPdf`). This one hands out the `IncomingMessage` itself: the chunks as
 * `node:http` parsed them, and a body cut short errors at once (Node destroys the message with `aborted` when its
 * socket closes early); a 101 answer rejects at once.
 *
 * It lives in the isomorphic core but imports nothing from Node: it reaches `node:http` and friends through
 * `process.getBuiltinModule` (Node ≥ 20.16) at its first call, so browser bundles carry it as dead code and never
 * run it ({@link nodeHttpAvailable} says whether it can run here).
 *
 * @module
 */
import type * as NodeHttp from 'node:http';
import type * as NodeHttps from 'node:https';
import type * as NodeNet from 'node:net';
import type * as NodeStream from 'node:stream';
import type * as NodeZlib from 'node:zlib';
import type { FetchInit, FetchLike, FetchResponseLike } from '../core/config.js';

type Readable = NodeStream.Readable;
type IncomingMessage = NodeHttp.IncomingMessage;
type RequestFn = (url: URL, options: NodeHttp.RequestOptions) => NodeHttp.ClientRequest;

/** A Node built-in module, looked up at run time (never imported, so bundles for browsers do not pull it in). */
const builtin = <M>(id: string): M | undefined => {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  return typeof proc?.getBuiltinModule === 'function' ? (proc.getBuiltinModule(id) as M | undefined) : undefined;
};

/**
 * Whether {@link nodeFetch} can run here: Node ≥ 20.16 (it needs `process.getBuiltinModule`).
 *
 * @example
 * ```ts
 * import { nodeHttpAvailable } from './node-http-fetch.js';
 * nodeHttpAvailable(); // true in Node, false in a browser
 * ```
 */
export const nodeHttpAvailable = (): boolean => builtin('node:http') !== undefined;

/** libuv reads at most 64 KiB from a socket at a time. */
const READ_BUFFER_BYTES = 64 * 1024;

interface Runtime {
  readonly plainRequest: RequestFn;
  readonly httpsRequest: RequestFn;
  readonly stream: typeof NodeStream;
}

let runtime: Runtime | undefined;

/**
 * The modules and the agent, made at the first call. The agent of plain `http:` requests keeps connections alive
 * like Node's global agent, but each connection reads into one 64 KiB buffer of its own (net's documented
 * `onread` option), reused read after read, instead of a fresh buffer per read. Node's HTTP client parses each
 * read synchronously in its `'data'` listener and copies the body out, so the buffer is free again when the
 * listener returns: for a large download this halves the buffers allocated per byte (bench `bigPdf`: 4–6 MB
 * lower peak RSS). `https:` requests use Node's global agent.
 */
const load = (): Runtime => {
  if (runtime !== undefined) return runtime;
  const http = builtin<typeof NodeHttp>('node:http');
  const net = builtin<typeof NodeNet>('node:net');
  const stream = builtin<typeof NodeStream>('node:stream');
  if (!http || !net || !stream) throw new TypeError('nodeFetch needs Node ≥ 20.16 (process.getBuiltinModule)');
  const { connect } = net;
  class ReusedReadBufferAgent extends http.Agent {
    override createConnection(options: NodeHttp.ClientRequestArgs): NodeNet.Socket {
      const buffer = Buffer.allocUnsafe(READ_BUFFER_BYTES);
      const socket: NodeNet.Socket = connect({
        ...(options as NodeNet.NetConnectOpts),
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
  const agent = new ReusedReadBufferAgent({ keepAlive: true, scheduling: 'lifo', timeout: 5000 });
  runtime = {
    plainRequest: (url, options) => http.request(url, { ...options, agent }),
    // node:https (and TLS with it) is looked up on the first https request only.
    httpsRequest: (url, options) => {
      const https = builtin<typeof NodeHttps>('node:https');
      if (https === undefined) throw new TypeError('nodeFetch: node:https is not available');
      return https.request(url, options);
    },
    stream,
  };
  return runtime;
};

const MAX_REDIRECTS = 20;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** Headers that must not follow a redirect to another origin (what fetch drops too). */
const CREDENTIAL_HEADERS = new Set(['authorization', 'cookie', 'proxy-authorization']);

const requestFor = (rt: Runtime, url: URL): RequestFn => {
  if (url.protocol === 'http:') return rt.plainRequest;
  if (url.protocol === 'https:') return rt.httpsRequest;
  throw new TypeError(`nodeFetch: unsupported protocol ${url.protocol}`);
};

const abortError = (signal: AbortSignal): unknown =>
  signal.reason ?? new DOMException('This operation was aborted', 'AbortError');

const cutShort = (): Error => Object.assign(new Error('aborted: the body was cut short'), { code: 'ECONNRESET' });

/** The body as fetch would give it: decoded when the server compressed it (zlib looked up only then). */
const decodedBody = (rt: Runtime, res: IncomingMessage): Readable => {
  const codings = (res.headers['content-encoding'] ?? '').split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '' && c !== 'identity');
  if (codings.length === 0) return res;
  const zlib = builtin<typeof NodeZlib>('node:zlib');
  if (zlib === undefined) return res;
  // lenient about a body that ends mid-block, as fetch implementations are
  const zlibFlush = { flush: zlib.constants.Z_SYNC_FLUSH, finishFlush: zlib.constants.Z_SYNC_FLUSH };
  const brotliFlush = { flush: zlib.constants.BROTLI_OPERATION_FLUSH, finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH };
  const decoders: NodeStream.Transform[] = [];
  for (const coding of codings.reverse()) {
    if (coding === 'gzip' || coding === 'x-gzip') decoders.push(zlib.createGunzip(zlibFlush));
    else if (coding === 'deflate') decoders.push(zlib.createInflate(zlibFlush));
    else if (coding === 'br') decoders.push(zlib.createBrotliDecompress(brotliFlush));
    else return res; // an unknown coding: hand the bytes over as they came (fetch does the same)
  }
  // pipeline destroys every stream on the first error, so a cut-off body still errors the decoded one; its
  // callback has nothing to add. It returns the last stream, typed as a writable only.
  return rt.stream.pipeline([res, ...decoders], () => undefined) as unknown as Readable;
};

/**
 * The whole body as text, from `'data'` events (several times cheaper than an async iterator for a small JSON
 * body). A body destroyed before its end (cut short, aborted) rejects, whether it happened before or after the
 * call.
 */
const readText = (body: Readable): Promise<string> =>
  new Promise<string>((resolve, reject) => {
    if (body.readableEnded) {
      resolve('');
      return;
    }
    if (body.destroyed) {
      reject(body.errored ?? cutShort());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    body.on('data', (chunk: Buffer | string) => {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      chunks.push(bytes);
      size += bytes.byteLength;
    });
    body.once('end', () => resolve(new TextDecoder().decode(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size))));
    body.once('error', reject);
    body.once('close', () => {
      if (!body.readableEnded) reject(body.errored ?? cutShort());
    });
  });

const responseOf = (res: IncomingMessage, body: Readable, url: URL, redirected: boolean): FetchResponseLike & { readonly url: string; readonly redirected: boolean } => ({
  status: res.statusCode ?? 0,
  url: url.toString(),
  redirected,
  headers: {
    get: (name) => {
      const value = res.headers[name.toLowerCase()];
      if (value === undefined) return null;
      return Array.isArray(value) ? value.join(', ') : value;
    },
  },
  body,
  text: () => readText(body),
});

/** One request (no redirect handling): resolves with the response head, its body not read yet. */
const send = (
  request: RequestFn,
  url: URL,
  method: string,
  headers: NodeHttp.OutgoingHttpHeaders,
  body: string | undefined,
  signal: AbortSignal,
): Promise<IncomingMessage> =>
  new Promise<IncomingMessage>((resolve, reject) => {
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
      if (res === undefined) reject(Object.assign(new Error('the connection closed before a response (101 Switching Protocols?)'), { code: 'ECONNRESET' }));
    });
    req.on('error', reject); // not once: a socket error after the response is emitted here too (a no-op then)
    req.once('response', (message) => {
      res = message;
      resolve(message);
    });
    req.end(body);
  });

/**
 * A {@link FetchLike} on `node:http` (and `node:https`), the client's default in Node for every call; it can be
 * passed as `fetch` or `downloadFetch` explicitly too. Its `body` is the response's Node readable, chunk by
 * chunk as the socket delivers them; a body that breaks off before its `Content-Length` (or its last chunk)
 * fails the read at once with `aborted` (`ECONNRESET`), and a `101 Switching Protocols` answer rejects at once
 * (`ECONNRESET`). Aborting `init.signal` destroys the request and its body. `init.redirect` works as in fetch:
 * `'manual'` (what the client always asks for) hands a 3xx answer back as it is, `'error'` rejects it, and
 * `'follow'` (the default) follows up to 20 redirects without sending `Authorization` or cookies to another
 * origin. gzip, deflate and br bodies are decoded. Connections are kept alive: `http:` ones by an agent of this
 * module whose sockets read into a reused buffer (less garbage per byte downloaded), `https:` ones by Node's
 * global agent.
 *
 * @example
 * ```ts
 * import { createMxClient } from 'mx-statements-rx';
 * import { nodeFetch } from 'mx-statements-rx/node';
 * const client = createMxClient({ environment: 'integration', clientId: 'id', apiKey: 'key', downloadFetch: nodeFetch });
 * ```
 */
export const nodeFetch: FetchLike = async (input: string, init: FetchInit): Promise<FetchResponseLike> => {
  const rt = load();
  let url = new URL(input);
  let method = init.method.toUpperCase();
  let body = init.body;
  const headers: Record<string, string> = { ...init.headers };
  const mode = init.redirect ?? 'follow';
  for (let hops = 0; ; hops++) {
    const res = await send(requestFor(rt, url), url, method, headers, body, init.signal);
    const location = res.headers.location;
    if (!REDIRECTS.has(res.statusCode ?? 0) || location === undefined || mode === 'manual') {
      return responseOf(res, decodedBody(rt, res), url, hops > 0);
    }
    res.resume(); // a redirect's own body is not wanted: let the connection go back to the pool
    if (mode === 'error') throw new TypeError(`nodeFetch: ${res.statusCode} redirect refused (redirect: 'error')`);
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

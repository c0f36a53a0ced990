/**
 * A recording (and optionally lying) HTTP proxy in front of a sandbox, for the CLI specs: it counts the requests
 * that reached it, keeps their headers and arrival times, and can rewrite JSON answers — appending a hostile
 * payload to guids, names and messages — while mapping the hostile guids in request paths back, so that a whole
 * run goes through with server text the CLI must escape.
 *
 * @module
 */
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request that reached the proxy. */
export interface SeenRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  /** Arrival time (ms, `performance.now()`). */
  readonly at: number;
}

/** A running proxy. */
export interface RecordingProxy {
  readonly url: string;
  readonly requests: SeenRequest[];
  close(): Promise<void>;
}

const GUID_FIELDS = /"(guid|user_guid|member_guid|account_guid)":"((?:STA|MBR|USR|ACT)-[0-9a-zA-Z-]+)"/g;

/**
 * Starts a proxy on a free loopback port in front of `target`. With `evil`, JSON answers get `evil` appended to
 * every statement, member, user and account guid, to institution names and to `connection_status_message`;
 * request paths have it removed again before they are forwarded. With `rewrite`, each JSON answer's text passes
 * through it first (a server that leaves out `content_hash`, say).
 *
 * @example
 * ```ts no-check
 * const proxy = await startRecordingProxy(sandbox.url);
 * // … run the CLI with --base-url proxy.url …
 * proxy.requests.length;
 * await proxy.close();
 * ```
 */
export const startRecordingProxy = async (target: string, evil?: string, rewrite?: (json: string) => string): Promise<RecordingProxy> => {
  const requests: SeenRequest[] = [];
  const upstream = new URL(target);
  const escaped = evil === undefined ? '' : JSON.stringify(evil).slice(1, -1);
  const server: Server = createServer((req, res) => {
    let path = req.url ?? '/';
    requests.push({ method: req.method ?? 'GET', path, headers: req.headers, at: performance.now() });
    if (evil !== undefined) path = path.split(encodeURIComponent(evil)).join('');
    const forward = httpRequest(
      { host: upstream.hostname, port: upstream.port, method: req.method, path, headers: { ...req.headers, host: upstream.host } },
      (up) => {
        const json = /json/.test(String(up.headers['content-type'] ?? ''));
        if ((evil === undefined && rewrite === undefined) || !json) {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
          return;
        }
        const chunks: Buffer[] = [];
        up.on('data', (c: Buffer) => chunks.push(c));
        up.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const rewritten = rewrite === undefined ? text : rewrite(text);
          const body = evil === undefined ? rewritten : rewritten
            .replace(GUID_FIELDS, (_m, field: string, guid: string) => `"${field}":"${guid}${escaped}"`)
            .replace(/"name":"([^"]*)"/g, (_m, name: string) => `"name":"${name}${escaped}"`)
            .replace(/"connection_status_message":"([^"]*)"/g, (_m, msg: string) => `"connection_status_message":"${msg}${escaped}"`);
          const headers = { ...up.headers };
          delete headers['content-length'];
          res.writeHead(up.statusCode ?? 502, headers);
          res.end(body);
        });
      },
    );
    forward.on('error', () => {
      res.destroy();
    });
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};

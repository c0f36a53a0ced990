/**
 * A hostile proxy in front of a real sandbox, over loopback HTTP (node:http): it forwards every request and lets
 * a spec tamper with the answers — rewrite a JSON body (drop `content_hash`), forge a PDF, redirect elsewhere,
 * trickle a body, send one without end, echo the request body in an error, answer 101, cut a body short.
 * Everything it starts (servers, sockets, timers) is released by `close()`.
 */
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** A request as the proxy received it. */
export interface ProxiedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

/** The sandbox's answer, read whole. */
export interface UpstreamAnswer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

/** What a tamper hook may do with the raw exchange. */
export interface TamperContext {
  readonly req: ProxiedRequest;
  readonly res: ServerResponse;
  readonly socket: Socket;
  /** Fetches the sandbox's real answer. */
  upstream(): Promise<UpstreamAnswer>;
  /** Sends an answer (status, headers, body) as is. */
  send(answer: UpstreamAnswer): void;
  /** Registers a timer so that `close()` clears it. */
  every(ms: number, tick: () => void): void;
}

/** Returns true when it handled the request itself; false (or nothing) forwards it untouched. */
export type Tamper = (ctx: TamperContext) => boolean | void | Promise<boolean | void>;

export interface HostileProxy {
  readonly url: string;
  /** Every request the proxy received, in order. */
  readonly seen: ProxiedRequest[];
  close(): Promise<void>;
}

const readBody = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.once('error', reject);
  });

const forward = (upstream: string, req: ProxiedRequest): Promise<UpstreamAnswer> =>
  new Promise((resolve, reject) => {
    const url = new URL(req.path, upstream);
    const headers = { ...req.headers, host: url.host };
    const out = request(url, { method: req.method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.once('end', () => {
        const h: Record<string, string> = {};
        for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) h[k] = Array.isArray(v) ? v.join(', ') : v;
        resolve({ status: res.statusCode ?? 502, headers: h, body: Buffer.concat(chunks) });
      });
      res.once('error', reject);
    });
    out.once('error', reject);
    out.end(req.body === '' ? undefined : req.body);
  });

const listen = async (server: Server): Promise<string> => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

/** Starts the proxy on a free loopback port in front of `upstream`. */
export const startHostileProxy = async (upstream: string, tamper: Tamper): Promise<HostileProxy> => {
  const seen: ProxiedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const sockets = new Set<Socket>();
  const server = createServer((incoming, res) => {
    void (async () => {
      const req: ProxiedRequest = { method: incoming.method ?? 'GET', path: incoming.url ?? '/', headers: incoming.headers, body: await readBody(incoming) };
      seen.push(req);
      const ctx: TamperContext = {
        req,
        res,
        socket: incoming.socket,
        upstream: () => forward(upstream, req),
        send: (a) => {
          const headers = { ...a.headers };
          delete headers['transfer-encoding'];
          headers['content-length'] = String(a.body.byteLength);
          res.writeHead(a.status, headers).end(a.body);
        },
        every: (ms, tick) => {
          const t = setInterval(() => {
            if (res.destroyed || res.socket?.destroyed) {
              clearInterval(t);
              timers.delete(t);
              return;
            }
            tick();
          }, ms);
          timers.add(t);
        },
      };
      if (await tamper(ctx)) return;
      ctx.send(await ctx.upstream());
    })().catch(() => {
      if (!res.headersSent) res.writeHead(502).end();
      else res.destroy();
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  const url = await listen(server);
  return {
    url,
    seen,
    close: async () => {
      for (const t of timers) clearInterval(t);
      timers.clear();
      for (const s of sockets) s.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};

/** A plain server that records every request it gets (the "other origin" a redirect points to). */
export const startRecorder = async (): Promise<{ url: string; seen: ProxiedRequest[]; close(): Promise<void> }> => {
  const seen: ProxiedRequest[] = [];
  const server = createServer((incoming, res) => {
    void readBody(incoming).then((body) => {
      seen.push({ method: incoming.method ?? 'GET', path: incoming.url ?? '/', headers: incoming.headers, body });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  const url = await listen(server);
  return {
    url,
    seen,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};

/** Rewrites a JSON answer of the sandbox (keeps status and headers; recomputes the length). */
export const rewriteJson = (a: UpstreamAnswer, edit: (json: unknown) => unknown): UpstreamAnswer => {
  const json: unknown = JSON.parse(a.body.toString('utf8'));
  return { ...a, body: Buffer.from(JSON.stringify(edit(json))) };
};

/** Whether a request is a statement PDF download. */
export const isPdf = (req: ProxiedRequest): boolean => /\/statements\/[^/]+\.pdf$/.test(req.path.split('?')[0] ?? '');

/** Whether a request lists a member's statements. */
export const isStatementList = (req: ProxiedRequest): boolean => req.method === 'GET' && /\/members\/[^/]+\/statements(\?|$)/.test(req.path);

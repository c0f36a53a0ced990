import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import * as E from 'fp-ts/lib/Either.js';
import { createMxClient } from '../../lib/api/client.js';
import type { FetchResponseLike } from '../../lib/core/config.js';
import { nodeFetch } from '../../lib/node/node-fetch.js';
import { writeStatements } from '../../lib/node/sink.js';
import { startSandbox, type SandboxHandle } from '../../lib/sandbox/index.js';
import { fetchStatements$ } from '../../lib/workflow/fetch-statements.js';
import { collect, within } from '../helpers/bounded.js';
import { makeTempDir, sha256Hex } from './helpers.js';

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

const listen = async (handler: Handler): Promise<{ url: string; server: Server }> => {
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => handler(req, res, body));
  });
  await within(new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve)), 5_000, 'listen');
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
};

const close = (server: Server) =>
  within(new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  }), 5_000, 'server close');

const netServer = async (onSocket: (socket: Socket) => void): Promise<{ port: number; close: () => Promise<void> }> => {
  const sockets = new Set<Socket>();
  const server = createNetServer((socket: Socket) => {
    sockets.add(socket);
    onSocket(socket);
  });
  await within(new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve)), 5_000, 'listen');
  return {
    port: (server.address() as AddressInfo).port,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return within(new Promise<void>((resolve) => server.close(() => resolve())), 5_000, 'server close');
    },
  };
};

const get = (url: string, init: { method?: string; headers?: Record<string, string>; body?: string; signal?: AbortSignal } = {}) =>
  nodeFetch(url, {
    method: init.method ?? 'GET',
    headers: init.headers ?? {},
    signal: init.signal ?? new AbortController().signal,
    ...(init.body !== undefined ? { body: init.body } : {}),
  });

const chunksOf = (res: FetchResponseLike): Promise<Uint8Array[]> =>
  within((async () => {
    const out: Uint8Array[] = [];
    for await (const chunk of res.body as AsyncIterable<Uint8Array>) out.push(chunk);
    return out;
  })(), 10_000, 'the whole body');

const failureOf = async (p: Promise<unknown>): Promise<{ name?: string; code?: string; message?: string }> => {
  try {
    await within(p, 10_000, 'a failure');
  } catch (err) {
    return err as { name?: string; code?: string };
  }
  throw new Error('expected a failure');
};

describe('node/nodeFetch', () => {
  const servers: Server[] = [];
  const serve = async (handler: Handler) => {
    const s = await listen(handler);
    servers.push(s.server);
    return s.url;
  };
  afterEach(async () => {
    await Promise.all(servers.splice(0).map(close));
  });

  it('sends method, headers and body, and reads status, headers (any case) and text', async () => {
    const url = await serve((req, res, body) => {
      res.writeHead(201, { 'Content-Type': 'application/json', 'X-Multi': ['a', 'b'] });
      res.end(JSON.stringify({ method: req.method, auth: req.headers.authorization, length: req.headers['content-length'], body }));
    });
    const res = await get(`${url}/x`, { method: 'POST', headers: { Authorization: 'Basic abc', 'Content-Type': 'application/json' }, body: '{"é":1}' });
    expect(res.status).to.equal(201);
    expect(res.headers.get('content-type')).to.equal('application/json');
    expect(res.headers.get('CONTENT-TYPE')).to.equal('application/json');
    expect(res.headers.get('x-multi')).to.equal('a, b');
    expect(res.headers.get('x-absent')).to.equal(null);
    expect(JSON.parse(await res.text())).to.deep.equal({ method: 'POST', auth: 'Basic abc', length: '8', body: '{"é":1}' });
  });

  it('streams a large body chunk by chunk, byte for byte', async () => {
    const payload = new Uint8Array(3 * 1024 * 1024).map((_, i) => (i * 7) & 0xff);
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-length': String(payload.byteLength) });
      res.end(payload);
    });
    const chunks = await chunksOf(await get(url));
    expect(chunks.length).to.be.above(1);
    expect(sha256Hex(Buffer.concat(chunks))).to.equal(sha256Hex(payload));
  });

  // Each http: connection reads into one reused buffer: one request after another on a kept-alive connection,
  // then several at once, every byte must still be right. (How many connections were used is not asserted: the
  // whole suite loads nock, which intercepts node:http for every spec and does not keep connections alive.)
  it('keeps every response intact, one after another and several at once', async () => {
    const bodies = [0, 1, 2, 3, 4, 5].map((n) => new Uint8Array(200_000 + n * 4099).map((_, i) => (i * 31 + n) & 0xff));
    const url = await serve((req, res) => {
      const body = bodies[Number(req.url?.slice(1))]!;
      res.writeHead(200, { 'content-length': String(body.byteLength) });
      res.end(body);
    });
    for (const [n, body] of bodies.entries()) {
      const got = Buffer.concat(await chunksOf(await get(`${url}/${n}`)));
      expect(sha256Hex(got), `response ${n}`).to.equal(sha256Hex(body));
    }
    const all = await Promise.all(bodies.map(async (_, n) => Buffer.concat(await chunksOf(await get(`${url}/${n}`)))));
    all.forEach((got, n) => expect(sha256Hex(got), `parallel response ${n}`).to.equal(sha256Hex(bodies[n]!)));
  });

  it('parses a head and a chunked body that arrive in odd pieces, across reads', async () => {
    const parts = [
      'HTTP/1.1 200 OK\r\nContent-Ty', 'pe: application/json\r\nX-Lon', `g: ${'v'.repeat(3000)}\r\nTransfer-Encoding: chunked\r\n`,
      '\r\n5\r\n{"a":', '\r\n3\r\n123\r\n', '1\r\n}\r\n0\r\n\r\n',
    ];
    // each piece is sent once the client has had time to read the previous one on its own (a paced server:
    // real sockets, so real time; 6 pieces, ~90 ms in all)
    const server = await netServer((socket) => {
      socket.once('data', () => {
        let i = 0;
        const next = () => {
          if (socket.destroyed) return;
          if (i < parts.length) {
            socket.write(parts[i++]!);
            setTimeout(next, 15);
          } else socket.end();
        };
        next();
      });
    });
    try {
      const res = await get(`http://127.0.0.1:${server.port}/`);
      expect(res.headers.get('content-type')).to.equal('application/json');
      expect(res.headers.get('x-long')).to.equal('v'.repeat(3000));
      expect(JSON.parse(await within(res.text(), 5_000, 'text()'))).to.deep.equal({ a: 123 });
    } finally {
      await server.close();
    }
  });

  it('rejects at once (ECONNRESET) when the server answers 101 and so gives no response', async () => {
    const server = await netServer((socket) => {
      socket.once('data', () => socket.write('HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: x\r\n\r\n'));
    });
    try {
      expect(await failureOf(get(`http://127.0.0.1:${server.port}/`))).to.have.property('code', 'ECONNRESET');
    } finally {
      await server.close();
    }
  });

  it('fails the body read at once when the connection drops before Content-Length, for chunks and for text()', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-length': '100000' });
      res.write('%PDF-1.7\n', () => res.socket?.destroy());
    });
    // (nothing but the drop could end these reads: a body that merely stalled would fail the bounded wait)
    expect((await failureOf(chunksOf(await get(url)))).code).to.equal('ECONNRESET');
    expect((await failureOf((await get(url)).text())).code).to.equal('ECONNRESET');
  });

  it("redirect: 'manual' hands the 3xx back as it is, 'error' rejects it, and neither sends anything to the target", async () => {
    let reached = 0;
    const other = await serve((_req, res) => {
      reached += 1;
      res.end('{}');
    });
    const url = await serve((_req, res) => res.writeHead(307, { location: `${other}/there` }).end('moved'));
    const manual = await nodeFetch(url, { method: 'POST', headers: { Authorization: 'Basic s3cret' }, body: '{}', signal: new AbortController().signal, redirect: 'manual' });
    expect(manual.status).to.equal(307);
    expect(manual.headers.get('location')).to.equal(`${other}/there`);
    expect(await within(manual.text(), 5_000, 'text()')).to.equal('moved');
    const refused = await failureOf(nodeFetch(url, { method: 'GET', headers: {}, signal: new AbortController().signal, redirect: 'error' }));
    expect(refused.message).to.match(/redirect refused/);
    expect(reached).to.equal(0);
  });

  it('aborting the signal mid-body destroys the response and the connection', async () => {
    let serverSawClose: () => void = () => undefined;
    const closed = new Promise<void>((resolve) => (serverSawClose = resolve));
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-length': String(100 * 65536) });
      // writes as fast as the client reads, until the connection goes
      const pump = (): void => void res.write(Buffer.alloc(65536, 65), (err) => (err ? undefined : pump()));
      pump();
      res.on('close', () => serverSawClose());
    });
    const controller = new AbortController();
    const res = await get(url, { signal: controller.signal });
    let got = 0;
    const err = await failureOf((async () => {
      for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
        got += chunk.byteLength;
        controller.abort();
      }
    })());
    expect(err.name).to.equal('AbortError');
    expect(got).to.be.below(100 * 65536);
    await within(closed, 5_000, 'the server to see the connection close');
  });

  it('rejects at once for a signal already aborted, and with the system code for a refused connection', async () => {
    const controller = new AbortController();
    controller.abort();
    expect((await failureOf(get('http://127.0.0.1:9/', { signal: controller.signal }))).name).to.equal('AbortError');
    const url = await serve((_req, res) => res.end());
    const port = new URL(url).port;
    await close(servers.pop()!);
    expect((await failureOf(get(`http://127.0.0.1:${port}/`))).code).to.equal('ECONNREFUSED');
  });

  it('follows redirects like fetch: 302 turns a POST into a GET, credentials stay on their origin', async () => {
    const other = await serve((req, res) => res.end(JSON.stringify({ where: 'other', auth: req.headers.authorization ?? null })));
    const url = await serve((req, res, body) => {
      if (req.url === '/post') res.writeHead(302, { location: '/landing' }).end('moved');
      else if (req.url === '/away') res.writeHead(307, { location: `${other}/there` }).end();
      else res.end(JSON.stringify({ method: req.method, body, auth: req.headers.authorization ?? null }));
    });
    const posted = await get(`${url}/post`, { method: 'POST', headers: { Authorization: 'Basic s3cret' }, body: '{}' });
    expect(JSON.parse(await posted.text())).to.deep.equal({ method: 'GET', body: '', auth: 'Basic s3cret' });
    const away = await get(`${url}/away`, { headers: { Authorization: 'Basic s3cret' } });
    expect(JSON.parse(await away.text())).to.deep.equal({ where: 'other', auth: null });
  });

  it('decodes a gzip body', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-encoding': 'gzip', 'content-type': 'application/json' });
      res.end(gzipSync(JSON.stringify({ ok: true })));
    });
    expect(JSON.parse(await (await get(url)).text())).to.deep.equal({ ok: true });
  });

  it('as the client fetch: a PDF cut short ends with IntegrityError truncated, not a timeout', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/vnd.mx.api.v1+pdf', 'content-length': '100000' });
      res.write(Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(4000, 32)]), () => res.socket?.destroy());
    });
    // a 30-s chunk timeout: a Timeout would mean the cut went unnoticed (and the bounded wait fails first)
    const client = createMxClient({ baseUrl: url, clientId: 'c', apiKey: 'k', fetch: nodeFetch, timeoutMs: 30_000 });
    const results = await collect(client.statements.pdf$({ userGuid: 'USR-1', memberGuid: 'MBR-1', statementGuid: 'STA-1' }), 10_000);
    const last = results.at(-1);
    expect(last && E.isLeft(last) && last.left).to.include({ _tag: 'IntegrityError', reason: 'truncated', expected: 100000 });
  });

  describe('as the client fetch against the sandbox', () => {
    let sandbox: SandboxHandle;
    before(async () => {
      sandbox = await startSandbox({ seed: 'node-fetch', seedUsers: 1, statementsPerMember: 3, largePdfBytes: 2 * 1024 * 1024, aggregationMs: 20 });
    });
    after(() => within(sandbox.close(), 10_000, 'sandbox close'));

    it('runs the whole workflow and saves every statement, verified', async () => {
      const { dir, cleanup } = await makeTempDir();
      try {
        const client = createMxClient({ baseUrl: sandbox.url, clientId: sandbox.clientId, apiKey: sandbox.apiKey, fetch: nodeFetch });
        const results = await collect(fetchStatements$(client, {
          user: { id: `node-fetch-${process.pid}` },
          institution: { name: 'MX Bank' },
          credentials: { LOGIN: 'mxuser', PASSWORD: 'password' },
          download: { sink: writeStatements(dir) },
        }), 20_000);
        expect(results.filter(E.isLeft)).to.deep.equal([]);
        const saved = results.flatMap((r) => (E.isRight(r) && r.right.type === 'statement-downloaded' ? [r.right] : []));
        expect(saved).to.have.length(3);
        for (const s of saved) {
          const bytes = await readFile(s.location);
          expect(bytes.byteLength).to.equal(s.bytes);
          expect(sha256Hex(bytes)).to.equal(s.sha256);
        }
        expect(results.at(-1)).to.satisfy((r: (typeof results)[number]) => E.isRight(r) && r.right.type === 'done');
      } finally {
        await cleanup();
      }
    });
  });
});

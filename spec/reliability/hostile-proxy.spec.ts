/**
 * The whole workflow (new user → member → job → poll → list → download to disk) against a real sandbox, through a
 * hostile proxy that tampers with the answers: it drops `content_hash` and forges the PDFs, redirects to another
 * origin, trickles a PDF, sends one without end, echoes the request (password included) in an error, answers 101,
 * and cuts a JSON body short. Each attack must end in a typed error, leave nothing half-done on disk, and leak no
 * secret.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { expect } from 'chai';
import crossFetch from 'cross-fetch';
import * as E from 'fp-ts/lib/Either.js';
import { createMxClient } from '../../lib/api/client.js';
import type { FetchLike } from '../../lib/core/config.js';
import { describeError, type MxError } from '../../lib/core/errors.js';
import type { FileSystemError } from '../../lib/node/fs-error.js';
import { nodeSha256 } from '../../lib/node/hash.js';
import { readManifest } from '../../lib/node/manifest.js';
import { nodeFetch } from '../../lib/node/node-fetch.js';
import { writeStatements } from '../../lib/node/sink.js';
import { startSandbox, type SandboxHandle } from '../../lib/sandbox/index.js';
import { fetchStatements$ } from '../../lib/workflow/fetch-statements.js';
import type { DownloadSafetyOptions } from '../../lib/workflow/download-limits.js';
import { isPdf, isStatementList, rewriteJson, startHostileProxy, startRecorder, type HostileProxy, type Tamper } from './helpers/hostile-proxy.js';
import { listFiles, partFiles } from './helpers/resources.js';
import { ofType, runToEnd } from './helpers/run.js';

const CLIENT_ID = 'proxy-client';
const API_KEY = 'sk-PROXY-apikey-3Kd9';
/** MX Bank's test password for a member that connects. */
const PASSWORD = 'password';

const crossFetchLike: FetchLike = (url, init) => (crossFetch as unknown as FetchLike)(url, init);
const platformFetch: FetchLike = (url, init) => (globalThis.fetch as unknown as FetchLike)(url, init);

type ListedStatement = { content_hash?: string | null };

describe('reliability: a hostile proxy in front of the sandbox', function () {
  this.timeout(30_000);
  let sandbox: SandboxHandle;
  let dir: string;
  const closers: Array<() => Promise<void>> = [];

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'mx-proxy-'));
    sandbox = await startSandbox({ clientId: CLIENT_ID, apiKey: API_KEY, aggregationMs: 20, statementsPerMember: 2, seed: 'hostile-proxy' });
  });
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
    await sandbox.close();
    await rm(dir, { recursive: true, force: true });
  });

  const proxyWith = async (tamper: Tamper): Promise<HostileProxy> => {
    const proxy = await startHostileProxy(sandbox.url, tamper);
    closers.push(() => proxy.close());
    return proxy;
  };

  interface RunOptions {
    readonly fetch?: FetchLike;
    readonly download?: DownloadSafetyOptions;
    readonly userId?: string;
  }

  /** One full run through `proxy`, downloading into `dir`. */
  const run = async (proxy: HostileProxy, o: RunOptions = {}) => {
    const client = createMxClient({
      baseUrl: proxy.url, clientId: CLIENT_ID, apiKey: API_KEY, retry: { baseDelayMs: 1, maxDelayMs: 5 },
      ...(o.fetch ? { fetch: o.fetch } : {}),
    });
    const sink = writeStatements(dir, { fsync: false });
    const started = Date.now();
    const outcome = await runToEnd(fetchStatements$(client, {
      user: { id: o.userId ?? 'proxy-user' },
      institution: { code: 'mxbank' },
      credentials: { LOGIN: 'mxuser', PASSWORD },
      download: { sink, retries: 1, ...o.download },
      hasher: nodeSha256,
    }));
    await sink.idle();
    const files = await listFiles(dir);
    return { ...outcome, ms: Date.now() - started, files, pdfs: files.filter((f) => f.endsWith('.pdf')) };
  };

  const expectNoSecret = (error: MxError | FileSystemError | undefined, extra = ''): void => {
    const text = `${JSON.stringify(error)} ${error ? describeError(error) : ''} ${extra}`;
    for (const s of [API_KEY, Buffer.from(`${CLIENT_ID}:${API_KEY}`).toString('base64')]) expect(text).to.not.include(s);
  };

  describe('1. forged PDFs without a usable content_hash', () => {
    const forge = (hash: 'delete' | null | ''): Tamper => async (ctx) => {
      if (isPdf(ctx.req)) {
        ctx.send({ status: 200, headers: { 'content-type': 'application/vnd.mx.api.v1+pdf' }, body: Buffer.from('%PDF-1.4\n% forged by the proxy\n%%EOF\n') });
        return true;
      }
      if (!isStatementList(ctx.req)) return false;
      ctx.send(rewriteJson(await ctx.upstream(), (json) => {
        for (const s of (json as { statements: ListedStatement[] }).statements) {
          if (hash === 'delete') delete s.content_hash;
          else s.content_hash = hash;
        }
        return json;
      }));
      return true;
    };

    for (const hash of ['delete', null, ''] as const) {
      it(`content_hash ${hash === 'delete' ? 'missing' : JSON.stringify(hash)}: refused by default (IntegrityError unverified), nothing requested or kept — twice`, async () => {
        const proxy = await proxyWith(forge(hash));
        for (const attempt of [1, 2]) {
          const r = await run(proxy);
          expect(r.error, `run ${attempt}`).to.deep.include({ _tag: 'IntegrityError', reason: 'unverified' });
          expect(ofType(r.events, 'statement-downloaded'), `run ${attempt}`).to.deep.equal([]);
          expect(ofType(r.events, 'statement-skipped'), `run ${attempt}: never "already saved"`).to.deep.equal([]);
          expect(r.pdfs, `run ${attempt}`).to.deep.equal([]);
          expect(partFiles(r.files), `run ${attempt}`).to.deep.equal([]);
        }
        expect(proxy.seen.filter(isPdf), 'no PDF was even requested').to.deep.equal([]);
      });
    }

    it('with requireContentHash: false they are kept marked unverified; a later run that gets the hashes replaces the forgeries and marks them verified', async () => {
      const forging = await proxyWith(forge(null));
      const first = await run(forging, { download: { requireContentHash: false } });
      expect(first.error, first.error?.message).to.equal(undefined);
      const downloaded = ofType(first.events, 'statement-downloaded');
      expect(downloaded).to.have.length(2);
      for (const d of downloaded) expect(d.unverified).to.equal(true);
      const memberDir = path.dirname(downloaded[0]!.location);
      const before = await readManifest(path.join(memberDir, 'manifest.json'));
      expect(before.kind === 'ok' && before.manifest.statements.map((e) => e.verified)).to.deep.equal([false, false]);

      const honest = await proxyWith(() => false);
      const second = await run(honest);
      expect(second.error, second.error?.message).to.equal(undefined);
      const replaced = ofType(second.events, 'statement-downloaded');
      expect(replaced.map((d) => d.statementGuid).sort()).to.deep.equal(downloaded.map((d) => d.statementGuid).sort());
      for (const d of replaced) expect(d).to.not.have.property('unverified');
      const listed = new Map(ofType(second.events, 'statement-listed').map((l) => [l.statement.guid, l.statement.content_hash]));
      for (const d of replaced) {
        const bytes = await readFile(d.location);
        const h = nodeSha256();
        h.update(bytes);
        expect(h.digest()).to.equal(listed.get(d.statementGuid));
      }
      const after = await readManifest(path.join(memberDir, 'manifest.json'));
      expect(after.kind === 'ok' && after.manifest.statements.map((e) => e.verified)).to.deep.equal([true, true]);
      expect(partFiles(second.files)).to.deep.equal([]);
    });
  });

  describe('2. a redirect to another origin (same host, another port)', () => {
    const fetches: ReadonlyArray<readonly [string, FetchLike | undefined]> = [
      ['the default fetch (nodeFetch in Node)', undefined],
      ['cross-fetch (node-fetch compares host names only)', crossFetchLike],
      ["the platform's fetch", platformFetch],
      ['nodeFetch', nodeFetch],
    ];
    for (const [name, fetch] of fetches) {
      it(`${name}: the member creation (credentials in its body) answered 307 elsewhere is refused; the other origin receives nothing`, async () => {
        const elsewhere = await startRecorder();
        closers.push(() => elsewhere.close());
        const proxy = await proxyWith((ctx) => {
          if (ctx.req.method !== 'POST' || !/\/members$/.test(ctx.req.path)) return false;
          ctx.res.writeHead(307, { location: `${elsewhere.url}/steal${ctx.req.path}` }).end();
          return true;
        });
        const r = await run(proxy, { ...(fetch ? { fetch } : {}) });
        expect(r.error).to.deep.include({ _tag: 'RedirectRefused', status: 307, targetOrigin: elsewhere.url });
        expect(r.error?.message).to.include(elsewhere.url);
        expect(elsewhere.seen, 'requests that reached the other origin').to.deep.equal([]);
        expectNoSecret(r.error);
      });

      it(`${name}: a PDF download answered 302 elsewhere is refused; the other origin receives nothing`, async () => {
        const elsewhere = await startRecorder();
        closers.push(() => elsewhere.close());
        const proxy = await proxyWith((ctx) => {
          if (!isPdf(ctx.req)) return false;
          ctx.res.writeHead(302, { location: `${elsewhere.url}/x.pdf` }).end();
          return true;
        });
        const client = createMxClient({
          baseUrl: proxy.url, clientId: CLIENT_ID, apiKey: API_KEY, retry: false,
          ...(fetch ? { fetch, downloadFetch: fetch } : {}),
        });
        const sink = writeStatements(dir, { fsync: false });
        const r = await runToEnd(fetchStatements$(client, {
          user: { id: 'redirect-pdf' }, institution: { code: 'mxbank' }, credentials: { LOGIN: 'mxuser', PASSWORD }, download: { sink },
        }));
        await sink.idle();
        expect(r.error).to.deep.include({ _tag: 'RedirectRefused', status: 302, targetOrigin: elsewhere.url });
        expect(elsewhere.seen).to.deep.equal([]);
        expect((await listFiles(dir)).filter((f) => f.endsWith('.pdf') || f.endsWith('.part'))).to.deep.equal([]);
      });
    }
  });

  describe('5. PDFs without bounds', () => {
    const announced = (ctx: Parameters<Tamper>[0], headers: Record<string, string>) => {
      ctx.res.writeHead(200, { 'content-type': 'application/vnd.mx.api.v1+pdf', ...headers });
      ctx.res.write('%PDF-1.4\n');
    };

    it('a trickle (one byte at a time, each well within the idle timeout) ends with DownloadLimitExceeded throughput, no temp file', async () => {
      const proxy = await proxyWith((ctx) => {
        if (!isPdf(ctx.req)) return false;
        announced(ctx, { 'content-length': '100000' });
        ctx.every(100, () => ctx.res.write('x'));
        return true;
      });
      const r = await run(proxy, { download: { minBytesPerSecond: 1000, throughputWindowMs: 500 } });
      expect(r.error).to.deep.include({ _tag: 'DownloadLimitExceeded', limit: 'throughput' });
      expect(r.pdfs).to.deep.equal([]);
      expect(partFiles(r.files)).to.deep.equal([]);
    });

    it('an endless body ends with DownloadLimitExceeded size at the cap, no temp file', async () => {
      const proxy = await proxyWith((ctx) => {
        if (!isPdf(ctx.req)) return false;
        announced(ctx, {});
        ctx.every(1, () => ctx.res.write(Buffer.alloc(64 * 1024, 0x20)));
        return true;
      });
      const r = await run(proxy, { download: { maxPdfBytes: 2 * 1024 * 1024 } });
      expect(r.error).to.deep.include({ _tag: 'DownloadLimitExceeded', limit: 'size', maxBytes: 2 * 1024 * 1024 });
      expect(r.pdfs).to.deep.equal([]);
      expect(partFiles(r.files)).to.deep.equal([]);
    });

    it('an announced Content-Length above the cap fails with the first bytes', async () => {
      const proxy = await proxyWith((ctx) => {
        if (!isPdf(ctx.req)) return false;
        announced(ctx, { 'content-length': String(50 * 1024 ** 3) });
        return true; // and then nothing more: the head alone must be enough
      });
      const r = await run(proxy, { download: { maxPdfBytes: 1024 * 1024 } });
      expect(r.error).to.deep.include({ _tag: 'DownloadLimitExceeded', limit: 'size', announcedBytes: 50 * 1024 ** 3 });
      expect(partFiles(r.files)).to.deep.equal([]);
    });
  });

  describe('10. JSON answers that never complete', () => {
    const fetches: ReadonlyArray<readonly [string, FetchLike | undefined]> = [
      ['the default fetch', undefined],
      ["the platform's fetch", platformFetch],
    ];
    for (const [name, fetch] of fetches) {
      it(`${name}: a JSON body cut short under its Content-Length is a NetworkError at once, not a Timeout`, async () => {
        const proxy = await proxyWith(async (ctx) => {
          if (!(ctx.req.method === 'GET' && ctx.req.path.startsWith('/institutions/'))) return false;
          const a = await ctx.upstream();
          ctx.res.writeHead(200, { 'content-type': a.headers['content-type'] ?? 'application/json', 'content-length': String(a.body.byteLength) });
          // the head and half the body reach the client, then the connection drops
          ctx.res.write(a.body.subarray(0, Math.floor(a.body.byteLength / 2)), () => ctx.socket.destroy());
          return true;
        });
        const r = await run(proxy, { ...(fetch ? { fetch } : {}) });
        expect(r.error).to.deep.include({ _tag: 'NetworkError' });
      });

      it(`${name}: a 101 Switching Protocols answer is a NetworkError at once, not a Timeout`, async () => {
        const proxy = await proxyWith((ctx) => {
          if (!(ctx.req.method === 'GET' && ctx.req.path.startsWith('/institutions/'))) return false;
          ctx.socket.write('HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n');
          return true;
        });
        const r = await run(proxy, { ...(fetch ? { fetch } : {}) });
        expect(r.error).to.deep.include({ _tag: 'NetworkError' });
      });
    }
  });

  describe('4. an error that echoes the request body', () => {
    it('a password with ", \\, a tab and a newline echoed in JSON, URL, form and Base64 encodings: the body is kept, the password is not', async () => {
      const password = 'Pa"ss\\wo\trd\nSECRET-9q';
      const proxy = await proxyWith((ctx) => {
        if (!(ctx.req.method === 'POST' && /\/members$/.test(ctx.req.path))) return false;
        const body = ctx.req.body;
        const echo = [
          `raw: ${body}`, `json: ${JSON.stringify(body)}`, `url: ${encodeURIComponent(body)}`,
          `form: ${new URLSearchParams([['b', body]]).toString()}`, `b64: ${Buffer.from(body).toString('base64')}`,
          `b64url: ${Buffer.from(`x${body}`).toString('base64url')}`,
        ].join('\n');
        ctx.send({ status: 400, headers: { 'content-type': 'text/plain' }, body: Buffer.from(echo) });
        return true;
      });
      const client = createMxClient({ baseUrl: proxy.url, clientId: CLIENT_ID, apiKey: API_KEY, retry: false });
      const r = await runToEnd(fetchStatements$(client, {
        user: { id: 'echo' }, institution: { code: 'mxbank' }, credentials: { LOGIN: 'mxuser', PASSWORD: password }, download: false,
      }));
      const e = r.error as (MxError & { body?: string }) | undefined;
      expect(e?._tag).to.equal('BadRequest');
      expect(e?.body).to.include('raw: ').and.include('[redacted]');
      const everything = JSON.stringify(r.all) + (e ? describeError(e) : '');
      const forms = [
        password, JSON.stringify(password).slice(1, -1), JSON.stringify(JSON.stringify(password).slice(1, -1)).slice(1, -1),
        encodeURIComponent(JSON.stringify(password).slice(1, -1)),
      ]; // (every Base64 alignment is covered by the echo property spec)
      for (const f of forms) expect(everything, f).to.not.include(f);
      expectNoSecret(e);
    });
  });
});

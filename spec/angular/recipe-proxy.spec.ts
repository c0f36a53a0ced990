/**
 * The backend proxy of docs/recipes/angular.md does what the recipe says: the block is taken from the Markdown
 * as written (spec/docs type-checks it), run in front of the sandbox, and driven over real HTTP: the allow-list
 * (method + path), ownership of the MX user, the workflow passing through it end to end, errors answered.
 */
import { expect } from 'chai';
import * as E from 'fp-ts/lib/Either.js';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { lastValueFrom, toArray } from 'rxjs';
import { createMxClient } from '../../lib/api/client.js';
import { startSandbox, type SandboxHandle } from '../../lib/sandbox/index.js';
import { SANDBOX_POLLING } from '../../lib/workflow/policy.js';
import { fetchStatements$ } from '../../lib/workflow/fetch-statements.js';
import { createMemorySink } from '../../lib/workflow/memory-sink.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

interface ProxyDeps {
  readonly upstream: string;
  readonly clientId: string;
  readonly apiKey: string;
  readonly signedIn: (req: IncomingMessage) => Promise<string | null>;
  readonly owners: { guidsOf(userId: string): Promise<ReadonlySet<string>>; remember(userId: string, userGuid: string): Promise<void> };
  readonly timeoutMs?: number;
}

/** The recipe's proxy module: its ```ts block that starts with `// mx-proxy.ts`, written out and imported. */
const loadRecipeProxy = async (): Promise<(deps: ProxyDeps) => RequestListener> => {
  const md = readFileSync(resolve(root, 'docs/recipes/angular.md'), 'utf8');
  const block = /```ts\n(\/\/ mx-proxy\.ts[\s\S]*?)\n```/.exec(md);
  if (!block) throw new Error('docs/recipes/angular.md has no ```ts block starting with // mx-proxy.ts');
  const dir = resolve(root, '.tmp/recipe');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `mx-proxy-${process.pid}.ts`);
  writeFileSync(file, block[1]!);
  try {
    return ((await import(pathToFileURL(file).href)) as { mxProxy: (deps: ProxyDeps) => RequestListener }).mxProxy;
  } finally {
    rmSync(file, { force: true });
  }
};

const listen = async (handler: RequestListener): Promise<{ server: Server; url: string }> => {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
};
const close = (server: Server | undefined) =>
  new Promise<void>((r) => {
    if (!server) return r();
    server.closeAllConnections();
    server.close(() => r());
  });

describe('docs/recipes/angular.md: the backend proxy, in front of the sandbox', function () {
  this.timeout(30_000);
  let sandbox: SandboxHandle;
  let proxy: { server: Server; url: string };
  let mxProxy: (deps: ProxyDeps) => RequestListener;
  /** The recipe's "database": MX user guids per user of yours. */
  const owned = new Map<string, Set<string>>();

  const depsFor = (upstream: string): ProxyDeps => ({
    upstream,
    clientId: sandbox.clientId,
    apiKey: sandbox.apiKey,
    // The spec's "session": a header naming the signed-in user.
    signedIn: async (req) => (typeof req.headers['x-demo-user'] === 'string' ? req.headers['x-demo-user'] : null),
    owners: {
      guidsOf: async (userId) => owned.get(userId) ?? new Set(),
      remember: async (userId, guid) => void owned.set(userId, new Set([...(owned.get(userId) ?? []), guid])),
    },
  });

  before(async () => {
    mxProxy = await loadRecipeProxy();
    sandbox = await startSandbox({ port: 0 });
    proxy = await listen(mxProxy(depsFor(sandbox.url)));
  });
  after(async () => {
    await close(proxy?.server);
    await sandbox?.close();
  });

  const call = (path: string, user: string | null, init: RequestInit = {}) =>
    fetch(`${proxy.url}/api/mx${path}`, {
      ...init,
      headers: { Accept: 'application/vnd.mx.api.v1+json', 'Accept-Version': 'v20111101', ...(user ? { 'X-Demo-User': user } : {}), ...init.headers },
    });

  const clientAs = (user: string) =>
    createMxClient({ baseUrl: `${proxy.url}/api/mx`, auth: 'none', headers: { 'X-Demo-User': user }, retry: false });

  it('runs the whole workflow through it (user created, owned, statements downloaded), with no key in the client', async () => {
    const sink = createMemorySink();
    const results = await lastValueFrom(fetchStatements$(clientAs('alice'), {
      user: { id: 'alice' },
      institution: { name: 'MX Bank' },
      credentials: { LOGIN: 'mxuser', PASSWORD: 'password' },
      polling: SANDBOX_POLLING,
      download: { sink },
    }).pipe(toArray()));
    const lefts = results.filter(E.isLeft).map((r) => r.left.message);
    expect(lefts).to.deep.equal([]);
    expect(owned.get('alice')?.size).to.equal(1);
    expect(sink.list().length).to.be.greaterThan(0);
    expect(sink.list().every((s) => new TextDecoder().decode(s.data.slice(0, 5)) === '%PDF-')).to.equal(true);
  });

  it('answers 401 without a session, and 403 to any call outside the allow-list', async () => {
    expect((await call('/institutions?name=MX+Bank', null)).status).to.equal(401);
    expect((await call('/users', 'alice')).status, 'GET /users lists every user').to.equal(403);
    expect((await call('/users?id=bob', 'alice')).status, "another user's id").to.equal(403);
    const alice = [...owned.get('alice')!][0]!;
    expect((await call(`/users/${alice}`, 'alice', { method: 'DELETE' })).status).to.equal(403);
    expect((await call(`/users/${alice}/members/MBR-x/credentials`, 'alice', { method: 'PUT', body: '{}' })).status).to.equal(403);
    expect((await call('/institutions?name=MX+Bank', 'alice')).status, 'an allowed call still passes').to.equal(200);
  });

  it("refuses another user's MX user (every path with a user guid), and creating a user under another id", async () => {
    const alice = [...owned.get('alice')!][0]!;
    for (const path of [`/users/${alice}/members`, `/users/${alice}/members/MBR-1/status`, `/users/${alice}/members/MBR-1/statements/STA-1.pdf`]) {
      expect((await call(path, 'mallory')).status, path).to.equal(403);
    }
    const forged = await call('/users', 'mallory', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ user: { id: 'alice' } }) });
    expect(forged.status).to.equal(403);
    const garbage = await call('/users', 'mallory', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{not json' });
    expect(garbage.status).to.equal(400);
    expect(owned.has('mallory')).to.equal(false);
  });

  it('answers 502 when MX is unreachable, and keeps serving', async () => {
    const down = await listen(mxProxy(depsFor('http://127.0.0.1:9')));
    try {
      const res = await fetch(`${down.url}/api/mx/institutions?name=MX+Bank`, { headers: { 'X-Demo-User': 'alice' } });
      expect(res.status).to.equal(502);
      expect(((await res.json()) as { error: { message: string } }).error.message).to.be.a('string');
      const again = await fetch(`${down.url}/api/mx/institutions`, { headers: { 'X-Demo-User': 'alice' } });
      expect(again.status).to.equal(502);
    } finally {
      await close(down.server);
    }
  });

  it('answers 504 when MX is too slow', async () => {
    const silent = await listen(() => undefined); // accepts, never answers
    const slow = await listen(mxProxy({ ...depsFor(silent.url), timeoutMs: 200 }));
    try {
      const res = await fetch(`${slow.url}/api/mx/institutions`, { headers: { 'X-Demo-User': 'alice' } });
      expect(res.status).to.equal(504);
    } finally {
      await close(slow.server);
      await close(silent.server);
    }
  });
});

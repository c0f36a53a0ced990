/**
 * A fleet on a real redis-server and the embedded sandbox: members queued, workers in two processes under one
 * shared rate limit, one of them killed with SIGKILL mid-run; every member ends exactly once, no 429, no
 * statement saved twice, and the watcher's summary covers the whole fleet.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import crossFetch from 'cross-fetch';
import * as E from 'fp-ts/lib/Either.js';
import { lastValueFrom, tap, timeout, toArray } from 'rxjs';
import { createMxClient } from '../../../lib/api/client.js';
import type { FetchLike } from '../../../lib/core/config.js';
import { enqueueMembers } from '../../../lib/node/queue/enqueue.js';
import { createRedisRateLimiter } from '../../../lib/node/queue/redis-rate-limiter.js';
import { watchSyncRun, type FleetItem, type FleetSummary } from '../../../lib/node/queue/watch.js';
import { startSyncWorker } from '../../../lib/node/queue/worker.js';
import { writeStatements } from '../../../lib/node/sink.js';
import { startSandbox, type SandboxHandle } from '../../../lib/sandbox/index.js';
import { until } from '../../helpers/bounded.js';
import { INSTALL_TIMEOUT_MS } from '../../helpers/debian-tool.js';
import { startRedisServer, type RedisServer } from '../../helpers/redis-server.js';

const MEMBERS = 24;
const STATEMENTS = 2;
const RATE = 60;
const CHILD = fileURLToPath(new URL('./worker-child.ts', import.meta.url));

/** Spawns a worker process; resolves once it printed `ready` (at most 20 s). Counts the members it started and ended. */
const spawnWorker = (options: object): Promise<{ child: ChildProcess; done: () => number; started: () => number }> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(options)], { stdio: ['pipe', 'pipe', 'inherit'] });
    let done = 0;
    let started = 0;
    const t = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('worker child did not start within 20 s'));
    }, 20_000);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line === 'ready') {
        clearTimeout(t);
        resolve({ child, done: () => done, started: () => started });
      } else if (line.startsWith('done ')) done += 1;
      else if (line.startsWith('started ')) started += 1;
    });
    child.once('exit', (code, signal) => {
      clearTimeout(t);
      reject(new Error(`worker child exited early (${signal ?? code})`));
    });
  });

describe('node/queue: a fleet of workers on BullMQ + Redis', function () {
  this.timeout(120_000);
  let redis: RedisServer;
  let sandbox: SandboxHandle;
  let out: string;
  const log: string[] = [];
  const children: ChildProcess[] = [];
  before(async function () {
    this.timeout(2 * INSTALL_TIMEOUT_MS + 20_000); // redis-server may be installed first
    redis = await startRedisServer();
    sandbox = await startSandbox({
      seed: 'fleet-spec', seedUsers: MEMBERS, statementsPerMember: STATEMENTS, aggregationMs: 1200, rateLimit: RATE, log: (l) => log.push(l),
    });
    out = await mkdtemp(path.join(tmpdir(), 'mx-fleet-'));
  });
  after(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await sandbox?.close();
    await redis?.stop();
    await rm(out, { recursive: true, force: true });
  });

  it('two worker processes share one rate; one is killed with kill -9; every member ends exactly once', async () => {
    const queue = 'fleet-spec';
    const where = { url: redis.url, queue };
    const limiter = await createRedisRateLimiter({ ...where, requestsPerSecond: RATE });
    const client = createMxClient({ baseUrl: sandbox.url, clientId: sandbox.clientId, apiKey: sandbox.apiKey, rateLimiter: limiter });
    const sink = writeStatements(out, { fsync: false });
    const childOptions = {
      redisUrl: redis.url, queue, sandbox: { url: sandbox.url, clientId: sandbox.clientId, apiKey: sandbox.apiKey }, out,
      requestsPerSecond: RATE, lockDurationMs: 2000, concurrency: 8,
    };
    const victim = await spawnWorker(childOptions);
    children.push(victim.child);
    const survivor = await startSyncWorker({ ...where, client, download: { sink }, lockDurationMs: 2000, stalledIntervalMs: 1000, concurrency: 8 });
    try {
      const run = await enqueueMembers({ ...where, members: 'all-members', client });
      expect(run.total).to.equal(MEMBERS);
      let killed = false;
      const items: FleetItem[] = await lastValueFrom(watchSyncRun({ ...where, runId: run.runId, pollMs: 100 }).pipe(
        tap((i) => {
          // kill -9 the child once it has ended a few members and is busy with more
          if (!killed && i.type === 'fleet-member-done' && i.worker.endsWith(`:${victim.child.pid}`) && victim.done() >= 2) {
            killed = true;
            victim.child.kill('SIGKILL');
          }
        }),
        toArray(),
        timeout(90_000),
      ));
      expect(killed, 'the child worker was killed mid-run').to.equal(true);
      const summary = items.at(-1) as FleetSummary;
      expect(summary.type).to.equal('fleet-summary');
      expect(summary).to.deep.include({ total: MEMBERS, synced: MEMBERS, failed: 0, needsUserAction: 0, duplicates: 0, statements: MEMBERS * STATEMENTS });
      expect(summary.workers).to.equal(2);
      const ended = items.flatMap((i) => (i.type === 'fleet-member-done' ? [i.memberGuid] : []));
      expect(ended).to.have.length(MEMBERS);
      expect(new Set(ended).size).to.equal(MEMBERS);
      // the members the victim had in hand were taken again by the survivor: their job was started twice
      const starts = new Map<string, number>();
      for (const l of log) {
        const m = /^POST \/users\/[^/]+\/members\/([^/]+)\/fetch_statements /.exec(l);
        if (m) starts.set(m[1]!, (starts.get(m[1]!) ?? 0) + 1);
      }
      expect([...starts.values()].some((n) => n >= 2), 'a member taken again after the kill').to.equal(true);
      // one shared limit: the sandbox refused nothing
      expect(log.filter((l) => / 429 /.test(l))).to.deep.equal([]);
      // every statement saved once, recorded once
      const pdfs = (await readdir(out, { recursive: true })).filter((f) => f.endsWith('.pdf'));
      expect(pdfs).to.have.length(MEMBERS * STATEMENTS);
      const dirs = (await readdir(out)).filter((d) => d.startsWith('MBR-'));
      for (const d of dirs) {
        const manifest = JSON.parse(await readFile(path.join(out, d, 'manifest.json'), 'utf8')) as { statements: { statement_guid: string }[] };
        const guids = manifest.statements.map((e) => e.statement_guid);
        expect(new Set(guids).size, d).to.equal(guids.length);
      }
      // no statement downloaded again once saved: PDF requests beyond the statements are only those in flight at the kill
      const pdfRequests = log.filter((l) => /\.pdf 200 /.test(l)).length;
      expect(pdfRequests - MEMBERS * STATEMENTS).to.be.within(0, 8 * STATEMENTS);
    } finally {
      await survivor.close();
      await sink.idle();
      await limiter.close();
    }
  });
  it('queues a member listed twice once, records a failure that is not transient without retrying it, and sums it all', async () => {
    const queue = 'fleet-spec-2';
    const where = { url: redis.url, queue };
    const client = createMxClient({ baseUrl: sandbox.url, clientId: sandbox.clientId, apiKey: sandbox.apiKey, rateLimit: { requestsPerSecond: RATE } });
    const users = await lastValueFrom(client.users.list$().pipe(toArray()));
    const user = users[0];
    if (user === undefined || user._tag === 'Left') throw new Error('no user listed');
    const members = await lastValueFrom(client.members.list$({ userGuid: user.right.items[0]!.guid }));
    if (members._tag === 'Left') throw new Error(members.left.message);
    const real = { userGuid: user.right.items[0]!.guid, memberGuid: members.right.items[0]!.guid };
    const gone = { userGuid: real.userGuid, memberGuid: 'MBR-does-not-exist' };
    const sink = writeStatements(out, { fsync: false });
    const worker = await startSyncWorker({ ...where, client, download: { sink }, concurrency: 4 });
    try {
      const run = await enqueueMembers({ ...where, members: [real, gone, real], attempts: 2 });
      expect(run.total).to.equal(2);
      const items = await lastValueFrom(watchSyncRun({ ...where, runId: run.runId, pollMs: 100 }).pipe(toArray(), timeout(60_000)));
      const summary = items.at(-1) as FleetSummary;
      expect(summary).to.deep.include({ type: 'fleet-summary', total: 2, synced: 1, failed: 1, duplicates: 0, attempts: 1 });
      expect(summary.failures.map((f) => [f.memberGuid, f.errorTag])).to.deep.equal([['MBR-does-not-exist', 'NotFound']]);
      const progress = items.filter((i) => i.type === 'fleet-progress');
      expect(progress.at(-1)).to.deep.include({ total: 2, done: 2, listed: true });
      expect(worker.stats()).to.deep.include({ synced: 1, failed: 1, requeued: 0 });
    } finally {
      await worker.close();
      await sink.idle();
    }
  });
  it('records a member whose workers keep dying as failed (BullMQ fails it, stalled too often, with attempts left), so the watch ends', async () => {
    const queue = 'fleet-spec-stalled';
    const where = { url: redis.url, queue };
    // a job that outlasts the test: the member is in the victim's hands when it is killed
    const slow = await startSandbox({ seed: 'fleet-stalled', seedUsers: 1, statementsPerMember: 1, aggregationMs: 120_000 });
    const client = createMxClient({ baseUrl: slow.url, clientId: slow.clientId, apiKey: slow.apiKey, rateLimit: { requestsPerSecond: RATE } });
    const sink = writeStatements(out, { fsync: false });
    let survivor: Awaited<ReturnType<typeof startSyncWorker>> | undefined;
    try {
      const victim = await spawnWorker({
        redisUrl: redis.url, queue, sandbox: { url: slow.url, clientId: slow.clientId, apiKey: slow.apiKey }, out,
        requestsPerSecond: RATE, lockDurationMs: 1000, concurrency: 1, maxStalledCount: 0,
      });
      children.push(victim.child);
      const run = await enqueueMembers({ ...where, members: 'all-members', client, attempts: 3 });
      expect(run.total).to.equal(1);
      await until('the victim to start the member', () => victim.started() >= 1, 15_000);
      victim.child.kill('SIGKILL');
      // lost once, with maxStalledCount 0: the next worker to see it fails it for good
      survivor = await startSyncWorker({ ...where, client, download: { sink }, lockDurationMs: 1000, stalledIntervalMs: 250, maxStalledCount: 0, concurrency: 1 });
      const items = await lastValueFrom(watchSyncRun({ ...where, runId: run.runId, pollMs: 100 }).pipe(toArray(), timeout(20_000)));
      const summary = items.at(-1) as FleetSummary;
      expect(summary).to.deep.include({ type: 'fleet-summary', total: 1, synced: 0, failed: 1, duplicates: 0 });
      expect(summary.failures[0]?.message).to.match(/stalled more than allowable limit/);
      expect(survivor.stats()).to.deep.include({ failed: 1, synced: 0 });
    } finally {
      await survivor?.close();
      await sink.idle();
      await slow.close();
    }
  });

  it("queues every member of 'all-members' when a user is deleted between the listing of users and of its members", async () => {
    const queue = 'fleet-spec-deleted';
    const users = await lastValueFrom(createMxClient({ baseUrl: sandbox.url, clientId: sandbox.clientId, apiKey: sandbox.apiKey }).users.list$());
    if (E.isLeft(users)) throw new Error(users.left.message);
    const doomed = users.right.items[2]!.guid;
    // the listing's own fetch deletes that user just before asking for its members: MX then answers 404
    const deleting: FetchLike = async (url, init) => {
      if (new URL(url).pathname === `/users/${doomed}/members`) {
        const gone = await crossFetch(`${sandbox.url}/users/${doomed}`, { method: 'DELETE', headers: init.headers as Record<string, string> });
        expect(gone.status).to.be.within(200, 299);
      }
      return (crossFetch as unknown as FetchLike)(url, init);
    };
    const client = createMxClient({ baseUrl: sandbox.url, clientId: sandbox.clientId, apiKey: sandbox.apiKey, fetch: deleting });
    const skipped: string[] = [];
    const run = await enqueueMembers({ url: redis.url, queue, members: 'all-members', client, onListingSkip: (s) => skipped.push(s.userGuid) });
    expect(run.listingError).to.equal(null);
    expect(run.total).to.equal(MEMBERS - 1);
    expect(run.skippedUsers.map((s) => [s.userGuid, s.error._tag])).to.deep.equal([[doomed, 'NotFound']]);
    expect(skipped).to.deep.equal([doomed]);
  });

  it('reports a run that is not in Redis as an error, instead of waiting for ever', async () => {
    const err = await lastValueFrom(watchSyncRun({ url: redis.url, queue: 'fleet-spec', runId: 'no-such-run', pollMs: 50, missingRunMs: 300 }).pipe(timeout(10_000)))
      .then(() => undefined, (e: unknown) => e);
    expect(String(err)).to.match(/no run no-such-run on queue fleet-spec/);
  });
});

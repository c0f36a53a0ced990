/**
 * `sync --queue` and two `worker` processes (the built CLI) on a real redis-server (started here: free port, temp
 * folder; installed with apt-get as root when missing) against a sandbox: the members are queued once, both workers
 * take some under one shared rate, every member ends exactly once, each PDF is saved once, and the sync shows the
 * whole fleet's progress and summary. Every wait is bounded; every child and the server are stopped afterwards.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { expect } from 'chai';
import { startSandbox, type SandboxHandle } from '../../lib/sandbox/index.js';
import { INSTALL_TIMEOUT_MS } from '../helpers/debian-tool.js';
import { startRedisServer, type RedisServer } from '../helpers/redis-server.js';
import { killChildren, pdfsUnder, runCli, startCli } from './helpers.js';

const CLIENT_ID = 'fleet-client-51aa';
const API_KEY = 'fleet-API-KEY-0c77e9-secret';
const MEMBERS = 8;
const STATEMENTS = 2;

describe('cli: sync --queue and worker processes on BullMQ + Redis', function () {
  this.timeout(90_000);
  let redis: RedisServer;
  let sandbox: SandboxHandle;
  let tmp: string;
  before(async function () {
    this.timeout(2 * INSTALL_TIMEOUT_MS + 20_000); // redis-server may be installed first
    redis = await startRedisServer();
    sandbox = await startSandbox({ clientId: CLIENT_ID, apiKey: API_KEY, seedUsers: MEMBERS, statementsPerMember: STATEMENTS, aggregationMs: 600, seed: 'cli-fleet' });
  });
  after(async () => {
    killChildren();
    await sandbox?.close();
    await redis?.stop();
  });
  beforeEach(async () => {
    tmp = await mkdtemp(path.join(tmpdir(), 'mx-cli-fleet-'));
  });
  afterEach(async () => {
    killChildren();
    await rm(tmp, { recursive: true, force: true });
  });

  it('queues every member once; two workers share them under one rate; the sync shows the whole fleet and its summary', async () => {
    const env = { MX_API_KEY: API_KEY };
    const target = ['--base-url', sandbox.url, '--client-id', CLIENT_ID];
    const queue = ['--queue', redis.url, '--queue-name', 'cli-fleet-spec'];
    const sync = startCli(['sync', ...target, ...queue, '--rate-limit', '40'], { env, cwd: tmp });
    await sync.waitFor(/^ok Queued 8 members as run [\w-]+; waiting for the workers$/m, 20_000);
    // The sync says how to start a worker, as a command that runs as printed (with the key in the environment).
    expect(sync.stderr()).to.contain(`npx mx-statements worker --queue ${redis.url} --queue-name cli-fleet-spec --base-url ${sandbox.url} --client-id ${CLIENT_ID} --rate-limit 40`);
    const out = path.join(tmp, 'shared-out');
    const worker = () => startCli(['worker', ...queue, ...target, '--rate-limit', '40', '--concurrency', '2', '--out', out, '--idle-exit', '2s'], { env, cwd: tmp });
    const workers = [worker(), worker()];
    const done = await sync.done(60_000);
    const [w1, w2] = await Promise.all(workers.map((w) => w.done(30_000)));
    expect(done.code, done.stderr).to.equal(0);
    expect([w1?.code, w2?.code], `${w1?.stderr}\n${w2?.stderr}`).to.deep.equal([0, 0]);

    const summary = done.stdout.trimEnd().split('\n');
    expect(summary[0]).to.match(/^Done in [\d.]+ m?s, 1 pass: 8 of 8 members synced, 0 need their user, 0 failed$/);
    expect(summary[1]).to.match(/^Statements: 16 PDFs, [\d.]+ KB \(16 downloaded, 0 already saved\) by the workers$/);
    expect(summary[2]).to.match(/^Fleet: run [\w-]+, 2 workers; every member ran once$/);
    // One line per member, each naming the worker that ended it, counted across the fleet.
    const ended = done.stderr.split('\n').filter((l) => / synced: 2 PDFs, 2 new /.test(l));
    expect(ended).to.have.length(MEMBERS);
    expect(new Set(ended.map((l) => /· (\S+:\d+)/.exec(l)?.[1])).size).to.equal(2);
    expect(done.stderr).to.match(/\(8 of 8 members done\)$/m);

    // Each worker's own summary; together they ended every member once.
    const counts = [w1, w2].map((w) => Number(/^Worker \S+ done in [\d.]+ m?s: (\d+) members? synced/m.exec(w?.stdout ?? '')?.[1] ?? NaN));
    expect(counts[0]! + counts[1]!).to.equal(MEMBERS);
    for (const c of counts) expect(c).to.be.at.least(1);
    const pdfs = await pdfsUnder(out);
    expect(pdfs).to.have.length(MEMBERS * STATEMENTS);
    expect(new Set(pdfs.map((p) => path.basename(p))).size).to.equal(MEMBERS * STATEMENTS);
    for (const r of [done, w1, w2]) expect(`${r?.stdout}${r?.stderr}`).to.not.contain(API_KEY);
  });

  it('a Redis that is not there: a clear failure naming --queue, at once (exit 5); a missing --queue or target: usage (exit 2)', async () => {
    const closed = new URL(redis.url);
    closed.port = '9'; // the discard port: nothing listens there
    const r = await runCli(['sync', '--queue', closed.toString().replace(/\/$/, ''), '--seed-users', '1'], { cwd: tmp, timeoutMs: 15_000 });
    expect(r.code).to.equal(5);
    expect(r.stderr).to.match(/^!! QueueUnavailable: --queue redis:\/\/127\.0\.0\.1:9: cannot reach Redis: connection refused — is redis-server running there\?$/m);
    const noQueue = await runCli(['worker', '--base-url', sandbox.url, '--client-id', CLIENT_ID], { env: { MX_API_KEY: API_KEY } });
    expect(noQueue.code).to.equal(2);
    expect(noQueue.stderr).to.match(/^mx-statements worker: --queue URL is needed/m);
    const noTarget = await runCli(['worker', '--queue', redis.url]);
    expect(noTarget.code).to.equal(2);
    expect(noTarget.stderr).to.match(/^mx-statements worker: worker needs the target the members live on: --base-url URL/m);
  });
});

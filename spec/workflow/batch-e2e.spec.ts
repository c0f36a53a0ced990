/**
 * The batch end to end over real HTTP against the embedded sandbox: rate-bound, prefetch while jobs run, and a
 * re-run with `maxAge` that costs one statement listing per member.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { expect } from 'chai';
import crossFetch from 'cross-fetch';
import * as E from 'fp-ts/lib/Either.js';
import { lastValueFrom, toArray } from 'rxjs';
import { createMxClient, type MxClient } from '../../lib/api/client.js';
import type { FetchLike } from '../../lib/core/config.js';
import { writeStatements, type FileStatementSink } from '../../lib/node/index.js';
import type { FileSystemError } from '../../lib/node/fs-error.js';
import { startSandbox, type SandboxHandle } from '../../lib/sandbox/index.js';
import { fetchStatementsForMany$, type BatchItem, type BatchOptions, type BatchSummary } from '../../lib/workflow/batch.js';

const MEMBERS = 8;
const STATEMENTS = 4;

/** Counts requests by kind (method + last path segment shape). */
const countingFetch = () => {
  const kinds: string[] = [];
  const fetch: FetchLike = async (url, init) => {
    const p = new URL(url).pathname;
    const kind = p.endsWith('.pdf') ? 'pdf'
      : p.endsWith('/status') ? 'status'
        : p.endsWith('/fetch_statements') ? 'fetch_statements'
          : /\/statements$/.test(p) ? 'list_statements'
            : /\/members$/.test(p) ? 'list_members'
              : p === '/users' ? 'list_users' : `${init.method} ${p}`;
    kinds.push(kind);
    const res = await (crossFetch as unknown as FetchLike)(url, init);
    if (res.status === 429) kinds.push('429');
    return res;
  };
  const count = (k: string) => kinds.filter((x) => x === k).length;
  return { fetch, kinds, count };
};

const summaryOf = (items: BatchItem<FileSystemError>[]): BatchSummary<FileSystemError> => {
  const last = items.at(-1);
  if (last?.type !== 'batch-summary') throw new Error(`no summary last: ${JSON.stringify(last)}`);
  return last;
};

describe('workflow/fetchStatementsForMany$ end to end (sandbox)', function () {
  this.timeout(60_000);
  let sandbox: SandboxHandle;
  let dir: string;
  before(async () => {
    sandbox = await startSandbox({ seed: 'batch-e2e', seedUsers: MEMBERS, statementsPerMember: STATEMENTS, aggregationMs: 1500, rateLimit: 40 });
    dir = await mkdtemp(path.join(tmpdir(), 'mx-batch-e2e-'));
  });
  after(async () => {
    await sandbox.close();
    await rm(dir, { recursive: true, force: true });
  });

  const clientFor = (fetch: FetchLike): MxClient =>
    createMxClient({ baseUrl: sandbox.url, clientId: sandbox.clientId, apiKey: sandbox.apiKey, rateLimit: { requestsPerSecond: 40 }, fetch, downloadFetch: fetch });
  const runBatch = async (client: MxClient, sink: FileStatementSink, extra: BatchOptions<FileSystemError> = {}) => {
    const items = await lastValueFrom(fetchStatementsForMany$(client, 'all-members', { download: { sink }, ...extra }).pipe(toArray()));
    await sink.idle();
    return items;
  };

  it('syncs every member at the rate, downloading what MX lists while the jobs run, each statement once', async () => {
    const c = countingFetch();
    const sink = writeStatements(dir, { fsync: false });
    // jobs of 1.5 s: prefetch those still running after 300 ms
    const items = await runBatch(clientFor(c.fetch), sink, { prefetch: { afterMs: 300 } });
    const s = summaryOf(items);
    expect(s).to.deep.include({ total: MEMBERS, synced: MEMBERS, failed: 0, statements: MEMBERS * STATEMENTS, downloaded: MEMBERS * STATEMENTS, skipped: 0, passes: 1 });
    expect(c.count('429')).to.equal(0);
    // every statement downloaded exactly once: the workflow skipped what the prefetch saved
    expect(c.count('pdf')).to.equal(MEMBERS * STATEMENTS);
    expect(c.count('fetch_statements')).to.equal(MEMBERS);
    const pdfs = (await readdir(dir, { recursive: true })).filter((f) => f.endsWith('.pdf'));
    expect(pdfs).to.have.length(MEMBERS * STATEMENTS);
    // the prefetch ran: downloads reported before the member's job ended, and none reported twice
    const events = items.flatMap((i) => (i.type === 'member' && E.isRight(i.event) ? [{ key: i.target.key, ev: i.event.right }] : []));
    const early = events.filter((e, n) => e.ev.type === 'statement-downloaded' && events.slice(n).some((later) => later.key === e.key && later.ev.type === 'connected'));
    expect(early.length, 'downloads ahead of the job end').to.be.greaterThan(0);
    expect(events.filter((e) => e.ev.type === 'statement-skipped')).to.have.length(0);
    const ids = events.flatMap((e) => (e.ev.type === 'statement-downloaded' ? [e.ev.statementGuid] : []));
    expect(new Set(ids).size).to.equal(ids.length);
  });

  it('a re-run with maxAge skips every job: one statement listing per member, plus the member listing', async () => {
    const c = countingFetch();
    const sink = writeStatements(dir, { fsync: false });
    const items = await runBatch(clientFor(c.fetch), sink, { maxAge: 60 * 60_000 });
    expect(summaryOf(items)).to.deep.include({ total: MEMBERS, synced: MEMBERS, fresh: MEMBERS, downloaded: 0, skipped: MEMBERS * STATEMENTS });
    expect(c.count('fetch_statements') + c.count('status') + c.count('pdf')).to.equal(0);
    expect(c.count('list_statements')).to.equal(MEMBERS);
    // members are listed user by user: one page of users, one page of members per user
    expect(c.count('list_users') + c.count('list_members')).to.equal(1 + MEMBERS);
    expect(c.kinds.length).to.equal(1 + 2 * MEMBERS);
  });

  it('without maxAge the jobs run again, nothing is downloaded twice, and jobs shorter than 5 s are not prefetched', async () => {
    const c = countingFetch();
    const sink = writeStatements(dir, { fsync: false });
    const items = await runBatch(clientFor(c.fetch), sink);
    expect(summaryOf(items)).to.deep.include({ synced: MEMBERS, fresh: 0, downloaded: 0, skipped: MEMBERS * STATEMENTS });
    expect(c.count('fetch_statements')).to.equal(MEMBERS);
    expect(c.count('pdf')).to.equal(0);
    expect(c.count('list_statements')).to.equal(MEMBERS);
  });
});

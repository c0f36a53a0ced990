/**
 * Chaos: the workflow (new member, full path) and a sync of every member ('all-members') against a sandbox that
 * answers 20% of requests with a fault (500/502/503, 429 with Retry-After, connection resets, slow answers,
 * truncated PDFs), for several fault seeds. Every member must complete, every PDF on disk must match its
 * `content_hash`, and no temp or half-written file may remain.
 */
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { expect } from 'chai';
import * as E from 'fp-ts/lib/Either.js';
import { collect } from '../helpers/bounded.js';
import { nodeSha256 } from '../../lib/node/hash.js';
import { writeStatements } from '../../lib/node/sink.js';
import type { FileSystemError } from '../../lib/node/fs-error.js';
import { fetchStatementsForMany$, type BatchItem } from '../../lib/workflow/batch.js';
import { fetchStatements$ } from '../../lib/workflow/fetch-statements.js';
import { listFiles, partFiles } from './helpers/resources.js';
import { ofType, runToEnd } from './helpers/run.js';
import { sandboxClient } from './helpers/sandbox.js';
import { sha256 } from './helpers/fake-mx.js';
import { STATEMENTS_JOB_FILE } from '../../lib/node/statements-job-record.js';

const SEEDS = ['chaos-1', 'chaos-2', 'chaos-3'];
const FAULTS = { rate: 0.2, slowMs: 40, retryAfterSeconds: 1 } as const;

/** Every PDF under `dir` matches the content_hash listed for it; nothing else but manifests (and statements-job records) is there. */
const expectOnlyVerifiedFiles = async (dir: string, hashes: ReadonlyMap<string, string>): Promise<number> => {
  const files = await listFiles(dir);
  expect(partFiles(files), 'temp or hidden files left').to.deep.equal([]);
  let pdfs = 0;
  for (const f of files) {
    if (path.basename(f) === 'manifest.json' || path.basename(f) === STATEMENTS_JOB_FILE) continue;
    expect(f, 'only PDFs and manifests').to.match(/\.pdf$/);
    const guid = path.basename(f, '.pdf');
    expect(hashes.has(guid), `${f} was never listed`).to.equal(true);
    expect(sha256(await readFile(path.join(dir, f))), f).to.equal(hashes.get(guid));
    pdfs += 1;
  }
  return pdfs;
};

describe('reliability: chaos (20% injected faults)', function () {
  this.timeout(40_000);

  for (const seed of SEEDS) {
    it(`${seed}: the full workflow and a sync of every member complete with every PDF verified`, async () => {
      const dir = await mkdtemp(path.join(tmpdir(), 'mx-chaos-'));
      const { sandbox, client } = await sandboxClient(
        { seed, seedUsers: 4, aggregationMs: 30, statementsPerMember: 3, faults: FAULTS },
        { timeoutMs: 3000 },
      );
      try {
        const sink = writeStatements(dir, { fsync: false });
        // 1. One new member, the whole way.
        const run = await runToEnd(fetchStatements$(client, {
          user: { id: `chaos-user-${seed}` },
          institution: { name: 'MX Bank' },
          credentials: { LOGIN: 'mxuser', PASSWORD: 'password' },
          download: { sink },
          hasher: nodeSha256,
        }), 30_000);
        expect(run.error, run.error?.message).to.equal(undefined);
        expect(run.events[run.events.length - 1]?.type).to.equal('done');
        const hashes = new Map<string, string>();
        for (const l of ofType(run.events, 'statement-listed')) hashes.set(l.statement.guid, l.statement.content_hash ?? '');
        for (const d of ofType(run.events, 'statement-downloaded')) expect(d.sha256).to.equal(hashes.get(d.statementGuid));

        // 2. A sync of every member of every user (the 4 seeded ones and the one just created).
        const items: BatchItem<FileSystemError>[] = await collect(
          fetchStatementsForMany$(client, 'all-members', { concurrency: 4, download: { sink }, hasher: nodeSha256 }), 40_000, 'the sync',
        );
        const summary = items[items.length - 1];
        if (summary?.type !== 'batch-summary') throw new Error('no batch summary');
        const problems = [...summary.failures, ...summary.needingAction].map((p) => `${p.key}: ${p.message}`);
        expect(problems, problems.join('\n')).to.deep.equal([]);
        expect(summary.listingError, summary.listingError?.message).to.equal(null);
        const done = items.filter((i) => i.type === 'member-done');
        const keys = new Set(done.map((i) => (i.type === 'member-done' ? i.target.key : '')));
        expect(keys.size, 'distinct members synced').to.equal(5);
        expect(summary.synced).to.equal(summary.total);
        for (const i of items) {
          if (i.type !== 'member' || E.isLeft(i.event)) continue;
          const ev = i.event.right;
          if (ev.type === 'statement-listed') hashes.set(ev.statement.guid, ev.statement.content_hash ?? '');
          if (ev.type === 'statement-downloaded' || ev.type === 'statement-skipped') expect(ev.sha256).to.equal(hashes.get(ev.statementGuid));
        }
        await sink.idle();
        const pdfs = await expectOnlyVerifiedFiles(dir, hashes);
        expect(pdfs).to.equal(5 * 3);
      } finally {
        await sandbox.close();
        await rm(dir, { recursive: true, force: true });
      }
    });
  }

  it('each member of an all-members sync is synced exactly once (no duplicates under concurrency)', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'mx-chaos-'));
    const { sandbox, client } = await sandboxClient({ seed: 'dup', seedUsers: 30, aggregationMs: 10, statementsPerMember: 1 });
    try {
      const items = await collect(fetchStatementsForMany$(client, 'all-members', { concurrency: 4 }), 40_000, 'the sync');
      const keys = items.flatMap((i) => (i.type === 'member-done' ? [i.target.key] : []));
      expect(keys.length - new Set(keys).size, 'members run more than once').to.equal(0);
      expect(new Set(keys).size).to.equal(30);
    } finally {
      await sandbox.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

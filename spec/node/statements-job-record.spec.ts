import { readFile, writeFile, mkdir } from 'node:fs/promises';
import * as path from 'node:path';
import { expect } from 'chai';
import * as E from 'fp-ts/lib/Either.js';
import { firstValueFrom, lastValueFrom, merge, toArray } from 'rxjs';
import { writeStatements } from '../../lib/node/sink.js';
import { STATEMENTS_JOB_FILE } from '../../lib/node/statements-job-record.js';
import { createMemorySink } from '../../lib/workflow/memory-sink.js';
import { listAll, makeTempDir } from './helpers.js';

const M = { userGuid: 'USR-1', memberGuid: 'MBR-1' };

describe('node/statements-job-record (the disk sink remembers statements jobs, for maxAge)', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ dir, cleanup } = await makeTempDir());
  });
  afterEach(() => cleanup());

  it('records the time beside the member statements and reads it back, also in a new sink (a later run)', async () => {
    const sink = writeStatements(dir, { fsync: false });
    expect(await firstValueFrom(sink.lastStatementsJob$!(M))).to.deep.equal(E.right(undefined));
    const at = Date.parse('2026-12-01T03:00:00.000Z');
    expect(await firstValueFrom(sink.recordStatementsJob$!(M, at))).to.deep.equal(E.right(undefined));
    expect(await firstValueFrom(writeStatements(dir).lastStatementsJob$!(M))).to.deep.equal(E.right(at));
    const json = JSON.parse(await readFile(path.join(dir, 'MBR-1', STATEMENTS_JOB_FILE), 'utf8'));
    expect(json).to.deep.equal({ version: 1, member_guid: 'MBR-1', user_guid: 'USR-1', statements_job_at: '2026-12-01T03:00:00.000Z' });
    await sink.idle();
    expect(await listAll(dir)).to.deep.equal(['MBR-1', `MBR-1/${STATEMENTS_JOB_FILE}`]);
  });

  it('keeps the latest time when writers race, and never an earlier one', async () => {
    const sink = writeStatements(dir, { fsync: false });
    const times = [5, 1, 9, 3, 7].map((h) => Date.UTC(2026, 11, 1, h));
    await lastValueFrom(merge(...times.map((t) => sink.recordStatementsJob$!(M, t))).pipe(toArray()));
    expect(await firstValueFrom(sink.lastStatementsJob$!(M))).to.deep.equal(E.right(Date.UTC(2026, 11, 1, 9)));
    await firstValueFrom(sink.recordStatementsJob$!(M, Date.UTC(2026, 11, 1, 2)));
    expect(await firstValueFrom(sink.lastStatementsJob$!(M))).to.deep.equal(E.right(Date.UTC(2026, 11, 1, 9)));
  });

  it('counts a corrupt record, or one of another member, as none (the job runs)', async () => {
    await mkdir(path.join(dir, 'MBR-1'));
    const file = path.join(dir, 'MBR-1', STATEMENTS_JOB_FILE);
    const sink = writeStatements(dir, { fsync: false });
    for (const text of ['{"statements_job_at":', '{"member_guid":"MBR-2","statements_job_at":"2026-12-01T00:00:00Z"}', '{"member_guid":"MBR-1","statements_job_at":"soon"}', '[]']) {
      await writeFile(file, text);
      expect(await firstValueFrom(sink.lastStatementsJob$!(M)), text).to.deep.equal(E.right(undefined));
    }
  });

  it('reports an output folder it cannot use as a FileSystemError, without an absolute path', async () => {
    await writeFile(path.join(dir, 'file'), 'x');
    const sink = writeStatements(path.join(dir, 'file'), { fsync: false });
    const r = await firstValueFrom(sink.recordStatementsJob$!(M, Date.now()));
    expect(E.isLeft(r) && r.left._tag).to.equal('FileSystemError');
    expect(JSON.stringify(r)).to.not.include(dir);
  });

  it('the memory sink keeps the latest time per member too', async () => {
    const sink = createMemorySink();
    expect(await firstValueFrom(sink.lastStatementsJob$!(M))).to.deep.equal(E.right(undefined));
    await firstValueFrom(sink.recordStatementsJob$!(M, 20));
    await firstValueFrom(sink.recordStatementsJob$!(M, 10));
    expect(await firstValueFrom(sink.lastStatementsJob$!(M))).to.deep.equal(E.right(20));
  });
});

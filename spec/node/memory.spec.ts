import { expect } from 'chai';
import { stat } from 'node:fs/promises';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import * as E from 'fp-ts/lib/Either.js';
import { concat, defer, map, of, range } from 'rxjs';
import { ChunkFileWriter } from '../../lib/node/chunk-writer.js';
import { nodeSha256 } from '../../lib/node/hash.js';
import { writeStatements } from '../../lib/node/sink.js';
import { all, listAll, makeTempDir, target, type Ev } from './helpers.js';

const CHUNK = 64 * 1024;
const COUNT = 800; // 800 × 64 KiB = 50 MiB
const MiB = 1024 * 1024;

/** A full GC, so garbage not yet collected does not pass for memory held (a no-op if V8 refuses). */
const gc: () => void = (() => {
  try {
    v8.setFlagsFromString('--expose-gc');
    return vm.runInNewContext('gc') as () => void;
  } catch {
    return () => undefined;
  }
})();

/** A fresh chunk each time (the producer keeps no reference), with content that depends on its index. */
const makeChunk = (i: number): Uint8Array => new Uint8Array(CHUNK).fill(i & 0xff);

const expectedSha = (() => {
  let memo: string | undefined;
  return () => {
    if (memo) return memo;
    const h = nodeSha256();
    for (let i = 0; i < COUNT; i++) h.update(makeChunk(i));
    return (memo = h.digest());
  };
})();

/** Saves 50 MiB from a synchronous producer (never yields between chunks: the hardest case) and measures growth. */
const saveBig = async (dir: string, highWaterMark?: number) => {
  const sha256 = expectedSha();
  gc();
  await new Promise((r) => setImmediate(r));
  gc();
  const base = process.memoryUsage();
  let rss = 0;
  let buffers = 0;
  const sample = (collect: boolean) => {
    if (collect) gc();
    const m = process.memoryUsage();
    rss = Math.max(rss, m.rss - base.rss);
    buffers = Math.max(buffers, m.heapUsed + m.arrayBuffers - base.heapUsed - base.arrayBuffers);
  };
  const download$ = concat(
    range(0, COUNT).pipe(map((i): Ev => {
      sample(i % 50 === 49);
      return E.right({ kind: 'chunk', bytes: makeChunk(i), received: (i + 1) * CHUNK });
    })),
    defer(() => {
      sample(true);
      return of<Ev>(E.right({ kind: 'verified', bytes: COUNT * CHUNK, sha256 }));
    }),
  );
  const sink = writeStatements(dir, { fsync: false, ...(highWaterMark ? { highWaterMark } : {}) });
  const [result] = await all(sink.save$(target('MBR-1', 'STA-BIG'), download$));
  return { result, sha256, rssMiB: rss / MiB, buffersMiB: buffers / MiB };
};

describe('node/writeStatements memory', () => {
  let dir = '';
  let cleanup: () => Promise<void> = async () => undefined;
  beforeEach(async () => ({ dir, cleanup } = await makeTempDir()));
  afterEach(() => cleanup());

  it('saves a 50 MiB download produced all at once with far less than 50 MiB of memory growth', async () => {
    const { result, sha256, rssMiB, buffersMiB } = await saveBig(dir);
    // (the target names no content_hash: the sink keeps it marked unverified)
    expect(result).to.deep.equal(E.right({ location: path.join(dir, 'MBR-1', 'STA-BIG.pdf'), bytes: COUNT * CHUNK, sha256, unverified: true }));
    expect((await stat(path.join(dir, 'MBR-1', 'STA-BIG.pdf'))).size).to.equal(COUNT * CHUNK);
    expect(await listAll(dir)).to.deep.equal(['MBR-1', 'MBR-1/STA-BIG.pdf', 'MBR-1/manifest.json']);
    expect(rssMiB, 'rss growth (MiB)').to.be.below(30);
    expect(buffersMiB, 'heap + array buffer growth (MiB)').to.be.below(30);
  });

  it('(control) the same measurement does see 50 MiB when the queue is unbounded', async () => {
    const { result, buffersMiB } = await saveBig(dir, Number.POSITIVE_INFINITY);
    expect(result).to.satisfy(E.isRight);
    expect(buffersMiB, 'heap + array buffer growth (MiB)').to.be.above(40);
  });

  it('never queues more than the high-water mark', async () => {
    const writer = await ChunkFileWriter.open(path.join(dir, 'w.part'), 256 * 1024);
    for (let i = 0; i < 200; i++) writer.write(makeChunk(i));
    const sha = await writer.digest();
    await writer.commit(path.join(dir, 'w.pdf'), false);
    expect(writer.peakQueuedBytes).to.be.within(CHUNK, 256 * 1024);
    expect((await stat(path.join(dir, 'w.pdf'))).size).to.equal(200 * CHUNK);
    const check = nodeSha256();
    for (let i = 0; i < 200; i++) check.update(makeChunk(i));
    expect(sha).to.equal(check.digest());
    expect(await listAll(dir)).to.deep.equal(['w.pdf']);
  });
});

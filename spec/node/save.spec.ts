import { expect } from 'chai';
import { mkdir, readFile, utimes, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import { concat, concatMap, of, Subject, throwError, timer } from 'rxjs';
import type { MxError } from '../../lib/core/errors.js';
import type { FileSystemError } from '../../lib/node/fs-error.js';
import type { SavedStatement } from '../../lib/workflow/sink.js';
import { writeStatements } from '../../lib/node/sink.js';
import {
  all, chunkEvents, events$, goodDownload, HOSTILE, listAll, makeTempDir, networkError, pdfBytes, sha256Hex, target,
  type Ev,
} from './helpers.js';
import { until } from '../helpers/bounded.js';

const right = (results: ReadonlyArray<E.Either<MxError | FileSystemError, SavedStatement>>): SavedStatement => {
  expect(results).to.have.length(1);
  const [r] = results;
  if (!r || E.isLeft(r)) throw new Error(`expected Right, got ${JSON.stringify(r)}`);
  return r.right;
};
const left = (results: ReadonlyArray<E.Either<MxError | FileSystemError, SavedStatement>>): MxError | FileSystemError => {
  expect(results).to.have.length(1);
  const [r] = results;
  if (!r || E.isRight(r)) throw new Error(`expected Left, got ${JSON.stringify(r)}`);
  return r.left;
};

describe('node/writeStatements save$', () => {
  let dir = '';
  let cleanup: () => Promise<void> = async () => undefined;
  beforeEach(async () => ({ dir, cleanup } = await makeTempDir()));
  afterEach(() => cleanup());

  it('streams the chunks to <dir>/<member>/<statement>.pdf and reports size and SHA-256', async () => {
    const sink = writeStatements(dir);
    const bytes = pdfBytes('hello statement');
    const saved = right(await all(sink.save$(target('MBR-1', 'STA-1', { content_hash: sha256Hex(bytes) }), of(...goodDownload(bytes)))));
    expect(saved).to.deep.equal({ location: path.join(dir, 'MBR-1', 'STA-1.pdf'), bytes: bytes.byteLength, sha256: sha256Hex(bytes) });
    expect(new Uint8Array(await readFile(saved.location))).to.deep.equal(bytes);
    expect(await listAll(dir)).to.deep.equal(['MBR-1', 'MBR-1/STA-1.pdf', 'MBR-1/manifest.json']);
  });

  it('keeps a statement without a usable content_hash marked unverified, in its result and its manifest entry', async () => {
    const sink = writeStatements(dir);
    for (const [i, contentHash] of [undefined, null, '', '  ', 'abc', 'z'.repeat(64)].entries()) {
      const bytes = pdfBytes(`no hash ${i}`);
      const t = target('MBR-1', `STA-${i}`, contentHash === undefined ? {} : { content_hash: contentHash });
      const saved = right(await all(sink.save$(t, of(...goodDownload(bytes)))));
      expect(saved, String(contentHash)).to.include({ unverified: true, sha256: sha256Hex(bytes) });
      const manifest = JSON.parse(await readFile(path.join(dir, 'MBR-1', 'manifest.json'), 'utf8')) as { statements: Array<{ statement_guid: string; verified?: boolean }> };
      expect(manifest.statements.find((e) => e.statement_guid === `STA-${i}`)?.verified, String(contentHash)).to.equal(false);
    }
  });

  it('keeps nothing on a Left mid-stream and leaves an earlier good copy byte for byte', async () => {
    const sink = writeStatements(dir);
    const good = pdfBytes('version one');
    right(await all(sink.save$(target('MBR-1', 'STA-1'), events$(goodDownload(good)))));
    const manifestBefore = await readFile(path.join(dir, 'MBR-1', 'manifest.json'), 'utf8');

    const bad = pdfBytes('version two, which breaks off halfway through');
    const evs: Ev[] = [...chunkEvents([bad.subarray(0, 10), bad.subarray(10, 20)]), E.left(networkError)];
    expect(left(await all(sink.save$(target('MBR-1', 'STA-1'), events$(evs))))).to.deep.equal(networkError);

    expect(new Uint8Array(await readFile(path.join(dir, 'MBR-1', 'STA-1.pdf')))).to.deep.equal(good);
    expect(await readFile(path.join(dir, 'MBR-1', 'manifest.json'), 'utf8')).to.equal(manifestBefore);
    expect(await listAll(dir)).to.deep.equal(['MBR-1', 'MBR-1/STA-1.pdf', 'MBR-1/manifest.json']);
  });

  it('keeps nothing when the stream completes without verified', async () => {
    const sink = writeStatements(dir);
    const bytes = pdfBytes('never verified');
    const err = left(await all(sink.save$(target('MBR-1', 'STA-1'), events$(chunkEvents([bytes])))));
    expect(err).to.include({ _tag: 'IntegrityError', reason: 'truncated', statementGuid: 'STA-1' });
    expect(await listAll(dir), 'no temp file, and no empty member folder').to.deep.equal([]);
  });

  it('saves of one member that fail together, while others of it start, each end with their own Left: the folder is never removed under another save', async () => {
    const sink = writeStatements(dir, { fsync: false });
    // each download fails after a few ms; a failed save then starts again at once (as a retry does), so folder
    // removals and creations interleave in every order
    const failing = (i: number): Ev[] => [...chunkEvents([pdfBytes(`part ${i}`).subarray(0, 8)]), E.left(networkError)];
    const failLater$ = (i: number) => timer(i % 4).pipe(concatMap(() => events$(failing(i))));
    const saveTwice = async (i: number): Promise<Array<E.Either<MxError | FileSystemError, SavedStatement>>> => [
      ...(await all(sink.save$(target('MBR-1', `STA-${i}`), failLater$(i)))),
      ...(await all(sink.save$(target('MBR-1', `STA-${i}`), failLater$(i + 1)))),
    ];
    for (let round = 0; round < 5; round++) {
      const results = (await Promise.all(Array.from({ length: 24 }, (_, i) => saveTwice(i)))).flat();
      expect(results.map((r) => (E.isLeft(r) ? r.left._tag : 'Right')), `round ${round}`).to.deep.equal(Array(48).fill('NetworkError'));
    }
    await sink.idle();
    expect(await listAll(dir), 'no temp file, and no empty member folder').to.deep.equal([]);
  });

  it('keeps nothing when the written bytes do not match verified or content_hash', async () => {
    const sink = writeStatements(dir);
    const bytes = pdfBytes('real');
    const lying: Ev[] = [...chunkEvents([bytes]), E.right({ kind: 'verified', bytes: bytes.byteLength, sha256: 'ab'.repeat(32) })];
    expect(left(await all(sink.save$(target('MBR-1', 'STA-1'), events$(lying))))).to.include({ _tag: 'IntegrityError', reason: 'hash-mismatch' });
    const short: Ev[] = [...chunkEvents([bytes]), E.right({ kind: 'verified', bytes: 1, sha256: sha256Hex(bytes) })];
    expect(left(await all(sink.save$(target('MBR-1', 'STA-1'), events$(short))))).to.include({ _tag: 'IntegrityError', reason: 'length-mismatch' });
    const t = target('MBR-1', 'STA-1', { content_hash: sha256Hex(pdfBytes('other')) });
    expect(left(await all(sink.save$(t, events$(goodDownload(bytes)))))).to.include({ _tag: 'IntegrityError', reason: 'hash-mismatch' });
    expect(await listAll(dir)).to.deep.equal([]);
  });

  it('accepts content_hash in upper case and with surrounding spaces, as the workflow does', async () => {
    const sink = writeStatements(dir);
    const bytes = pdfBytes('upper');
    const t = target('MBR-1', 'STA-1', { content_hash: ` ${sha256Hex(bytes).toUpperCase()}\n` });
    expect(right(await all(sink.save$(t, events$(goodDownload(bytes))))).sha256).to.equal(sha256Hex(bytes));
  });

  it('deletes the temp file and stops the download on unsubscribe mid-stream', async () => {
    const sink = writeStatements(dir);
    const source = new Subject<Ev>();
    const results: unknown[] = [];
    const sub = sink.save$(target('MBR-1', 'STA-1'), source).subscribe((r) => results.push(r));
    await until('the download to be subscribed', () => source.observed);
    const bytes = pdfBytes('x'.repeat(1000));
    for (const ev of chunkEvents([bytes.subarray(0, 500), bytes.subarray(500)])) source.next(ev);
    await until('a .part file', async () => (await listAll(dir)).some((f) => f.endsWith('.part')));
    expect((await listAll(dir)).filter((f) => f.endsWith('.part'))).to.have.length(1);

    sub.unsubscribe();
    expect(source.observed).to.equal(false);
    await sink.idle();
    expect(await listAll(dir)).to.deep.equal([]);
    expect(results).to.deep.equal([]);
  });

  it('deletes the temp file when unsubscribed before the file is even open', async () => {
    const sink = writeStatements(dir);
    const source = new Subject<Ev>();
    sink.save$(target('MBR-1', 'STA-1'), source).subscribe().unsubscribe();
    await sink.idle();
    expect(source.observed).to.equal(false);
    expect((await listAll(dir)).filter((f) => f.includes('.pdf'))).to.deep.equal([]);
  });

  it('deletes temp files a crashed run left in the member folder once stale, and nothing else', async () => {
    const member = path.join(dir, 'MBR-1');
    await mkdir(member, { recursive: true });
    const stale = '.STA-9.pdf.0123456789ab.part';
    const fresh = '.STA-8.pdf.ba9876543210.part';
    const others = ['.notes.part', 'STA-7.pdf.0123456789ab.part', 'keep.txt'];
    for (const name of [stale, fresh, ...others]) await writeFile(path.join(member, name), 'partial');
    const dayAgo = new Date(Date.now() - 24 * 60 * 60_000);
    for (const name of [stale, ...others]) await utimes(path.join(member, name), dayAgo, dayAgo);
    // a fixed manifest clock (for reproducible saved_at) does not skew the sweep: it goes by the wall clock
    const sink = writeStatements(dir, { now: () => new Date(0) });
    right(await all(sink.save$(target('MBR-1', 'STA-1'), of(...goodDownload(pdfBytes('after a crash'))))));
    expect(await listAll(dir)).to.deep.equal(['MBR-1', `MBR-1/${fresh}`, ...others.map((o) => `MBR-1/${o}`), 'MBR-1/STA-1.pdf', 'MBR-1/manifest.json'].sort());
  });

  it('keeps left-over temp files with staleTempMs: Infinity, and refuses a negative staleTempMs', async () => {
    const member = path.join(dir, 'MBR-1');
    await mkdir(member, { recursive: true });
    const stale = '.STA-9.pdf.0123456789ab.part';
    await writeFile(path.join(member, stale), 'partial');
    await utimes(path.join(member, stale), new Date(0), new Date(0));
    const sink = writeStatements(dir, { staleTempMs: Infinity });
    right(await all(sink.save$(target('MBR-1', 'STA-1'), of(...goodDownload(pdfBytes('kept'))))));
    expect(await listAll(dir)).to.include(`MBR-1/${stale}`);
    expect(() => writeStatements(dir, { staleTempMs: -1 })).to.throw(RangeError, /staleTempMs/);
  });

  it('reports an fs error as FileSystemError with a relative path', async () => {
    const file = path.join(dir, 'not-a-folder');
    await writeFile(file, 'x');
    const sink = writeStatements(file);
    const err = left(await all(sink.save$(target('MBR-1', 'STA-1'), events$(goodDownload(pdfBytes('x'))))));
    expect(err).to.include({ _tag: 'FileSystemError', method: 'WRITE', path: 'MBR-1', code: 'ENOTDIR' });
    expect(err.message).not.to.include(dir);
    expect(await listAll(dir)).to.deep.equal(['not-a-folder']);
  });

  it('passes an error of the download stream on after deleting the temp file', async () => {
    const sink = writeStatements(dir);
    const boom = new Error('bug upstream');
    const download$ = concat(events$(chunkEvents([pdfBytes('x')])), throwError(() => boom));
    let caught: unknown;
    await all(sink.save$(target('MBR-1', 'STA-1'), download$)).catch((e: unknown) => (caught = e));
    expect(caught).to.equal(boom);
    expect(await listAll(dir)).to.deep.equal([]);
  });

  it('keeps every hostile guid inside the output folder', async () => {
    const out = path.join(dir, 'out');
    const sink = writeStatements(out);
    for (const [i, guid] of HOSTILE.entries()) {
      const bytes = pdfBytes(`hostile ${i}`);
      for (const t of [target(guid, `STA-${i}`), target(`MBR-${i}`, guid), target(guid, guid)]) {
        const saved = right(await all(sink.save$(t, events$(goodDownload(bytes)))));
        const rel = path.relative(out, saved.location);
        expect(rel.startsWith('..') || path.isAbsolute(rel), rel).to.equal(false);
        expect(rel.split(path.sep)).to.have.length(2);
        expect(new Uint8Array(await readFile(saved.location))).to.deep.equal(bytes);
      }
    }
    expect(await listAll(dir).then((fs) => fs.filter((f) => !f.startsWith('out/')))).to.deep.equal(['out']);
    for (const f of await listAll(out)) expect(f).to.match(/^[A-Za-z0-9_-]{1,100}(\/([A-Za-z0-9_-]{1,100}\.pdf|manifest\.json))?$/);
  });
});

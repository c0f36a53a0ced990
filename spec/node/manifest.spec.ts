import { expect } from 'chai';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import { lastValueFrom, merge, toArray } from 'rxjs';
import { readManifest } from '../../lib/node/manifest.js';
import { writeStatements } from '../../lib/node/sink.js';
import { all, events$, goodDownload, listAll, makeTempDir, pdfBytes, sha256Hex, target } from './helpers.js';

describe('node/writeStatements manifest', () => {
  let dir = '';
  let cleanup: () => Promise<void> = async () => undefined;
  beforeEach(async () => ({ dir, cleanup } = await makeTempDir()));
  afterEach(() => cleanup());

  it('records member, statement, file, bytes, sha256, content_hash and saved_at', async () => {
    const sink = writeStatements(dir, { now: () => new Date('2024-05-06T07:08:09.000Z') });
    const bytes = pdfBytes('recorded');
    const t = target('MBR-1', 'STA-1', { account_guid: 'ACT-1', content_hash: sha256Hex(bytes).toUpperCase(), created_at: '2024-01-31' });
    await all(sink.save$(t, events$(goodDownload(bytes))));
    const json: unknown = JSON.parse(await readFile(path.join(dir, 'MBR-1', 'manifest.json'), 'utf8'));
    expect(json).to.deep.equal({
      version: 1,
      statements: [{
        member_guid: 'MBR-1', user_guid: 'USR-1', statement_guid: 'STA-1', account_guid: 'ACT-1', file: 'MBR-1/STA-1.pdf',
        bytes: bytes.byteLength, sha256: sha256Hex(bytes), content_hash: sha256Hex(bytes).toUpperCase(),
        created_at: '2024-01-31', saved_at: '2024-05-06T07:08:09.000Z', verified: true,
      }],
    });
  });

  it('replaces the entry of a statement saved again', async () => {
    const sink = writeStatements(dir);
    await all(sink.save$(target('MBR-1', 'STA-1'), events$(goodDownload(pdfBytes('one')))));
    const two = pdfBytes('two');
    await all(sink.save$(target('MBR-1', 'STA-1'), events$(goodDownload(two))));
    const read = await readManifest(path.join(dir, 'MBR-1', 'manifest.json'));
    if (read.kind !== 'ok') throw new Error(read.kind);
    expect(read.manifest.statements.map((e) => e.sha256)).to.deep.equal([sha256Hex(two)]);
  });

  it('loses no entry when 20 saves of one member run at once, through two sinks on the same folder', async () => {
    const a = writeStatements(dir);
    const b = writeStatements(path.join(dir, '.'));
    const saves = Array.from({ length: 20 }, (_, i) =>
      (i % 2 ? a : b).save$(target('MBR-1', `STA-${i}`), events$(goodDownload(pdfBytes(`statement ${i}`), 3))));
    const results = await lastValueFrom(merge(...saves).pipe(toArray()));
    expect(results.filter(E.isRight)).to.have.length(20);
    const read = await readManifest(path.join(dir, 'MBR-1', 'manifest.json'));
    if (read.kind !== 'ok') throw new Error(read.kind);
    expect(read.manifest.statements.map((e) => e.statement_guid).sort())
      .to.deep.equal(Array.from({ length: 20 }, (_, i) => `STA-${i}`).sort());
    expect((await listAll(dir)).filter((f) => f.includes('.part'))).to.deep.equal([]);
  });

  it('keeps the manifest in step with the file when one statement is saved several times at once', async () => {
    const sink = writeStatements(dir);
    const versions = Array.from({ length: 6 }, (_, i) => pdfBytes(`version ${i} `.repeat(i * 500 + 1)));
    await lastValueFrom(merge(...versions.map((v) => sink.save$(target('MBR-1', 'STA-1'), events$(goodDownload(v, 1024))))).pipe(toArray()));
    const onDisk = new Uint8Array(await readFile(path.join(dir, 'MBR-1', 'STA-1.pdf')));
    const read = await readManifest(path.join(dir, 'MBR-1', 'manifest.json'));
    if (read.kind !== 'ok') throw new Error(read.kind);
    expect(read.manifest.statements).to.have.length(1);
    expect(read.manifest.statements[0]?.sha256).to.equal(sha256Hex(onDisk));
    expect((await all(sink.has$(target('MBR-1', 'STA-1'))))[0]).to.deep.equal(
      E.right({ location: path.join(dir, 'MBR-1', 'STA-1.pdf'), bytes: onDisk.byteLength, sha256: sha256Hex(onDisk), unverified: true }));
  });

  it('keeps one manifest per member when many members save at once', async () => {
    const sink = writeStatements(dir);
    const saves = Array.from({ length: 12 }, (_, i) =>
      sink.save$(target(`MBR-${i % 3}`, `STA-${i}`), events$(goodDownload(pdfBytes(`s${i}`)))));
    await lastValueFrom(merge(...saves).pipe(toArray()));
    for (const m of [0, 1, 2]) {
      const read = await readManifest(path.join(dir, `MBR-${m}`, 'manifest.json'));
      if (read.kind !== 'ok') throw new Error(read.kind);
      expect(read.manifest.statements).to.have.length(4);
      expect(read.manifest.statements.every((e) => e.member_guid === `MBR-${m}`)).to.equal(true);
    }
  });

  it('tolerates a corrupt manifest: has$ says not stored, save$ works and moves the old one aside', async () => {
    await mkdir(path.join(dir, 'MBR-1'));
    await writeFile(path.join(dir, 'MBR-1', 'manifest.json'), '{"version": 1, "statements": [ broken');
    const sink = writeStatements(dir);
    expect(await all(sink.has$(target('MBR-1', 'STA-1')))).to.deep.equal([E.right(undefined)]);
    const [saved] = await all(sink.save$(target('MBR-1', 'STA-1'), events$(goodDownload(pdfBytes('fresh')))));
    expect(saved && E.isRight(saved)).to.equal(true);

    const files = await listAll(path.join(dir, 'MBR-1'));
    const aside = files.filter((f) => f.startsWith('manifest.json.corrupt-'));
    expect(aside).to.have.length(1);
    expect(await readFile(path.join(dir, 'MBR-1', aside[0] ?? ''), 'utf8')).to.equal('{"version": 1, "statements": [ broken');
    const read = await readManifest(path.join(dir, 'MBR-1', 'manifest.json'));
    expect(read.kind === 'ok' && read.manifest.statements.length).to.equal(1);
    expect((await all(sink.has$(target('MBR-1', 'STA-1'))))[0]).to.satisfy(E.isRight);
  });

  it('treats a manifest of the wrong shape as corrupt and a missing one as empty', async () => {
    await mkdir(path.join(dir, 'MBR-1'));
    const file = path.join(dir, 'MBR-1', 'manifest.json');
    expect(await readManifest(file)).to.deep.equal({ kind: 'missing' });
    await writeFile(file, JSON.stringify({ version: 1, statements: [{ member_guid: 'MBR-1', bytes: -1 }] }));
    expect(await readManifest(file)).to.deep.equal({ kind: 'corrupt' });
    await writeFile(file, JSON.stringify({ version: 2, statements: [] }));
    expect(await readManifest(file)).to.deep.equal({ kind: 'corrupt' });
  });
});

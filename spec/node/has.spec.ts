import { expect } from 'chai';
import { copyFile, mkdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import type { DownloadTarget } from '../../lib/workflow/sink.js';
import { writeStatements, type FileStatementSink } from '../../lib/node/sink.js';
import { all, events$, goodDownload, makeTempDir, pdfBytes, sha256Hex, target } from './helpers.js';

describe('node/writeStatements has$', () => {
  let dir = '';
  let cleanup: () => Promise<void> = async () => undefined;
  let sink: FileStatementSink;
  const bytes = pdfBytes('a stored statement '.repeat(5000));
  const stored = target('MBR-1', 'STA-1', { content_hash: sha256Hex(bytes) });
  const file = () => path.join(dir, 'MBR-1', 'STA-1.pdf');
  const has = (t: DownloadTarget) => all(sink.has$(t));

  beforeEach(async () => {
    ({ dir, cleanup } = await makeTempDir());
    sink = writeStatements(dir);
    await all(sink.save$(stored, events$(goodDownload(bytes, 4096))));
  });
  afterEach(() => cleanup());

  it('finds a verified stored file', async () => {
    expect(await has(stored)).to.deep.equal([E.right({ location: file(), bytes: bytes.byteLength, sha256: sha256Hex(bytes) })]);
  });

  it('finds it when the statement has no content_hash (it was verified when saved), or one in upper case', async () => {
    expect(await has(target('MBR-1', 'STA-1'))).to.deep.equal(await has(stored));
    const upper = target('MBR-1', 'STA-1', { content_hash: sha256Hex(bytes).toUpperCase() });
    expect(await has(upper)).to.deep.equal(await has(stored));
  });

  it('reports a copy kept without content_hash as unverified while MX sends none, and re-verifies it once MX does', async () => {
    const plain = pdfBytes('kept while MX sent no hash');
    const manifestFile = path.join(dir, 'MBR-1', 'manifest.json');
    const entryOf = async (guid: string) =>
      (JSON.parse(await readFile(manifestFile, 'utf8')) as { statements: Array<{ statement_guid: string; verified?: boolean; content_hash: string | null }> })
        .statements.find((e) => e.statement_guid === guid);
    await all(sink.save$(target('MBR-1', 'STA-2'), events$(goodDownload(plain))));
    const location = path.join(dir, 'MBR-1', 'STA-2.pdf');
    expect(await has(target('MBR-1', 'STA-2'))).to.deep.equal([E.right({ location, bytes: plain.byteLength, sha256: sha256Hex(plain), unverified: true })]);
    expect((await entryOf('STA-2'))?.verified).to.equal(false);
    // a hash that differs: not stored (the workflow downloads it again and replaces it)
    expect(await has(target('MBR-1', 'STA-2', { content_hash: sha256Hex(pdfBytes('forged')) }))).to.deep.equal([E.right(undefined)]);
    expect((await entryOf('STA-2'))?.verified).to.equal(false);
    // the hash of the file: stored, and now recorded as verified
    const hashed = target('MBR-1', 'STA-2', { content_hash: sha256Hex(plain) });
    expect(await has(hashed)).to.deep.equal([E.right({ location, bytes: plain.byteLength, sha256: sha256Hex(plain) })]);
    expect(await entryOf('STA-2')).to.include({ verified: true, content_hash: sha256Hex(plain) });
    expect(await has(target('MBR-1', 'STA-2'))).to.deep.equal([E.right({ location, bytes: plain.byteLength, sha256: sha256Hex(plain) })]);
  });

  it('counts an entry of an earlier version (no verified field) as verified exactly when it recorded a content_hash', async () => {
    const manifestFile = path.join(dir, 'MBR-1', 'manifest.json');
    const json = JSON.parse(await readFile(manifestFile, 'utf8')) as { statements: Array<Record<string, unknown>> };
    for (const e of json.statements) delete e.verified;
    await writeFile(manifestFile, JSON.stringify(json));
    expect(await has(target('MBR-1', 'STA-1'))).to.deep.equal([E.right({ location: file(), bytes: bytes.byteLength, sha256: sha256Hex(bytes) })]);
    for (const e of json.statements) e.content_hash = null;
    await writeFile(manifestFile, JSON.stringify(json));
    expect(await has(target('MBR-1', 'STA-1'))).to.deep.equal([E.right({ location: file(), bytes: bytes.byteLength, sha256: sha256Hex(bytes), unverified: true })]);
  });

  it('says not stored once the file is truncated', async () => {
    await truncate(file(), 100);
    expect(await has(stored)).to.deep.equal([E.right(undefined)]);
  });

  it('says not stored once a byte is altered (same size)', async () => {
    const altered = new Uint8Array(await readFile(file()));
    altered[50_000] = (altered[50_000] ?? 0) ^ 0xff;
    await writeFile(file(), altered);
    expect(await has(stored)).to.deep.equal([E.right(undefined)]);
    expect(await has(target('MBR-1', 'STA-1')), 'without content_hash').to.deep.equal([E.right(undefined)]);
  });

  it('says not stored when the statement content_hash differs', async () => {
    expect(await has(target('MBR-1', 'STA-1', { content_hash: sha256Hex(pdfBytes('new version')) }))).to.deep.equal([E.right(undefined)]);
  });

  it('says not stored for a missing file, an unknown statement or member, and a missing folder', async () => {
    await rm(file());
    expect(await has(stored)).to.deep.equal([E.right(undefined)]);
    expect(await has(target('MBR-1', 'STA-2'))).to.deep.equal([E.right(undefined)]);
    expect(await has(target('MBR-2', 'STA-1'))).to.deep.equal([E.right(undefined)]);
    expect(await all(writeStatements(path.join(dir, 'nowhere')).has$(stored))).to.deep.equal([E.right(undefined)]);
  });

  it('trusts only an entry of the same member that names the expected file', async () => {
    const manifest = await readFile(path.join(dir, 'MBR-1', 'manifest.json'), 'utf8');
    await mkdir(path.join(dir, 'MBR-9'));
    await copyFile(file(), path.join(dir, 'MBR-9', 'STA-1.pdf'));
    await writeFile(path.join(dir, 'MBR-9', 'manifest.json'), manifest);
    expect(await has(target('MBR-9', 'STA-1'))).to.deep.equal([E.right(undefined)]);

    await writeFile(path.join(dir, 'MBR-1', 'manifest.json'), manifest.replace('"MBR-1/STA-1.pdf"', '"../x/STA-1.pdf"'));
    expect(await has(stored)).to.deep.equal([E.right(undefined)]);
  });
});

/**
 * The disk sink shared by real processes: a writer killed with SIGKILL mid-download, and three processes saving
 * into the same member folder at once, again and again.
 */
import { expect } from 'chai';
import { readdir, stat, utimes } from 'node:fs/promises';
import * as path from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import { readManifest } from '../../lib/node/manifest.js';
import { writeStatements } from '../../lib/node/sink.js';
import { startChild, stopAll, type Child } from './child-process.js';
import { all, events$, goodDownload, listAll, makeTempDir, pdfBytes, sha256Hex, target } from './helpers.js';

describe('node/writeStatements across processes', function () {
  this.timeout(90_000);
  let dir = '';
  let cleanup: () => Promise<void> = async () => undefined;
  beforeEach(async () => ({ dir, cleanup } = await makeTempDir()));
  afterEach(async () => {
    await stopAll();
    await cleanup();
  });

  const stalledTemp = async (child: Child): Promise<string> => {
    child.send(`stall ${dir}`);
    const line = await child.line(/^(writing|failed) /);
    expect(line).to.match(/^writing /);
    return line.slice('writing '.length);
  };

  it('a writer killed with SIGKILL leaves a temp file that the next run removes at once (no age wait); a live writer’s stays', async () => {
    const [killed, alive] = [await startChild(), await startChild()];
    const deadTemp = await stalledTemp(killed);
    const liveTemp = await stalledTemp(alive);
    await killed.kill('SIGKILL');
    const memberDir = path.join(dir, 'MBR-1');
    expect((await readdir(memberDir)).sort()).to.deep.equal([deadTemp, liveTemp].sort());
    // both files are fresh: only who wrote them tells them apart
    for (const name of [deadTemp, liveTemp]) expect(Date.now() - (await stat(path.join(memberDir, name))).mtimeMs).to.be.below(60_000);

    // the next run only looks up a statement in that folder (a re-run where everything is saved already)
    const sink = writeStatements(dir, { fsync: false });
    expect(await all(sink.has$(target('MBR-1', 'STA-1')))).to.deep.equal([E.right(undefined)]);
    expect(await readdir(memberDir), 'the killed writer’s temp file is gone, the live one’s is not').to.deep.equal([liveTemp]);

    await alive.kill('SIGKILL');
    const bytes = pdfBytes('saved after the crashes');
    await all(writeStatements(dir, { fsync: false }).save$(target('MBR-1', 'STA-1', { content_hash: sha256Hex(bytes) }), events$(goodDownload(bytes))));
    expect(await listAll(dir), 'a successful run leaves no temp file').to.deep.equal(['MBR-1', 'MBR-1/STA-1.pdf', 'MBR-1/manifest.json']);
  });

  it('a killed writer’s temp file is removed even when it is old and staleTempMs is Infinity; the folder goes when nothing else is in it', async () => {
    const killed = await startChild();
    const deadTemp = await stalledTemp(killed);
    await killed.kill('SIGKILL');
    const memberDir = path.join(dir, 'MBR-1');
    await utimes(path.join(memberDir, deadTemp), new Date(0), new Date(0));
    const sink = writeStatements(dir, { staleTempMs: Infinity });
    expect(await all(sink.has$(target('MBR-1', 'STA-1')))).to.deep.equal([E.right(undefined)]);
    expect(await listAll(dir), 'no temp file, no empty member folder').to.deep.equal([]);
  });

  it('three processes saving into one member folder at once never lose a manifest entry (10 trials × 3 × 12 saves)', async () => {
    const children = [await startChild(), await startChild(), await startChild()];
    const perChild = 12;
    for (let trial = 0; trial < 10; trial++) {
      const out = path.join(dir, `trial-${trial}`);
      children.forEach((c, i) => c.send(`save ${out} MBR-1 ${i * perChild} ${perChild}`));
      const lines = await Promise.all(children.map((c) => c.line(/^(saved|failed) /)));
      expect(lines, `trial ${trial}`).to.deep.equal(children.map(() => `saved ${perChild}`));
      const read = await readManifest(path.join(out, 'MBR-1', 'manifest.json'));
      expect(read.kind, `trial ${trial}`).to.equal('ok');
      const guids = read.kind === 'ok' ? read.manifest.statements.map((e) => e.statement_guid).sort() : [];
      expect(guids, `trial ${trial}: manifest entries`).to.deep.equal(Array.from({ length: 3 * perChild }, (_, i) => `STA-${i}`).sort());
      const files = await listAll(out);
      expect(files.filter((f) => f.endsWith('.pdf'))).to.have.length(3 * perChild);
      expect(files.filter((f) => f.includes('.part') || f.includes('.lock')), `trial ${trial}: temp and lock files`).to.deep.equal([]);
    }
  });
});

import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdir, readdir, utimes, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import { withLock } from '../../lib/node/manifest-lock.js';
import { readManifest } from '../../lib/node/manifest.js';
import { writeStatements } from '../../lib/node/sink.js';
import { ownIdentity } from '../../lib/node/writer-identity.js';
import { until, within } from '../helpers/bounded.js';
import { all, events$, goodDownload, makeTempDir, pdfBytes, sha256Hex, target } from './helpers.js';

/** The pid of a process that has exited (a pid nobody holds right now, very likely). */
const deadPid = (): number => spawnSync(process.execPath, ['-e', '']).pid!;

describe('node/manifest lock', function () {
  this.timeout(30_000);
  let dir = '';
  let cleanup: () => Promise<void> = async () => undefined;
  beforeEach(async () => ({ dir, cleanup } = await makeTempDir()));
  afterEach(() => cleanup());

  const save = (n: number) => {
    const bytes = pdfBytes(`locked ${n}`);
    return all(writeStatements(dir, { fsync: false }).save$(target('MBR-1', `STA-${n}`, { content_hash: sha256Hex(bytes) }), events$(goodDownload(bytes))));
  };

  it('takes over at once a lock left by a process that is gone, and releases it', async () => {
    await mkdir(path.join(dir, 'MBR-1'), { recursive: true });
    const me = ownIdentity();
    await writeFile(path.join(dir, 'MBR-1', 'manifest.json.lock'), `${me.host}-${deadPid()}-12345-0badc0de`);
    const [r] = await within(save(1), 5_000, 'a save behind a dead lock');
    expect(r && E.isRight(r)).to.equal(true);
    expect(await readdir(path.join(dir, 'MBR-1'))).to.deep.equal(['STA-1.pdf', 'manifest.json']);
  });

  it('waits for a live lock, and takes over one from another host only once it is old', async () => {
    await mkdir(path.join(dir, 'MBR-1'), { recursive: true });
    const lock = path.join(dir, 'MBR-1', 'manifest.json.lock');
    // held by this process (alive): the save waits for the release
    let released = false;
    let release: () => void = () => undefined;
    const held = withLock(lock, () => new Promise<void>((resolve) => (release = resolve)));
    const saving = save(2).then((r) => ({ r, afterRelease: released }));
    // the save has its temp file: it is past the download, at the lock (or about to be)
    await until('a .part file', async () => (await readdir(path.join(dir, 'MBR-1'))).some((n) => n.endsWith('.part')));
    released = true;
    release();
    await held;
    const { r, afterRelease } = await within(saving, 5_000, 'the save after the release');
    expect(afterRelease, 'the save finished only after the lock was released').to.equal(true);
    expect(r[0] && E.isRight(r[0])).to.equal(true);
    // a lock from another host: stale once older than 10 s
    await writeFile(lock, '00000000-42-42-00000000');
    await utimes(lock, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
    expect(E.isRight((await within(save(3), 5_000, 'a save behind an old foreign lock'))[0]!)).to.equal(true);
    const read = await readManifest(path.join(dir, 'MBR-1', 'manifest.json'));
    expect(read.kind === 'ok' && read.manifest.statements.map((e) => e.statement_guid)).to.deep.equal(['STA-2', 'STA-3']);
    expect((await readdir(path.join(dir, 'MBR-1'))).filter((n) => n.includes('lock'))).to.deep.equal([]);
  });

  it('gives up with ELOCKED after its bound when a live lock is never released', async () => {
    const lock = path.join(dir, 'held.lock');
    let release: () => void = () => undefined;
    const held = withLock(lock, () => new Promise<void>((resolve) => (release = resolve)));
    let failure: unknown;
    await withLock(lock, async () => undefined, 200).catch((e: unknown) => (failure = e));
    release();
    await held;
    expect(failure).to.have.property('code', 'ELOCKED');
  });
});

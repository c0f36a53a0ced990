import { mkdtemp, mkdir, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { expect } from 'chai';
import * as E from 'fp-ts/lib/Either.js';
import { checkOutDir, NODE_OUT_DIR_FS, removeIfEmpty, sweepTempFilesSync, type OutDirFs } from '../../lib/cli/out-dir.js';
import { tempPathFor } from '../../lib/node/layout.js';

const errno = (code: string) => Object.assign(new Error(`${code}: simulated`), { code });

describe('cli: out-dir', () => {
  let tmp: string;
  beforeEach(async () => {
    tmp = await mkdtemp(path.join(tmpdir(), 'mx-cli-out-'));
  });
  afterEach(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it('creates missing levels one at a time, probes with a file it deletes, and says what it created', async () => {
    const r = await checkOutDir('a/b/c', tmp);
    if (E.isLeft(r)) throw new Error(r.left.message);
    expect(r.right).to.deep.equal({ path: path.join(tmp, 'a/b/c'), created: [path.join(tmp, 'a'), path.join(tmp, 'a/b'), path.join(tmp, 'a/b/c')] });
    expect(await readdir(path.join(tmp, 'a/b/c'))).to.deep.equal([]);
    const again = await checkOutDir('a/b/c', tmp);
    expect(E.isRight(again) && again.right.created).to.deep.equal([]);
    await removeIfEmpty(r.right.created);
    expect(await readdir(tmp)).to.deep.equal([]);
  });

  it('keeps created folders that are no longer empty', async () => {
    const r = await checkOutDir('x/y', tmp);
    if (E.isLeft(r)) throw new Error(r.left.message);
    await writeFile(path.join(tmp, 'x/keep.txt'), 'k');
    await removeIfEmpty(r.right.created);
    expect(await readdir(path.join(tmp, 'x'))).to.deep.equal(['keep.txt']);
  });

  it('names the flag, the folder and the real cause: a file in the way, a file given as the folder', async () => {
    await writeFile(path.join(tmp, 'file'), 'x');
    const asFolder = await checkOutDir('file', tmp);
    expect(E.isLeft(asFolder) && asFolder.left).to.deep.include({ _tag: 'FileSystemError', message: '--out file: is a file, not a folder', code: 'ENOTDIR' });
    const below = await checkOutDir('file/sub', tmp);
    expect(E.isLeft(below) && below.left.message).to.equal('--out file/sub: cannot be created: a part of the path is a file, not a folder (ENOTDIR)');
  });

  it('returns at once under /proc, where a recursive mkdir would spin forever, with the real cause', async () => {
    const r = await checkOutDir('/proc/mx-statements-nope/out', tmp);
    expect(E.isLeft(r) && r.left.message).to.match(/^--out \/proc\/mx-statements-nope\/out: cannot create \/proc\/mx-statements-nope: .*\((ENOENT|EACCES|EPERM|EROFS)\)$/);
  });

  it('reports EROFS as EROFS (not ENOENT), and EACCES on the probe, removing what it created', async () => {
    const erofs: OutDirFs = { ...NODE_OUT_DIR_FS, mkdir: async () => Promise.reject(errno('EROFS')) };
    const r = await checkOutDir('ro/out', tmp, '--out', erofs);
    expect(E.isLeft(r) && r.left).to.deep.include({ code: 'EROFS', message: '--out ro/out: cannot create ro: read-only file system (EROFS)' });
    const denied: OutDirFs = { ...NODE_OUT_DIR_FS, open: async () => Promise.reject(errno('EACCES')) };
    const p = await checkOutDir('fresh/out', tmp, '--out', denied);
    expect(E.isLeft(p) && p.left.message).to.equal('--out fresh/out: cannot write a file in it: permission denied (EACCES)');
    expect(await readdir(tmp)).to.deep.equal([]);
  });

  it("sweeps this process's temporary download files on a forced exit, never another writer's, a PDF or an older temp file", async () => {
    const member = path.join(tmp, 'MBR-1');
    await mkdir(member);
    const fresh = path.join(member, '.STA-1.pdf.0123456789ab.part');
    const old = path.join(member, '.STA-2.pdf.0123456789ac.part');
    await writeFile(fresh, 'half');
    await writeFile(old, 'half');
    await writeFile(path.join(member, 'STA-3.pdf'), '%PDF-');
    const own = tempPathFor(path.join(member, 'STA-4.pdf'));
    const others = path.join(member, `.STA-5.pdf.${path.basename(own).split('.').at(-2)?.replace(/^([0-9a-f]+)-(\d+)-/, (_m, host: string, pid: string) => `${host}-${Number(pid) + 1}-`)}.part`);
    await writeFile(own, 'half');
    await writeFile(others, 'half');
    const started = Date.now();
    await utimes(old, new Date(started - 60_000), new Date(started - 60_000));
    await utimes(fresh, new Date(started + 10), new Date(started + 10));
    expect(sweepTempFilesSync(tmp, started)).to.equal(2);
    expect((await readdir(member)).sort()).to.deep.equal(['.STA-2.pdf.0123456789ac.part', path.basename(others), 'STA-3.pdf'].sort());
    expect(sweepTempFilesSync(path.join(tmp, 'absent'), started)).to.equal(0);
    expect((await stat(member)).isDirectory()).to.equal(true);
  });
});

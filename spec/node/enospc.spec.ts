/**
 * A full disk (ENOSPC injected into node:fs/promises writes of chosen files) must cost only the file it hit:
 * every earlier statement keeps its file and its manifest record, and the failed one leaves nothing behind.
 */
import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import * as path from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import { lastValueFrom, merge, toArray } from 'rxjs';
import { readManifest } from '../../lib/node/manifest.js';
import { writeStatements } from '../../lib/node/sink.js';
import { all, events$, goodDownload, listAll, makeTempDir, pdfBytes, sha256Hex, target } from './helpers.js';

type FsPromises = typeof import('node:fs/promises');
const fsp = createRequire(import.meta.url)('fs/promises') as FsPromises & Record<string, unknown>;

/**
 * Makes every write to a file opened under a name matching `hits` fail with ENOSPC (the file is created, as on a
 * full disk), until the returned function restores node:fs/promises.
 */
const injectEnospc = (hits: (file: string) => boolean): (() => void) => {
  const original = fsp.open;
  const enospc = () => Promise.reject(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28 }));
  fsp.open = (async (file: Parameters<FsPromises['open']>[0], ...rest: unknown[]) => {
    const fh = await (original as (...a: unknown[]) => ReturnType<FsPromises['open']>)(file, ...rest);
    if (!hits(String(file))) return fh;
    return new Proxy(fh, {
      get: (t, prop, receiver) => (prop === 'write' || prop === 'writeFile' ? enospc : Reflect.get(t, prop, receiver)),
    });
  }) as FsPromises['open'];
  syncBuiltinESMExports();
  return () => {
    fsp.open = original;
    syncBuiltinESMExports();
  };
};

describe('node/writeStatements on a full disk (injected ENOSPC)', () => {
  let dir = '';
  let cleanup: () => Promise<void> = async () => undefined;
  let restore: () => void = () => undefined;
  beforeEach(async () => ({ dir, cleanup } = await makeTempDir()));
  afterEach(async () => {
    restore();
    await cleanup();
  });

  const stmt = (n: number) => {
    const bytes = pdfBytes(`statement ${n} `.repeat(200));
    return { bytes, t: target('MBR-1', `STA-${n}`, { content_hash: sha256Hex(bytes) }) };
  };
  const entries = async () => {
    const read = await readManifest(path.join(dir, 'MBR-1', 'manifest.json'));
    return read.kind === 'ok' ? read.manifest.statements.map((e) => e.statement_guid).sort() : [read.kind];
  };

  for (const [name, hits] of [
    ['the next PDF', (f: string) => f.includes('.STA-2.pdf.')],
    ['the manifest update of the next PDF', (f: string) => f.includes('.manifest.json.')],
  ] as const) {
    it(`ENOSPC on ${name}: the earlier statements keep their files and records, the failed one leaves no temp file`, async () => {
      const sink = writeStatements(dir, { fsync: false });
      for (const n of [0, 1]) {
        const { bytes, t } = stmt(n);
        expect(E.isRight((await all(sink.save$(t, events$(goodDownload(bytes)))))[0]!)).to.equal(true);
      }
      const before = await readFile(path.join(dir, 'MBR-1', 'manifest.json'), 'utf8');
      restore = injectEnospc(hits);
      const { bytes, t } = stmt(2);
      const [r] = await all(sink.save$(t, events$(goodDownload(bytes))));
      restore();
      expect(r && E.isLeft(r) && r.left).to.deep.include({ _tag: 'FileSystemError', code: 'ENOSPC' });
      expect(await entries()).to.deep.equal(['STA-0', 'STA-1']);
      expect(await readFile(path.join(dir, 'MBR-1', 'manifest.json'), 'utf8')).to.equal(before);
      const files = await listAll(dir);
      expect(files, 'nothing of the failed statement is left').to.deep.equal(['MBR-1', 'MBR-1/STA-0.pdf', 'MBR-1/STA-1.pdf', 'MBR-1/manifest.json']);
      for (const n of [0, 1]) expect(sha256Hex(await readFile(path.join(dir, 'MBR-1', `STA-${n}.pdf`)))).to.equal(sha256Hex(stmt(n).bytes));
      // and once there is room again, the failed statement is saved and recorded beside them
      expect(E.isRight((await all(sink.save$(t, events$(goodDownload(bytes)))))[0]!)).to.equal(true);
      expect(await entries()).to.deep.equal(['STA-0', 'STA-1', 'STA-2']);
    });
  }

  it('ENOSPC on one of several saves running at once costs that one only', async () => {
    const sink = writeStatements(dir, { fsync: false });
    restore = injectEnospc((f) => f.includes('.STA-3.pdf.'));
    const results = await lastValueFrom(merge(...[0, 1, 2, 3, 4, 5].map((n) => sink.save$(stmt(n).t, events$(goodDownload(stmt(n).bytes, 512))))).pipe(toArray()));
    restore();
    expect(results.filter(E.isLeft).map((l) => l.left.path)).to.deep.equal(['MBR-1/STA-3.pdf']);
    expect(await entries()).to.deep.equal(['STA-0', 'STA-1', 'STA-2', 'STA-4', 'STA-5']);
    expect((await listAll(dir)).filter((f) => f.includes('.part') || f.includes('.lock'))).to.deep.equal([]);
  });
});

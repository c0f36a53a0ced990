import { expect } from 'chai';
import { createHash } from 'node:crypto';
import {
  clearStatementCatalogCache,
  statementCatalog,
  type StatementCatalogOptions,
  type StatementSource,
} from '../../../lib/sandbox/statements/index.js';
import { addDays } from '../../../lib/sandbox/statements/periods.js';
import { INSTALL_TIMEOUT_MS, PDFTOTEXT, QPDF, pdfToText, qpdfCheck, requireTool } from '../pdf/tools.js';
import { checkPdfStructure, readChunks } from './helpers.js';

const MiB = 1024 * 1024;
const opts: StatementCatalogOptions = {
  seed: 42, userGuid: 'USR-catalog', memberGuid: 'MBR-catalog', institutionName: 'MX Bank', count: 6,
};
const bytesOf = async (s: StatementSource): Promise<Buffer> => Buffer.concat(await readChunks(s.open()));
const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

describe('sandbox/statements statementCatalog', () => {
  afterEach(() => clearStatementCatalogCache());

  it('lists count statements with MX-shaped guids and a createdAt on the day after the period', async () => {
    const list = await statementCatalog(opts);
    expect(list).to.have.length(6);
    expect(new Set(list.map((s) => s.accountGuid)).size).to.equal(2);
    for (const s of list) {
      expect(s.guid).to.match(/^STA-[0-9a-f]{32}$/);
      expect(s.accountGuid).to.match(/^ACT-[0-9a-f]{32}$/);
      expect(s.accountName).to.match(/^MX Bank /);
      expect(s.periodStart < s.periodEnd && s.periodEnd < '2026-11-01').to.equal(true);
      expect(s.createdAt).to.equal(`${addDays(s.periodEnd, 1)}T06:00:00+00:00`);
      expect(s.contentHash).to.match(/^[0-9a-f]{64}$/);
    }
  });

  it('serves bytes that match byteLength and contentHash, start with %PDF- and end with %%EOF', async () => {
    for (const s of await statementCatalog(opts)) {
      const pdf = await bytesOf(s);
      expect(pdf.length).to.equal(s.byteLength);
      expect(sha256(pdf)).to.equal(s.contentHash);
      expect(pdf.subarray(0, 5).toString('latin1')).to.equal('%PDF-');
      expect(pdf.subarray(-7).toString('latin1')).to.match(/%%EOF\r?\n?$/);
    }
  });

  it('gives the same guids, hashes and bytes for the same (seed, member), even after re-rendering', async () => {
    const a = await statementCatalog(opts);
    const aBytes = await Promise.all(a.map(bytesOf));
    clearStatementCatalogCache();
    const b = await statementCatalog({ ...opts, userGuid: 'USR-ignored' });
    expect(b).not.to.equal(a); // a fresh render, not the cached list
    expect(b.map((s) => [s.guid, s.contentHash, s.byteLength])).to.deep.equal(a.map((s) => [s.guid, s.contentHash, s.byteLength]));
    const bBytes = await Promise.all(b.map(bytesOf));
    bBytes.forEach((bytes, i) => expect(bytes.equals(aBytes[i]!)).to.equal(true));
  });

  it('gives different guids and hashes to a different member', async () => {
    const a = await statementCatalog(opts);
    const b = await statementCatalog({ ...opts, memberGuid: 'MBR-someone-else' });
    const aGuids = new Set(a.flatMap((s) => [s.guid, s.accountGuid, s.contentHash]));
    expect(b.flatMap((s) => [s.guid, s.accountGuid, s.contentHash]).filter((x) => aGuids.has(x))).to.deep.equal([]);
  });

  it('opens a fresh, complete stream on every call, also concurrently', async () => {
    const [s] = await statementCatalog(opts);
    const [x, y] = await Promise.all([bytesOf(s!), bytesOf(s!)]);
    expect(x.length).to.equal(s!.byteLength);
    expect(x.equals(y)).to.equal(true);
    x.fill(0); // a consumer scribbling on its chunks must not corrupt the cache
    expect(sha256(await bytesOf(s!))).to.equal(s!.contentHash);
  });

  it('caches per option set: a repeated listing returns the same list without re-rendering', async () => {
    const first = statementCatalog(opts);
    expect(statementCatalog({ ...opts })).to.equal(first);
    expect(statementCatalog({ ...opts, seed: '42' })).to.equal(first); // the seed is stringified
    expect(statementCatalog({ ...opts, count: 4 })).not.to.equal(first);
    expect((await first).length).to.equal(6);
  });

  it('rejects invalid options with a RangeError', async () => {
    for (const bad of [{ count: -1 }, { count: 2.5 }, { largePdfBytes: 0 }, { referenceDate: '2026-13-01' }]) {
      const error = await statementCatalog({ ...opts, ...bad }).then(() => undefined, (e: unknown) => e);
      expect(error, JSON.stringify(bad)).to.be.instanceOf(RangeError);
    }
  });

  it('returns an empty list for count 0', async () => {
    expect(await statementCatalog({ ...opts, count: 0 })).to.deep.equal([]);
  });

  describe('large PDFs (largePdfBytes)', () => {
    it('streams exactly byteLength bytes in many chunks of at most 1 MiB, matching contentHash', async () => {
      const list = await statementCatalog({ ...opts, count: 2, largePdfBytes: 12 * MiB });
      for (const s of list) {
        expect(s.byteLength).to.equal(12 * MiB);
        const hash = createHash('sha256');
        let total = 0;
        let chunks = 0;
        for await (const chunk of s.open()) {
          const b = chunk as Buffer;
          expect(b.length).to.be.at.most(MiB);
          hash.update(b);
          total += b.length;
          chunks += 1;
        }
        expect(total).to.equal(s.byteLength);
        expect(hash.digest('hex')).to.equal(s.contentHash);
        expect(chunks).to.be.at.least(12);
      }
    });

    it('keeps the guids and the small PDF as the first bytes, so only the padding differs', async () => {
      const small = await statementCatalog({ ...opts, count: 2 });
      const large = await statementCatalog({ ...opts, count: 2, largePdfBytes: 2 * MiB });
      expect(large.map((s) => s.guid)).to.deep.equal(small.map((s) => s.guid));
      const smallPdf = await bytesOf(small[0]!);
      const largePdf = await bytesOf(large[0]!);
      expect(largePdf.subarray(0, smallPdf.length).equals(smallPdf)).to.equal(true);
      expect(large[0]!.contentHash).not.to.equal(small[0]!.contentHash);
    });

    it('is a valid PDF at 3 MB (the structural check, qpdf --check and pdftotext)', async function () {
      this.timeout(2 * INSTALL_TIMEOUT_MS + 20_000);
      requireTool(QPDF);
      requireTool(PDFTOTEXT);
      const [s] = await statementCatalog({ ...opts, count: 1, largePdfBytes: 3_000_000 });
      const pdf = await bytesOf(s!);
      expect(pdf.length).to.equal(3_000_000);
      expect(checkPdfStructure(pdf).sections).to.equal(2);
      const check = qpdfCheck(pdf);
      expect(check.status, check.stderr).to.equal(0);
      expect(check.stdout).to.include('No syntax or stream encoding errors');
      const text = pdfToText(pdf, []);
      expect(text.status, text.stderr).to.equal(0);
      expect(text.stdout).to.include('MX Bank');
      expect(text.stdout).to.include('Closing balance');
    });
  });
});

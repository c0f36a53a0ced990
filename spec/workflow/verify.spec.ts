import { expect } from 'chai';
import * as E from 'fp-ts/lib/Either.js';
import { lastValueFrom, map, of, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { createSha256, sha256Hex } from '../../lib/core/sha256.js';
import { isMxError, type MxError } from '../../lib/core/errors.js';
import type { ByteChunk } from '../../lib/http/transport.js';
import { createMemorySink } from '../../lib/workflow/memory-sink.js';
import { verifyPdf$ } from '../../lib/workflow/verify.js';

const PDF = new TextEncoder().encode('%PDF-1.7\n1 0 obj << >> endobj\ntrailer\n%%EOF\n');
const ref = { method: 'GET', path: '/users/U/members/M/statements/STA-1.pdf' };
/** The statement of PDF, with its content_hash. */
const STA = { guid: 'STA-1', content_hash: sha256Hex(PDF) };

/** Splits bytes into chunks at the given offsets, with running counts. */
const chunked = (bytes: Uint8Array, cuts: number[], contentLength: number | undefined = bytes.byteLength) => {
  const out: Array<E.Either<MxError, ByteChunk>> = [];
  let at = 0;
  for (const end of [...cuts, bytes.byteLength]) {
    const piece = bytes.subarray(at, end);
    at = end;
    out.push(E.right({ bytes: piece, received: at, contentLength }));
  }
  return out;
};

const kinds = (events: Array<E.Either<MxError, unknown>>) =>
  events.map((e) => (E.isLeft(e) ? `L:${(e.left as { reason?: string }).reason ?? e.left._tag}` : (e.right as { kind: string }).kind));

describe('workflow/verify: verifyPdf$', () => {
  it('passes chunks and ends with verified (bytes, sha256) when signature, length and content_hash agree', async () => {
    const hash = sha256Hex(PDF).toUpperCase(); // content_hash compared case-insensitively
    const out = await lastValueFrom(verifyPdf$(of(...chunked(PDF, [2, 3, 20])), { guid: 'STA-1', content_hash: hash }, createSha256, ref).pipe(toArray()));
    expect(kinds(out)).to.deep.equal(['chunk', 'chunk', 'chunk', 'chunk', 'verified']);
    expect(out[4]).to.deep.equal(E.right({ kind: 'verified', bytes: PDF.byteLength, sha256: sha256Hex(PDF) }));
    const firsts = out.slice(0, 4).map((e) => (E.isRight(e) && e.right.kind === 'chunk' ? e.right.received : -1));
    expect(firsts).to.deep.equal([2, 3, 20, PDF.byteLength]);
  });

  it('rejects a body without %PDF- before passing any chunk on', async () => {
    const html = new TextEncoder().encode('<html>error</html>');
    const out = await lastValueFrom(verifyPdf$(of(...chunked(html, [3])), STA, createSha256, ref).pipe(toArray()));
    expect(kinds(out)).to.deep.equal(['L:not-pdf']);
    expect(E.isLeft(out[0]!) && out[0].left).to.deep.include({ _tag: 'IntegrityError', statementGuid: 'STA-1', expected: '%PDF-', actual: '<html' });
  });

  it('rejects a hash mismatch: no verified, ever', async () => {
    const out = await lastValueFrom(verifyPdf$(of(...chunked(PDF, [10])), { guid: 'STA-1', content_hash: 'ab'.repeat(32) }, createSha256, ref).pipe(toArray()));
    expect(kinds(out)).to.deep.equal(['chunk', 'chunk', 'L:hash-mismatch']);
  });

  it('rejects a body shorter than its Content-Length, and an empty body', async () => {
    const short = await lastValueFrom(verifyPdf$(of(...chunked(PDF.subarray(0, 30), [10], PDF.byteLength)), STA, createSha256, ref).pipe(toArray()));
    expect(kinds(short)).to.deep.equal(['chunk', 'chunk', 'L:truncated']);
    const empty = await lastValueFrom(verifyPdf$(of(), STA, createSha256, ref).pipe(toArray()));
    expect(kinds(empty)).to.deep.equal(['L:not-pdf']);
  });

  it('passes a transport Left on, with the statement guid, and cancels the download (marbles)', () => {
    const ts = new TestScheduler((a, b) => { expect(a).to.deep.equal(b); });
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const truncated: MxError = { _tag: 'IntegrityError', method: 'GET', path: ref.path, reason: 'truncated', message: 'broke off' };
      const src = cold('-a-b 5ms c', { a: chunked(PDF, [10])[0]!, b: E.left(truncated), c: chunked(PDF, [10])[1]! });
      const out = verifyPdf$(src, STA, createSha256, ref).pipe(map((e) => (E.isLeft(e) ? e.left : e.right.kind)));
      expectObservable(out).toBe('-a-(b|)', { a: 'chunk', b: { ...truncated, statementGuid: 'STA-1' } });
      expectSubscriptions(src.subscriptions).toBe('^--!');
    });
  });
});

describe('workflow/memory-sink', () => {
  it('keeps a statement only after verified, and reports it on has$', async () => {
    const sink = createMemorySink();
    const target = { member: { userGuid: 'U', memberGuid: 'M' }, statement: { guid: 'STA-1' } };
    const good = verifyPdf$(of(...chunked(PDF, [7])), STA, createSha256, ref);
    const saved = await lastValueFrom(sink.save$(target, good));
    expect(saved).to.deep.equal(E.right({ location: 'memory:M/STA-1', bytes: PDF.byteLength, sha256: sha256Hex(PDF) }));
    expect(sink.get('M', 'STA-1')?.data).to.deep.equal(PDF);
    expect(await lastValueFrom(sink.has$(target))).to.deep.equal(saved);

    const other = { ...target, statement: { guid: 'STA-2' } };
    const bad = verifyPdf$(of(...chunked(PDF, [7])), { guid: 'STA-2', content_hash: '00'.repeat(32) }, createSha256, ref);
    const refused = await lastValueFrom(sink.save$(other, bad));
    expect(E.isLeft(refused) && refused.left._tag).to.equal('IntegrityError');
    expect(await lastValueFrom(sink.has$(other))).to.deep.equal(E.right(undefined));
    expect(sink.size).to.equal(PDF.byteLength);
  });

  it('refuses to grow past maxBytes with SinkFull (an MxError, isomorphic) and frees the partial bytes', async () => {
    const sink = createMemorySink({ maxBytes: 20 });
    const target = { member: { userGuid: 'U', memberGuid: 'M' }, statement: { guid: 'STA-1' } };
    const r = await lastValueFrom(sink.save$(target, verifyPdf$(of(...chunked(PDF, [10])), STA, createSha256, ref)));
    // The first 10 bytes fit; the rest of the PDF, in one chunk, does not.
    const rest = PDF.byteLength - 10;
    expect(E.isLeft(r) && r.left).to.deep.equal({
      _tag: 'SinkFull', method: 'WRITE', path: 'memory:M/STA-1', statementGuid: 'STA-1', maxBytes: 20, neededBytes: rest,
      message: `the memory sink is full (20 bytes; ${rest} more needed)`,
    });
    expect(E.isLeft(r) && isMxError(r.left)).to.equal(true);
    expect(sink.size).to.equal(0);
    expect(sink.list()).to.have.length(0);
  });
});

describe('workflow/verify: a stalled body', () => {
  it('a Timeout after part of the announced bytes is reported as a truncated PDF', async () => {
    const timeout: MxError = { _tag: 'Timeout', method: 'GET', path: ref.path, timeoutMs: 300, message: 'no chunk within 300 ms' };
    const src = of(chunked(PDF.subarray(0, 20), [], PDF.byteLength)[0]!, E.left(timeout));
    const out = await lastValueFrom(verifyPdf$(src, STA, createSha256, ref).pipe(toArray()));
    expect(kinds(out)).to.deep.equal(['chunk', 'L:truncated']);
    expect(E.isLeft(out[1]!) && out[1].left).to.deep.include({ expected: PDF.byteLength, actual: 20, statementGuid: 'STA-1' });
  });
});

describe('workflow/verify: a statement without a usable content_hash', () => {
  for (const [name, contentHash] of [['missing', undefined], ['null', null], ['empty', ''], ['blank', '  '], ['not a SHA-256', 'md5:abc'], ['63 hex digits', 'a'.repeat(63)]] as const) {
    it(`(${name}) is refused at once by default — IntegrityError unverified, nothing requested, nothing passed on`, () => {
      const ts = new TestScheduler((a, b) => { expect(a).to.deep.equal(b); });
      ts.run(({ cold, expectObservable, expectSubscriptions }) => {
        const src = cold('-a|', { a: chunked(PDF, [])[0]! });
        const statement = { guid: 'STA-1', ...(contentHash === undefined ? {} : { content_hash: contentHash }) };
        const out = verifyPdf$(src, statement, createSha256, ref).pipe(map((e) => (E.isLeft(e) ? `${e.left._tag}:${(e.left as { reason?: string }).reason}` : e.right.kind)));
        expectObservable(out).toBe('(a|)', { a: 'IntegrityError:unverified' });
        expectSubscriptions(src.subscriptions).toBe([]);
      });
    });
  }

  it('names what MX sent, safely, in the refusal', async () => {
    const [r] = await lastValueFrom(verifyPdf$(of(), { guid: 'STA-1', content_hash: '\u001b]0;owned\u0007' }, createSha256, ref).pipe(toArray()));
    expect(r && E.isLeft(r) && r.left).to.deep.include({ _tag: 'IntegrityError', reason: 'unverified', statementGuid: 'STA-1', actual: '".]0;owned."' });
    expect(r && E.isLeft(r) && r.left.message).to.match(/requireContentHash: false/);
  });

  it('with requireContentHash: false is checked for %PDF- and length, and ends with verified marked unverified', async () => {
    const out = await lastValueFrom(verifyPdf$(of(...chunked(PDF, [9])), { guid: 'STA-1', content_hash: null }, createSha256, ref, { requireContentHash: false }).pipe(toArray()));
    expect(out.at(-1)).to.deep.equal(E.right({ kind: 'verified', bytes: PDF.byteLength, sha256: sha256Hex(PDF), unverified: true }));
    const forged = new TextEncoder().encode('<html>not a statement</html>');
    const refused = await lastValueFrom(verifyPdf$(of(...chunked(forged, [])), { guid: 'STA-1' }, createSha256, ref, { requireContentHash: false }).pipe(toArray()));
    expect(kinds(refused)).to.deep.equal(['L:not-pdf']);
  });
});

describe('workflow/verify: bounds (virtual time)', () => {
  const tagOf = (e: E.Either<MxError, unknown>) =>
    (E.isLeft(e) ? `${e.left._tag}${e.left._tag === 'DownloadLimitExceeded' ? `:${e.left.limit}` : ''}` : (e.right as { kind: string }).kind);

  it('an announced Content-Length above maxPdfBytes fails on the first chunk and cancels the download', () => {
    const ts = new TestScheduler((a, b) => { expect(a).to.deep.equal(b); });
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const huge: E.Either<MxError, ByteChunk> = E.right({ bytes: PDF.subarray(0, 10), received: 10, contentLength: 10 * 1024 ** 3 });
      const src = cold('-a 9ms b', { a: huge, b: huge });
      const out = verifyPdf$(src, STA, createSha256, ref, { maxPdfBytes: 1024, scheduler: ts }).pipe(map(tagOf));
      expectObservable(out).toBe('-(a|)', { a: 'DownloadLimitExceeded:size' });
      expectSubscriptions(src.subscriptions).toBe('^!');
    });
  });

  it('a body with no Content-Length that grows past maxPdfBytes (decoded bytes count) fails there, before the next chunk is passed on', async () => {
    const endless = Array.from({ length: 50 }, (_, i) => E.right({ bytes: i === 0 ? PDF : new Uint8Array(100), received: 0, contentLength: undefined }) as E.Either<MxError, ByteChunk>);
    const out = await lastValueFrom(verifyPdf$(of(...endless), STA, createSha256, ref, { maxPdfBytes: 1000 }).pipe(toArray()));
    const last = out.at(-1)!;
    expect(tagOf(last)).to.equal('DownloadLimitExceeded:size');
    expect(E.isLeft(last) && last.left).to.deep.include({ maxBytes: 1000, statementGuid: 'STA-1' });
    const passed = out.filter(E.isRight).reduce((n, e) => n + (e.right.kind === 'chunk' ? e.right.bytes.byteLength : 0), 0);
    expect(passed).to.be.at.most(1000);
  });

  it('a trickle of one byte every 5 s ends after the first throughput window, though every chunk comes within any idle timeout', () => {
    const ts = new TestScheduler((a, b) => { expect(a).to.deep.equal(b); });
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const one = (i: number): E.Either<MxError, ByteChunk> => E.right({ bytes: PDF.subarray(i, i + 1), received: i + 1, contentLength: PDF.byteLength });
      // byte i of the PDF at i × 5 s
      const letters = 'abcdefghij';
      const src = cold([...letters].join(' 4999ms '), Object.fromEntries([...letters].map((l, i) => [l, one(i)])));
      const out = verifyPdf$(src, STA, createSha256, ref, { minBytesPerSecond: 1024, throughputWindowMs: 30_000, scheduler: ts }).pipe(map(tagOf));
      // the first five bytes are held until %PDF- is proven (20 s), one more passes at 25 s and one at 30 s, when the
      // window (from the first byte) has brought 7 bytes where 30 720 were needed
      expectObservable(out).toBe('20000ms (abcde) 4993ms f 4999ms (gh|)', {
        a: 'chunk', b: 'chunk', c: 'chunk', d: 'chunk', e: 'chunk', f: 'chunk', g: 'chunk', h: 'DownloadLimitExceeded:throughput',
      });
      expectSubscriptions(src.subscriptions).toBe('^ 29999ms !');
    });
  });

  it('a download that keeps the minimum pace but never ends stops at maxDownloadMs', () => {
    const ts = new TestScheduler((a, b) => { expect(a).to.deep.equal(b); });
    ts.run(({ cold, expectObservable }) => {
      const kb: E.Either<MxError, ByteChunk> = E.right({ bytes: new Uint8Array(2048).fill(0x25), received: 0, contentLength: undefined });
      const src = cold('a 999ms b 999ms c 999ms d 999ms e 999ms f', { a: E.right({ bytes: PDF, received: PDF.byteLength, contentLength: undefined }), b: kb, c: kb, d: kb, e: kb, f: kb });
      const out = verifyPdf$(src, STA, createSha256, ref, { minBytesPerSecond: 1, throughputWindowMs: 1000, maxDownloadMs: 3500, scheduler: ts }).pipe(map(tagOf));
      expectObservable(out).toBe('a 999ms b 999ms c 999ms d 499ms (e|)', { a: 'chunk', b: 'chunk', c: 'chunk', d: 'chunk', e: 'DownloadLimitExceeded:duration' });
    });
  });

  it('the time bounds start at the first byte: a PDF that waited 45 s for its answer (limiter backlog, a 429’s Retry-After) is not slow', () => {
    const ts = new TestScheduler((a, b) => { expect(a).to.deep.equal(b); });
    ts.run(({ cold, expectObservable }) => {
      const [a, b] = chunked(PDF, [10]) as [E.Either<MxError, ByteChunk>, E.Either<MxError, ByteChunk>];
      const src = cold('45000ms a 999ms (b|)', { a, b });
      // defaults: 1024 bytes/s over 30 s; and a 10-s maxDownloadMs that the wait alone would have used up
      const out = verifyPdf$(src, STA, createSha256, ref, { maxDownloadMs: 10_000, scheduler: ts }).pipe(map(tagOf));
      expectObservable(out).toBe('45000ms a 999ms (bc|)', { a: 'chunk', b: 'chunk', c: 'verified' });
    });
  });

  it('…and from the first byte on they count as before: a trickle after a late first byte fails one window later', () => {
    const ts = new TestScheduler((a, b) => { expect(a).to.deep.equal(b); });
    ts.run(({ cold, expectObservable }) => {
      const [a, b] = chunked(PDF, [10]) as [E.Either<MxError, ByteChunk>, E.Either<MxError, ByteChunk>];
      const src = cold('45000ms a 59999ms b', { a, b });
      const out = verifyPdf$(src, STA, createSha256, ref, { minBytesPerSecond: 1, throughputWindowMs: 30_000, scheduler: ts }).pipe(map(tagOf));
      expectObservable(out).toBe('45000ms a 29999ms (b|)', { a: 'chunk', b: 'DownloadLimitExceeded:throughput' });
    });
  });

  it('refuses bounds that can never work', () => {
    expect(() => verifyPdf$(of(), STA, createSha256, ref, { maxPdfBytes: 0 }).subscribe({ error: () => undefined })).to.not.throw();
    let caught: unknown;
    verifyPdf$(of(), STA, createSha256, ref, { minBytesPerSecond: -1 }).subscribe({ error: (e: unknown) => (caught = e) });
    expect(caught).to.be.instanceOf(RangeError);
  });
});

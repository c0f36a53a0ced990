import { expect } from 'chai';
import * as E from 'fp-ts/lib/Either.js';
import { lastValueFrom, map, of, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { createSha256, sha256Hex } from '../../lib/core/sha256.js';
import type { MxError } from '../../lib/core/errors.js';
import type { ByteChunk } from '../../lib/http/transport.js';
import { createMemorySink } from '../../lib/workflow/memory-sink.js';
import { verifyPdf$ } from '../../lib/workflow/verify.js';

const PDF = new TextEncoder().encode('%PDF-1.7\n1 0 obj << >> endobj\ntrailer\n%%EOF\n');
const ref = { method: 'GET', path: '/users/U/members/M/statements/STA-1.pdf' };

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
    const out = await lastValueFrom(verifyPdf$(of(...chunked(html, [3])), { guid: 'STA-1' }, createSha256, ref).pipe(toArray()));
    expect(kinds(out)).to.deep.equal(['L:not-pdf']);
    expect(E.isLeft(out[0]!) && out[0].left).to.deep.include({ _tag: 'IntegrityError', statementGuid: 'STA-1', expected: '%PDF-', actual: '<html' });
  });

  it('rejects a hash mismatch: no verified, ever', async () => {
    const out = await lastValueFrom(verifyPdf$(of(...chunked(PDF, [10])), { guid: 'STA-1', content_hash: 'ab'.repeat(32) }, createSha256, ref).pipe(toArray()));
    expect(kinds(out)).to.deep.equal(['chunk', 'chunk', 'L:hash-mismatch']);
  });

  it('rejects a body shorter than its Content-Length, and an empty body', async () => {
    const short = await lastValueFrom(verifyPdf$(of(...chunked(PDF.subarray(0, 30), [10], PDF.byteLength)), { guid: 'STA-1' }, createSha256, ref).pipe(toArray()));
    expect(kinds(short)).to.deep.equal(['chunk', 'chunk', 'L:truncated']);
    const empty = await lastValueFrom(verifyPdf$(of(), { guid: 'STA-1' }, createSha256, ref).pipe(toArray()));
    expect(kinds(empty)).to.deep.equal(['L:not-pdf']);
  });

  it('passes a transport Left on, with the statement guid, and cancels the download (marbles)', () => {
    const ts = new TestScheduler((a, b) => { expect(a).to.deep.equal(b); });
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const truncated: MxError = { _tag: 'IntegrityError', method: 'GET', path: ref.path, reason: 'truncated', message: 'broke off' };
      const src = cold('-a-b 5ms c', { a: chunked(PDF, [10])[0]!, b: E.left(truncated), c: chunked(PDF, [10])[1]! });
      const out = verifyPdf$(src, { guid: 'STA-1' }, createSha256, ref).pipe(map((e) => (E.isLeft(e) ? e.left : e.right.kind)));
      expectObservable(out).toBe('-a-(b|)', { a: 'chunk', b: { ...truncated, statementGuid: 'STA-1' } });
      expectSubscriptions(src.subscriptions).toBe('^--!');
    });
  });
});

describe('workflow/memory-sink', () => {
  it('keeps a statement only after verified, and reports it on has$', async () => {
    const sink = createMemorySink();
    const target = { member: { userGuid: 'U', memberGuid: 'M' }, statement: { guid: 'STA-1' } };
    const good = verifyPdf$(of(...chunked(PDF, [7])), { guid: 'STA-1' }, createSha256, ref);
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

  it('refuses to grow past maxBytes (ENOSPC) and frees the partial bytes', async () => {
    const sink = createMemorySink({ maxBytes: 20 });
    const target = { member: { userGuid: 'U', memberGuid: 'M' }, statement: { guid: 'STA-1' } };
    const r = await lastValueFrom(sink.save$(target, verifyPdf$(of(...chunked(PDF, [10])), { guid: 'STA-1' }, createSha256, ref)));
    expect(E.isLeft(r) && r.left).to.deep.include({ _tag: 'FileSystemError', code: 'ENOSPC' });
    expect(sink.size).to.equal(0);
    expect(sink.list()).to.have.length(0);
  });
});

describe('workflow/verify: a stalled body', () => {
  it('a Timeout after part of the announced bytes is reported as a truncated PDF', async () => {
    const timeout: MxError = { _tag: 'Timeout', method: 'GET', path: ref.path, timeoutMs: 300, message: 'no chunk within 300 ms' };
    const src = of(chunked(PDF.subarray(0, 20), [], PDF.byteLength)[0]!, E.left(timeout));
    const out = await lastValueFrom(verifyPdf$(src, { guid: 'STA-1' }, createSha256, ref).pipe(toArray()));
    expect(kinds(out)).to.deep.equal(['chunk', 'L:truncated']);
    expect(E.isLeft(out[1]!) && out[1].left).to.deep.include({ expected: PDF.byteLength, actual: 20, statementGuid: 'STA-1' });
  });
});

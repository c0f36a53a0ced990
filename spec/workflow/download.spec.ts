import { expect } from 'chai';
import * as E from 'fp-ts/lib/Either.js';
import { lastValueFrom, map, of, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { StatementRef } from '../../lib/api/refs.js';
import type { Statement } from '../../lib/codecs/index.js';
import { sha256Hex, createSha256 } from '../../lib/core/sha256.js';
import type { MxError } from '../../lib/core/errors.js';
import type { ByteChunk } from '../../lib/http/transport.js';
import { fetchStatements$ } from '../../lib/workflow/fetch-statements.js';
import { createMemorySink } from '../../lib/workflow/memory-sink.js';
import { verifyPdf$ } from '../../lib/workflow/verify.js';
import { isTransientFailure } from '../../lib/workflow/batch-outcome.js';
import { createMxClient } from '../../lib/api/client.js';
import { fakeFetch } from '../helpers/fake-fetch.js';
import { runVirtual, virtualScheduler } from '../helpers/virtual-time.js';
import { fakeClient, httpError, L, R, sequence } from '../helpers/fake-client.js';
import { ACCEPTED, DONE, POLICY, REF } from './fixtures.js';

const pdf = (n: number) => new TextEncoder().encode(`%PDF-1.7 statement ${n}\n%%EOF\n`);
const chunk = (b: Uint8Array): E.Either<MxError, ByteChunk> => E.right({ bytes: b, received: b.byteLength, contentLength: b.byteLength });
const stmt = (n: number, hash = sha256Hex(pdf(n))): Statement => ({ guid: `STA-${n}`, member_guid: 'MBR-1', content_hash: hash });

describe('workflow/download (fake client)', () => {
  it('skips what the sink holds (hash still current), re-downloads a statement whose content_hash changed', async () => {
    const sink = createMemorySink();
    // already stored: STA-1 (same bytes) and STA-2 (older bytes)
    for (const [n, bytes] of [[1, pdf(1)], [2, pdf(99)]] as const) {
      const statement = { guid: `STA-${n}`, content_hash: sha256Hex(bytes) };
      await lastValueFrom(sink.save$({ member: REF, statement }, verifyPdf$(of(chunk(bytes)), statement, createSha256, { method: 'GET', path: '/x' })));
    }
    const pdfCalls: string[] = [];
    const { client } = fakeClient({
      members: { status$: () => of(R(DONE)) },
      statements: {
        fetch$: () => of(R(ACCEPTED)),
        all$: () => of(R(stmt(1)), R(stmt(2)), R(stmt(3))),
        pdf$: (ref: StatementRef) => {
          pdfCalls.push(ref.statementGuid);
          return of(chunk(pdf(Number(ref.statementGuid.slice(4)))));
        },
      },
    } as never);
    const events = await lastValueFrom(fetchStatements$(client, { member: REF, polling: { ...POLICY, firstDelayMs: 0 }, download: { sink } }).pipe(toArray()));
    const kinds = events.map((e) => (E.isRight(e) ? `${e.right.type}${'statementGuid' in e.right ? `:${e.right.statementGuid}` : ''}` : e.left._tag));
    expect(kinds.filter((k) => k.startsWith('statement-downloaded') || k.startsWith('statement-skipped')).sort()).to.deep.equal([
      'statement-downloaded:STA-2', 'statement-downloaded:STA-3', 'statement-skipped:STA-1',
    ]);
    expect(pdfCalls.sort()).to.deep.equal(['STA-2', 'STA-3']);
    expect(sha256Hex(sink.get('MBR-1', 'STA-2')!.data)).to.equal(sha256Hex(pdf(2)));
    const done = events.at(-1);
    expect(done && E.isRight(done) && done.right.type === 'done' && done.right.summary).to.deep.include({ statements: 3, downloaded: 2, skipped: 1 });
  });

  it('retries a download that failed verification, then ends the run with the IntegrityError (nothing stored)', () => {
    const ts = new TestScheduler((a, b) => { expect(a).to.deep.equal(b); });
    ts.run(({ cold, expectObservable }) => {
      const sink = createMemorySink();
      const bad = () => cold('-(a|)', { a: chunk(pdf(7)) }); // bytes of another statement: hash mismatch
      const { client, calls } = fakeClient({
        members: { status$: () => cold('(a|)', { a: R(DONE) }) },
        statements: {
          fetch$: () => cold('(m|)', { m: R(ACCEPTED) }),
          all$: () => cold('(s|)', { s: R(stmt(1)) }),
          pdf$: sequence(bad(), bad(), bad()),
        },
      }, { scheduler: ts });
      const out = fetchStatements$(client, { member: REF, polling: { ...POLICY, firstDelayMs: 0 }, scheduler: ts, random: () => 1, download: { sink, retries: 2 } })
        .pipe(map((e) => (E.isRight(e) ? e.right.type : `${e.left._tag}:${(e.left as { reason?: string }).reason}`)));
      // pdf at 0 → fails at 1; retry after 5 (→ 6, fails 7); retry after 10 (→ 17, fails 18)
      expectObservable(out).toBe('(abcd) 12ms (e|)', {
        a: 'statements-job-started', b: 'status', c: 'connected', d: 'statement-listed', e: 'IntegrityError:hash-mismatch',
      });
      ts.flush();
      expect(calls.filter((c) => c.name === 'statements.pdf$')).to.have.length(3);
      expect(sink.list()).to.have.length(0);
    });
  });

  describe('a statement without a usable content_hash', () => {
    const run = async (statements: ReadonlyArray<Statement>, bodies: Readonly<Record<string, Uint8Array>>, sink: ReturnType<typeof createMemorySink>, requireContentHash?: boolean) => {
      const pdfCalls: string[] = [];
      const { client } = fakeClient({
        members: { status$: () => of(R(DONE)) },
        statements: {
          fetch$: () => of(R({ guid: 'MBR-1' })),
          all$: () => of(...statements.map((st) => R(st))),
          pdf$: (ref: StatementRef) => {
            pdfCalls.push(ref.statementGuid);
            return of(chunk(bodies[ref.statementGuid]!));
          },
        },
      } as never);
      const events = await lastValueFrom(fetchStatements$(client, {
        member: REF, polling: { ...POLICY, firstDelayMs: 0 }, download: { sink, ...(requireContentHash === undefined ? {} : { requireContentHash }) },
      }).pipe(toArray()));
      return { events, pdfCalls, rights: events.filter(E.isRight).map((e) => e.right), left: events.find(E.isLeft)?.left };
    };
    const forged = new TextEncoder().encode('%PDF-1.7 forged by whoever sits in between\n%%EOF\n');

    for (const contentHash of [undefined, null, '', '  ']) {
      it(`(${JSON.stringify(contentHash)}) is refused by default: IntegrityError unverified, never requested, never stored or reported`, async () => {
        const sink = createMemorySink();
        const st: Statement = { guid: 'STA-1', member_guid: 'MBR-1', ...(contentHash === undefined ? {} : { content_hash: contentHash }) };
        const { left, pdfCalls, rights } = await run([st], { 'STA-1': forged }, sink);
        expect(left).to.deep.include({ _tag: 'IntegrityError', reason: 'unverified', statementGuid: 'STA-1' });
        expect(pdfCalls).to.deep.equal([]);
        expect(sink.list()).to.deep.equal([]);
        expect(rights.some((e) => e.type === 'statement-downloaded' || e.type === 'statement-skipped')).to.equal(false);
      });
    }

    it('is never taken as "already saved" by default, even when the sink holds a copy', async () => {
      const sink = createMemorySink();
      const st: Statement = { guid: 'STA-1', member_guid: 'MBR-1', content_hash: null };
      await run([st], { 'STA-1': forged }, sink, false);
      expect(sink.list()).to.have.length(1);
      const { left, rights } = await run([st], { 'STA-1': forged }, sink);
      expect(left).to.deep.include({ _tag: 'IntegrityError', reason: 'unverified' });
      expect(rights.some((e) => e.type === 'statement-skipped')).to.equal(false);
    });

    it('with requireContentHash: false is kept and reported unverified; a later run with a hash re-verifies it (replaced when it differs)', async () => {
      const sink = createMemorySink();
      const genuine = pdf(1);
      const first = await run([{ guid: 'STA-1', content_hash: null }, { guid: 'STA-2' }], { 'STA-1': forged, 'STA-2': genuine }, sink, false);
      expect(first.left).to.equal(undefined);
      const downloaded = first.rights.filter((e) => e.type === 'statement-downloaded');
      expect(downloaded.map((e) => 'unverified' in e && e.unverified)).to.deep.equal([true, true]);
      // again without a hash: already saved, still marked unverified
      const again = await run([{ guid: 'STA-1', content_hash: null }], { 'STA-1': forged }, sink, false);
      expect(again.rights.find((e) => e.type === 'statement-skipped')).to.include({ statementGuid: 'STA-1', unverified: true });
      // MX now sends the hashes of the genuine documents: STA-1 (forged) is downloaded again and replaced, STA-2 is verified as it is
      const verified = await run([stmt(1), { guid: 'STA-2', content_hash: sha256Hex(genuine) }].map((s, i) => ({ ...s, guid: `STA-${i + 1}` })),
        { 'STA-1': pdf(1), 'STA-2': genuine }, sink);
      expect(verified.left).to.equal(undefined);
      expect(verified.pdfCalls).to.deep.equal(['STA-1']);
      expect(verified.rights.find((e) => e.type === 'statement-downloaded')).to.deep.include({ statementGuid: 'STA-1', sha256: sha256Hex(pdf(1)) });
      expect(verified.rights.find((e) => e.type === 'statement-downloaded')).to.not.have.property('unverified');
      expect(verified.rights.find((e) => e.type === 'statement-skipped')).to.deep.include({ statementGuid: 'STA-2' }).and.not.have.property('unverified');
      expect(sha256Hex(sink.get('MBR-1', 'STA-1')!.data)).to.equal(sha256Hex(pdf(1)));
      expect(sink.get('MBR-1', 'STA-2')).to.not.have.property('unverified');
    });
  });

  it('a Retry-After beyond the client’s maxRetryAfterMs on POST fetch_statements is not slept', () => {
    const ts = new TestScheduler((a, b) => { expect(a).to.deep.equal(b); });
    ts.run(({ cold, expectObservable }) => {
      const limited = { ...httpError('RateLimited', 429, '/x', 'POST'), retryAfterMs: 7_200_000 } as MxError;
      const { client } = fakeClient({
        members: { status$: () => cold('(a|)', { a: R(DONE) }) },
        statements: { fetch$: () => cold('-(e|)', { e: L(limited) }) },
      }, { scheduler: ts });
      expectObservable(fetchStatements$(client, { member: REF, scheduler: ts })).toBe('-(a|)', { a: L(limited) });
    });
  });

  describe('the time bounds of a download (review 1)', () => {
    it('a PDF answered 429 with Retry-After: 32 downloads under the default bounds: the wait is not the download’s', async () => {
      const scheduler = virtualScheduler();
      const bytes = pdf(1);
      const fake = fakeFetch([
        { status: 429, headers: { 'retry-after': '32' } },
        { status: 200, body: bytes, headers: { 'content-type': 'application/vnd.mx.api.v1+pdf', 'content-length': String(bytes.byteLength) } },
      ], () => scheduler.now());
      const client = createMxClient({ baseUrl: 'https://mx.example.test', clientId: 'id', apiKey: 'key', scheduler, random: () => 1, fetch: fake.fetch });
      const { values, times } = await runVirtual(scheduler, verifyPdf$(client.statements.pdf$({ ...REF, statementGuid: 'STA-1' }), stmt(1), createSha256, { method: 'GET', path: '/x.pdf' }, { scheduler }));
      const last = values.at(-1);
      expect(last && E.isRight(last) && last.right).to.deep.include({ kind: 'verified', bytes: bytes.byteLength });
      expect(fake.calls.map((c) => c.at)).to.deep.equal([0, 32_000]);
      expect(times.at(-1)).to.equal(32_000);
    });

    it('a download that broke a time bound is retried (it may pass next time), and a batch counts it transient; a size cap is final', () => {
      const ts = new TestScheduler((a, b) => { expect(a).to.deep.equal(b); });
      ts.run(({ cold }) => {
        const sink = createMemorySink();
        const bytes = pdf(1);
        const head = E.right({ bytes: bytes.subarray(0, 6), received: 6, contentLength: bytes.byteLength }) as E.Either<MxError, ByteChunk>;
        const trickle = cold('a 59999ms -', { a: head }); // 6 bytes, then nothing: under 1024 bytes/s over 30 s
        const { client, calls } = fakeClient({
          members: { status$: () => cold('(a|)', { a: R(DONE) }) },
          statements: { fetch$: () => cold('(m|)', { m: R(ACCEPTED) }), all$: () => cold('(s|)', { s: R(stmt(1)) }), pdf$: sequence(trickle, cold('-(a|)', { a: chunk(bytes) })) },
        }, { scheduler: ts });
        const seen: string[] = [];
        fetchStatements$(client, { member: REF, polling: { ...POLICY, firstDelayMs: 0 }, scheduler: ts, download: { sink } })
          .subscribe((e) => seen.push(E.isRight(e) ? e.right.type : e.left._tag));
        ts.flush();
        expect(calls.filter((c) => c.name === 'statements.pdf$')).to.have.length(2);
        expect(seen).to.include('statement-downloaded');
        expect(seen.at(-1)).to.equal('done');
      });
      const limit = (kind: 'throughput' | 'duration' | 'size'): MxError =>
        ({ _tag: 'DownloadLimitExceeded', method: 'GET', path: '/x.pdf', limit: kind, receivedBytes: 6, elapsedMs: 30_000, message: '' }) as MxError;
      expect(isTransientFailure(limit('throughput'))).to.equal(true);
      expect(isTransientFailure(limit('duration'))).to.equal(true);
      expect(isTransientFailure(limit('size'))).to.equal(false);
    });
  });
});

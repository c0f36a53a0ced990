/**
 * The member run's prefetch step (what a batch gives a run): the statements MX lists while the job runs are
 * downloaded ahead and reported once, the download phase leaves them alone unless MX changed them, a failure only
 * leaves the work to the download phase, and a bug is never swallowed.
 */
import { expect } from 'chai';
import * as E from 'fp-ts/lib/Either.js';
import { of, timer, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { StatementRef } from '../../lib/api/refs.js';
import type { Statement } from '../../lib/codecs/index.js';
import type { MxError } from '../../lib/core/errors.js';
import { sha256Hex } from '../../lib/core/sha256.js';
import type { ByteChunk } from '../../lib/http/transport.js';
import type { StatementEvent } from '../../lib/workflow/events.js';
import { fetchStatementsWithPrefetch$ } from '../../lib/workflow/fetch-statements.js';
import { resolveContext, type FetchStatementsInput } from '../../lib/workflow/input.js';
import { createMemorySink } from '../../lib/workflow/memory-sink.js';
import type { StatementSink } from '../../lib/workflow/sink.js';
import { fakeClient, httpError, L, R, sequence } from '../helpers/fake-client.js';
import { ACCEPTED_RUNNING, DONE, POLICY, REF, WORKING } from './fixtures.js';

const pdf = (text: string) => new TextEncoder().encode(`%PDF-1.7 ${text}\n%%EOF\n`);
const chunk = (b: Uint8Array): E.Either<MxError, ByteChunk> => E.right({ bytes: b, received: b.byteLength, contentLength: b.byteLength });
const stmt = (n: number, text = `statement ${n}`): Statement => ({ guid: `STA-${n}`, member_guid: 'MBR-1', content_hash: sha256Hex(pdf(text)) });

type Ev = E.Either<MxError, StatementEvent>;

const label = (e: Ev): string => {
  if (E.isLeft(e)) return `Left:${e.left._tag}`;
  const ev = e.right;
  return 'statementGuid' in ev ? `${ev.type}:${ev.statementGuid}` : ev.type;
};

describe('workflow/member run: downloading ahead while the statements job runs (prefetch)', () => {
  let ts: TestScheduler;
  beforeEach(() => {
    ts = new TestScheduler((a, b) => { expect(a).to.deep.equal(b); });
  });

  /**
   * A job that runs until the 4th status poll (~80 frames); MX lists `during` while it runs and `after` once it
   * ended. `pdfText` says what each PDF holds (by guid); `failOnce` PDFs fail (404) on their first request.
   */
  const run = (options: {
    during: Statement[];
    after: Statement[];
    pdfText?: (guid: string) => string;
    failOnce?: string[];
    prefetchSink?: StatementSink;
  }) => {
    const sink = createMemorySink();
    const pdfCalls: string[] = [];
    const failed = new Set<string>();
    const events: Ev[] = [];
    let error: unknown;
    ts.run(({ cold }) => {
      // one page: one Either per statement, in one frame
      const listing = (ss: Statement[]) => {
        const keys = ss.map((_, i) => String.fromCharCode(97 + i));
        return cold(`-(${keys.join('')}|)`, Object.fromEntries(ss.map((st, i) => [keys[i], R(st)])));
      };
      const { client } = fakeClient({
        members: { status$: sequence(...[WORKING, WORKING, WORKING, DONE].map((s) => cold('-(a|)', { a: R(s) }))) },
        statements: {
          fetch$: () => cold('-(m|)', { m: R(ACCEPTED_RUNNING) }),
          all$: sequence(listing(options.during), listing(options.after)),
          pdf$: (ref: StatementRef) => {
            pdfCalls.push(ref.statementGuid);
            if (options.failOnce?.includes(ref.statementGuid) && !failed.has(ref.statementGuid)) {
              failed.add(ref.statementGuid);
              return cold('-(a|)', { a: L(httpError('NotFound', 404, `/${ref.statementGuid}.pdf`)) });
            }
            const text = options.pdfText?.(ref.statementGuid) ?? `statement ${ref.statementGuid.slice(4)}`;
            return cold('--(a|)', { a: chunk(pdf(text)) });
          },
        },
      } as never, { scheduler: ts });
      const input: FetchStatementsInput = { member: REF, polling: POLICY, scheduler: ts, random: () => 1, download: { sink, retries: 0 } };
      const prefetchInput: FetchStatementsInput = options.prefetchSink ? { ...input, download: { sink: options.prefetchSink, retries: 0 } } : input;
      const prefetch = { start$: timer(5, ts), ctx: resolveContext(client, prefetchInput) };
      fetchStatementsWithPrefetch$(client, input, prefetch).subscribe({ next: (e) => events.push(e), error: (e: unknown) => { error = e; } });
    });
    return { events, labels: events.map(label), pdfCalls, sink, error };
  };

  it('reports what it saved while the job ran once, as downloaded; the download phase fetches only what is new', () => {
    const r = run({ during: [stmt(1), stmt(2)], after: [stmt(1), stmt(2), stmt(3)] });
    expect(r.pdfCalls).to.deep.equal(['STA-1', 'STA-2', 'STA-3']);
    const connected = r.labels.indexOf('connected');
    expect(r.labels.slice(0, connected)).to.include.members(['statement-downloaded:STA-1', 'statement-downloaded:STA-2']);
    expect(r.labels.slice(connected)).to.deep.equal([
      'connected', 'statement-listed', 'statement-listed', 'statement-listed', 'statement-downloaded:STA-3', 'done',
    ]);
    const done = r.events.at(-1);
    expect(done && E.isRight(done) && done.right.type === 'done' && done.right.summary).to.deep.include({ statements: 3, downloaded: 3, skipped: 0 });
    for (const n of [1, 2, 3]) expect(r.sink.get('MBR-1', `STA-${n}`)).to.not.equal(undefined);
  });

  it('downloads again a statement MX changed after it was saved ahead (its content_hash moved)', () => {
    let second = false;
    const r = run({
      during: [stmt(1)],
      after: [stmt(1, 'statement 1, corrected')],
      pdfText: () => {
        const text = second ? 'statement 1, corrected' : 'statement 1';
        second = true;
        return text;
      },
    });
    expect(r.pdfCalls).to.deep.equal(['STA-1', 'STA-1']);
    expect(r.labels.filter((l) => l === 'statement-downloaded:STA-1')).to.have.length(2);
    expect(sha256Hex(r.sink.get('MBR-1', 'STA-1')!.data)).to.equal(sha256Hex(pdf('statement 1, corrected')));
  });

  it('leaves a statement whose download failed ahead to the download phase, and goes on with the next', () => {
    const r = run({ during: [stmt(1), stmt(2)], after: [stmt(1), stmt(2)], failOnce: ['STA-1'] });
    expect(r.error).to.equal(undefined);
    expect(r.pdfCalls).to.deep.equal(['STA-1', 'STA-2', 'STA-1']);
    expect(r.labels.filter((l) => l.startsWith('statement-downloaded'))).to.deep.equal(['statement-downloaded:STA-2', 'statement-downloaded:STA-1']);
    expect(r.labels.at(-1)).to.equal('done');
  });

  it('never swallows a bug: one thrown in the prefetch reaches the error channel', () => {
    const buggy: StatementSink = {
      has$: (): Observable<never> => {
        throw new Error('a bug in the sink');
      },
      save$: () => of(E.right({ location: '', bytes: 0, sha256: '' })),
    };
    const r = run({ during: [stmt(1)], after: [stmt(1)], prefetchSink: buggy });
    expect(String(r.error)).to.match(/a bug in the sink/);
  });
});

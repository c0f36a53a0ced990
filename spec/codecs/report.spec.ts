import { expect } from 'chai';
import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { MAX_REPORT_LINES, previewValue, reportErrors, summarizeErrors } from '../../lib/codecs/report.js';

const errorsOf = (codec: t.Decoder<unknown, unknown>, value: unknown): t.Errors => {
  const r = codec.decode(value);
  if (E.isRight(r)) return expect.fail('expected a Left');
  return r.left;
};

describe('codecs/report', () => {
  it('joins keys with "." and array indexes with [i], skipping union/intersection branches', () => {
    const codec = t.type({ a: t.array(t.intersection([t.type({ b: t.string }), t.partial({ c: t.union([t.number, t.null]) })])) });
    expect(reportErrors(errorsOf(codec, { a: [{ b: 'x' }, { b: 1, c: 'y' }] }))).to.deep.equal([
      'a[1].b: expected string, got 1',
      'a[1].c: expected number | null, got "y"',
    ]);
  });

  it('quotes keys that are not identifiers', () => {
    expect(reportErrors(errorsOf(t.type({ 'content-type': t.string }), {}))).to.deep.equal([
      '["content-type"]: expected string, got undefined',
    ]);
  });

  it('uses the custom message of a failure when there is one', () => {
    const even = new t.Type<number, number, unknown>('Even', (u): u is number => typeof u === 'number' && u % 2 === 0,
      (u, c) => (typeof u === 'number' && u % 2 === 0 ? t.success(u) : t.failure(u, c, 'must be even')), (a) => a);
    expect(reportErrors(errorsOf(t.type({ n: even }), { n: 3 }))).to.deep.equal(['n: must be even']);
  });

  it(`caps the lines at ${MAX_REPORT_LINES} and counts them all`, () => {
    const errors = errorsOf(t.array(t.string), Array.from({ length: 25 }, (_, i) => i));
    const s = summarizeErrors(errors);
    expect(s.count).to.equal(25);
    expect(s.lines).to.have.length(MAX_REPORT_LINES);
    expect(s.lines[MAX_REPORT_LINES - 1]).to.equal('… and 6 more problems');
    expect(summarizeErrors([])).to.deep.equal({ count: 0, lines: [] });
  });

  it('previewValue renders JSON-like text, cut to 60 characters, and never throws', () => {
    expect(previewValue({ a: [1, 'x', null, true] })).to.equal('{"a":[1,"x",null,true]}');
    expect(previewValue(undefined)).to.equal('undefined');
    expect(previewValue(10n)).to.equal('10n');
    expect(previewValue(() => 1)).to.equal('[function]');
    expect(previewValue('z'.repeat(100))).to.have.length(60);
    expect(previewValue(Array.from({ length: 1_000_000 }, () => 1))).to.have.length.at.most(60);
    const cyclic: Record<string, unknown> = {};
    cyclic.me = cyclic;
    expect(previewValue(cyclic)).to.equal('{"me":[circular]}');
    expect(previewValue(Object.create(null))).to.equal('{}');
    const hostile = new Proxy({}, { ownKeys: () => { throw new Error('no'); } });
    expect(previewValue(hostile)).to.equal('[unprintable]');
  });
});

import { expect } from 'chai';
import * as t from 'io-ts';
import { nullable } from '../../lib/codecs/nullable.js';
import { knownGuard, openStringEnum } from '../../lib/codecs/open-enum.js';

describe('codecs/open-enum and nullable', () => {
  const Color = openStringEnum('Color', ['RED', 'GREEN'] as const);

  it('openStringEnum decodes any string, rejects the rest, and encodes as is', () => {
    expect(Color.decode('BLUE')).to.deep.equal({ _tag: 'Right', right: 'BLUE' });
    expect(Color.decode(1)._tag).to.equal('Left');
    expect(Color.encode('RED')).to.equal('RED');
    expect(Color.name).to.equal('Color');
  });

  it('knownGuard accepts only the listed strings', () => {
    const isColor = knownGuard(['RED', 'GREEN'] as const);
    expect(['RED', 'GREEN', 'BLUE', 1, null].map(isColor)).to.deep.equal([true, true, false, false, false]);
  });

  it('nullable accepts null and is named "X | null"', () => {
    const c = nullable(t.string);
    expect(c.is(null)).to.equal(true);
    expect(c.is(undefined)).to.equal(false);
    expect(c.name).to.equal('string | null');
  });
});

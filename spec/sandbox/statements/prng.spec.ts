import { expect } from 'chai';
import { deterministicGuid } from '../../../lib/sandbox/statements/ids.js';
import { createRng, seedWords } from '../../../lib/sandbox/statements/prng.js';

describe('sandbox/statements prng + ids', () => {
  it('replays the same sequence for the same seed parts', () => {
    const a = createRng('seed', 'MBR-1', 0);
    const b = createRng('seed', 'MBR-1', 0);
    const xs = Array.from({ length: 50 }, () => a.next());
    expect(Array.from({ length: 50 }, () => b.next())).to.deep.equal(xs);
  });

  it('gives a different sequence for different seed parts', () => {
    const a = createRng('seed', 'MBR-1');
    const b = createRng('seed', 'MBR-2');
    expect(Array.from({ length: 5 }, () => a.next())).not.to.deep.equal(Array.from({ length: 5 }, () => b.next()));
  });

  it('keeps next() in [0, 1) and int() within inclusive bounds, reaching both ends', () => {
    const rng = createRng(7);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const x = rng.next();
      expect(x).to.be.at.least(0).and.below(1);
      const n = rng.int(20, 23);
      expect(n).to.be.oneOf([20, 21, 22, 23]);
      seen.add(n);
    }
    expect([...seen].sort()).to.deep.equal([20, 21, 22, 23]);
  });

  it('treats seed 1 and "1" alike (the seed is stringified)', () => {
    expect(seedWords(1, 'm')).to.deep.equal(seedWords('1', 'm'));
  });

  it('derives guids as PREFIX + 32 lowercase hex, stable and part-sensitive', () => {
    const g = deterministicGuid('STA', 'seed', 'MBR-1', 0, '2026-10-01');
    expect(g).to.match(/^STA-[0-9a-f]{32}$/);
    expect(deterministicGuid('STA', 'seed', 'MBR-1', 0, '2026-10-01')).to.equal(g);
    expect(deterministicGuid('STA', 'seed', 'MBR-1', 1, '2026-10-01')).not.to.equal(g);
    expect(deterministicGuid('ACT', 'seed', 'MBR-1', 0, '2026-10-01').slice(4)).not.to.equal(g.slice(4));
  });
});

import { expect } from 'chai';
import { LruCache } from '../../../lib/sandbox/statements/lru.js';

describe('sandbox/statements LruCache', () => {
  it('evicts the least recently used entry beyond capacity', () => {
    const cache = new LruCache<string, number>(2);
    cache.set('a', 1).set('b', 2);
    expect(cache.get('a')).to.equal(1); // refreshes 'a'
    cache.set('c', 3);
    expect(cache.has('b')).to.equal(false);
    expect(cache.get('a')).to.equal(1);
    expect(cache.get('c')).to.equal(3);
    expect(cache.size).to.equal(2);
  });

  it('never holds more than its capacity', () => {
    const cache = new LruCache<number, number>(200);
    for (let i = 0; i < 1000; i++) cache.set(i, i);
    expect(cache.size).to.equal(200);
    expect(cache.has(799)).to.equal(false);
    expect(cache.has(800)).to.equal(true);
  });

  it('rejects a capacity below 1', () => {
    expect(() => new LruCache(0)).to.throw(RangeError);
  });
});

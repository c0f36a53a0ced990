import { expect } from 'chai';
import { createSha256, type HasherFactory } from '../../lib/core/sha256.js';
import { nodeSha256 } from '../../lib/node/hash.js';

describe('node/nodeSha256', () => {
  it('hashes incrementally to lowercase hex', () => {
    const h = nodeSha256();
    h.update(new TextEncoder().encode('a'));
    h.update(new TextEncoder().encode('bc'));
    expect(h.digest()).to.equal('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('hashes nothing to the empty digest', () => {
    expect(nodeSha256().digest()).to.equal('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('agrees with the isomorphic createSha256 whatever the chunking', () => {
    const factory: HasherFactory = nodeSha256;
    const bytes = Uint8Array.from({ length: 10_000 }, (_, i) => (i * 31 + 7) & 0xff);
    for (const size of [1, 63, 64, 65, 1000, 10_000]) {
      const a = factory();
      const b = createSha256();
      for (let i = 0; i < bytes.length; i += size) {
        a.update(bytes.subarray(i, i + size));
        b.update(bytes.subarray(i, i + size));
      }
      expect(a.digest(), `chunks of ${size}`).to.equal(b.digest());
    }
  });
});

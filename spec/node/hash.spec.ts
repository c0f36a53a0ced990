import { expect } from 'chai';
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
});

import { createHash, randomBytes } from 'node:crypto';
import { expect } from 'chai';
import fc from 'fast-check';
import { createSha256, sha256Hex } from '../../lib/core/sha256.js';

const text = (s: string) => new TextEncoder().encode(s);
const nodeHex = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('core/sha256', () => {
  it('matches the NIST vectors: empty, "abc", and the 448-bit message', () => {
    expect(sha256Hex(new Uint8Array(0))).to.equal('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex(text('abc'))).to.equal('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex(text('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')))
      .to.equal('248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1');
  });

  it('matches the NIST million-"a" vector, fed in uneven chunks', () => {
    const h = createSha256();
    const chunk = new Uint8Array(999).fill(0x61);
    let left = 1_000_000;
    while (left > 0) {
      const n = Math.min(left, chunk.length);
      h.update(chunk.subarray(0, n));
      left -= n;
    }
    expect(h.digest()).to.equal('cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0');
  });

  it('agrees with node:crypto on random inputs and random chunkings (block boundaries included)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), fc.array(fc.nat(130), { maxLength: 12 }), (bytes, cuts) => {
        const h = createSha256();
        let at = 0;
        for (const c of cuts) {
          const end = Math.min(bytes.length, at + c);
          h.update(bytes.subarray(at, end));
          at = end;
        }
        h.update(bytes.subarray(at));
        expect(h.digest()).to.equal(nodeHex(bytes));
      }),
      { numRuns: 300 },
    );
  });

  it('agrees with node:crypto at every length around the padding boundary (50..130 bytes) and on 1 MiB', () => {
    for (let n = 50; n <= 130; n++) {
      const b = randomBytes(n);
      expect(sha256Hex(b), `length ${n}`).to.equal(nodeHex(b));
    }
    const big = randomBytes(1 << 20);
    expect(sha256Hex(big)).to.equal(nodeHex(big));
  });

  it('refuses update or digest after digest', () => {
    const h = createSha256();
    h.digest();
    expect(() => h.update(new Uint8Array(1))).to.throw(/after digest/);
    expect(() => h.digest()).to.throw(/twice/);
  });
});

import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { crc32 as zlibCrc32 } from 'node:zlib';
import { crc32 } from '../../../lib/sandbox/png/crc32.js';

describe('sandbox/png crc32', () => {
  it('gives the standard check value and agrees with zlib on any bytes', () => {
    expect(crc32(Buffer.from('123456789'))).to.equal(0xcbf43926);
    expect(crc32(new Uint8Array(0))).to.equal(0);
    expect(crc32(Buffer.from('IEND'))).to.equal(0xae426082); // the CRC every PNG ends with
    for (const size of [1, 3, 255, 4096, 70_001]) {
      const bytes = randomBytes(size);
      expect(crc32(bytes), `${size} bytes`).to.equal(zlibCrc32(bytes) >>> 0);
    }
  });

  it('continues over bytes given in parts', () => {
    const bytes = randomBytes(1000);
    expect(crc32(bytes.subarray(300), crc32(bytes.subarray(0, 300)))).to.equal(crc32(bytes));
  });
});

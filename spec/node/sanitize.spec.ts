import { expect } from 'chai';
import { MAX_FILE_NAME_LENGTH, sanitizeFileName } from '../../lib/node/sanitize.js';
import { HOSTILE } from './helpers.js';

describe('node/sanitizeFileName', () => {
  it('keeps a safe guid as it is', () => {
    expect(sanitizeFileName('STA-737a344b-caae_0f6e')).to.equal('STA-737a344b-caae_0f6e');
  });

  it('turns every hostile guid into a short name of safe characters', () => {
    for (const guid of HOSTILE) {
      const name = sanitizeFileName(guid);
      expect(name, JSON.stringify(guid.slice(0, 40))).to.match(/^[A-Za-z0-9_-]+$/);
      expect(name.length).to.be.within(1, MAX_FILE_NAME_LENGTH);
      expect(name).not.to.be.oneOf(['.', '..', '']);
    }
  });

  it('gives different names to different guids, including ones that would sanitise alike', () => {
    const guids = [
      ...HOSTILE, 'a_b', 'a?b', 'a*b', 'x'.repeat(10_000) + 'y', 'x'.repeat(101), 'x'.repeat(100), '\uD800', '\uDC00',
    ];
    const names = guids.map(sanitizeFileName);
    expect(new Set(names).size).to.equal(guids.length);
  });

  it('is deterministic', () => {
    expect(sanitizeFileName('../../etc/passwd')).to.equal(sanitizeFileName('../../etc/passwd'));
    expect(sanitizeFileName('../../etc/passwd')).to.match(/^______etc_passwd-[0-9a-f]{12}$/);
  });

  it('leaves Windows device names unusable as such', () => {
    expect(sanitizeFileName('CON')).to.match(/^CON-[0-9a-f]{12}$/);
    expect(sanitizeFileName('lpt1')).to.match(/^lpt1-[0-9a-f]{12}$/);
  });
});

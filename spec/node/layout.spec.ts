import { expect } from 'chai';
import * as path from 'node:path';
import { isTempName, tempPathFor } from '../../lib/node/layout.js';

describe('node/layout: temp file names', () => {
  it('recognises every name tempPathFor makes, and nothing a member folder otherwise holds', () => {
    for (let i = 0; i < 50; i++) expect(isTempName(path.basename(tempPathFor('/out/MBR-1/STA-1.pdf')))).to.equal(true);
    for (const name of ['STA-1.pdf', 'manifest.json', '.notes.part', 'STA-1.pdf.0123456789ab.part', '.STA-1.pdf.0123456789AB.part']) {
      expect(isTempName(name), name).to.equal(false);
    }
  });
});

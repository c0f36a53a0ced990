import { expect } from 'chai';
import { createSummaryCollector, renderSummary } from '../../../lib/cli/render/summary.js';
import { displayWidth } from '../../../lib/cli/render/text.js';
import { SAMPLE_EVENTS } from '../helpers.js';
import { EVIL, HOSTILE_EVENTS, UNSAFE_CHAR } from './hostile-events.js';

const G = (p: string, n: number) => `${p}-${String(n).repeat(32).slice(0, 32)}`;

describe('cli: render/summary', () => {
  it('is one block: the totals, then the folder once and each file with its size and status', () => {
    const c = createSummaryCollector();
    for (const ev of SAMPLE_EVENTS) c.add(ev);
    expect(renderSummary(c.rows(), { cwd: '/out', elapsedMs: 2300 }).split('\n')).to.deep.equal([
      'Done in 2.3 s: 2 statements, 6.0 KB (1 saved, 1 already saved)',
      'MBR-1/',
      '  STA-1.pdf  2.0 KB  saved',
      '  STA-2.pdf  4.0 KB  already saved',
    ]);
    expect(renderSummary([], { cwd: '/' })).to.equal('Done: no statements.');
  });

  it('fits 80 columns with real-length guids and a real folder', () => {
    const c = createSummaryCollector();
    const member = G('MBR', 5);
    for (let i = 1; i <= 6; i++) {
      const guid = G('STA', i);
      c.add({ type: 'statement-listed', memberGuid: member, statement: { guid, account_guid: G('ACT', 9) } });
      c.add({ type: 'statement-downloaded', memberGuid: member, statementGuid: guid, bytes: 5000 + i, sha256: 'ab'.repeat(32), location: `/home/me/statements/${member}/${guid}.pdf` });
    }
    const lines = renderSummary(c.rows(), { cwd: '/home/me', columns: 80 }).split('\n');
    expect(lines).to.have.length(8);
    expect(lines[1]).to.equal(`statements/${member}/`);
    for (const l of lines) expect(displayWidth(l), l).to.be.below(80);
  });

  it('lists statements not downloaded by guid, with the account shortened', () => {
    const c = createSummaryCollector();
    c.add({ type: 'statement-listed', memberGuid: 'MBR-1', statement: { guid: 'STA-1', account_guid: G('ACT', 7) } });
    expect(renderSummary(c.rows(), { cwd: '/' }).split('\n')).to.deep.equal([
      'Done: 1 statement listed, not downloaded',
      'Statements:',
      '  STA-1  account ACT-7777…7777',
    ]);
  });

  it('escapes hostile guids in file names and folders', () => {
    const c = createSummaryCollector();
    for (const ev of HOSTILE_EVENTS) c.add(ev);
    const text = renderSummary(c.rows(), { cwd: '/out' });
    for (const l of text.split('\n')) expect(l).to.not.match(UNSAFE_CHAR);
    expect(text).to.contain('STA-1\\e]0;pwned');
    expect(EVIL).to.match(UNSAFE_CHAR);
  });
});

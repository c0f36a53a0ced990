import { expect } from 'chai';
import {
  displayWidth, jsonTerminalSafe, plural, rowsOf, shortGuid, shortGuidsIn, stripSgr, terminalSafe, wrapLine,
} from '../../../lib/cli/render/text.js';
import { HOSTILE, UNSAFE_CHAR } from './hostile-events.js';

describe('cli: render/text', () => {
  it('escapes every control, format and separator character so that it shows instead of acting', () => {
    for (const h of HOSTILE) {
      const safe = terminalSafe(`STA-1${h}end`);
      expect(safe, JSON.stringify(h)).to.not.match(UNSAFE_CHAR);
      expect(safe.startsWith('STA-1') && safe.endsWith('end')).to.equal(true);
      expect(safe.length).to.be.greaterThan(`STA-1end`.length);
    }
    expect(terminalSafe('a\u001b]0;x\u0007b')).to.equal('a\\e]0;x\\x07b');
    expect(terminalSafe('r\r\nn\t')).to.equal('r\\r\\nn\\t');
    expect(terminalSafe('x\u202ey')).to.equal('x\\u202ey');
    expect(terminalSafe('x\u{e0041}')).to.equal('x\\u{e0041}');
  });

  it('leaves printable text alone: accents, CJK, emoji, arrows', () => {
    for (const ok of ['Crédit Agricole', '日本の銀行', 'Bank 🏦', 'a → b …', 'MBR-59be…1b71']) expect(terminalSafe(ok)).to.equal(ok);
  });

  it('keeps JSON valid and equal while escaping what JSON.stringify leaves raw', () => {
    for (const h of HOSTILE) {
      const value = { guid: `STA-1${h}` };
      const line = jsonTerminalSafe(JSON.stringify(value));
      expect(line, JSON.stringify(h)).to.not.match(UNSAFE_CHAR);
      expect(JSON.parse(line)).to.deep.equal(value);
    }
  });

  it('measures display width: colours count for nothing, CJK and emoji count twice, combining marks not at all', () => {
    expect(displayWidth('\u001b[32m✔\u001b[0m ok')).to.equal(4);
    expect(displayWidth('日本')).to.equal(4);
    expect(displayWidth('e\u0301')).to.equal(1);
    expect(displayWidth('🏦')).to.equal(2);
    expect(stripSgr('\u001b[1;31mx\u001b[0m')).to.equal('x');
    expect(rowsOf('x'.repeat(161), 80)).to.equal(3);
    expect(rowsOf('', 80)).to.equal(1);
  });

  it('wraps at spaces with a hanging indent, never dropping a character', () => {
    const text = 'Using the embedded MX sandbox at http://127.0.0.1:4010; PDFs go to statements/';
    const lines = wrapLine(text, 40, { indent: '  ' });
    expect(lines).to.deep.equal(['Using the embedded MX sandbox at', '  http://127.0.0.1:4010; PDFs go to', '  statements/']);
    for (const l of lines) expect(displayWidth(l)).to.be.at.most(40);
    expect(lines.map((l) => l.trim()).join(' ')).to.equal(text);
    expect(wrapLine('short', 40)).to.deep.equal(['short']);
    expect(wrapLine(text, 0)).to.deep.equal([text]);
  });

  it('keeps a word longer than the line whole on a line of its own (a path to copy), or breaks it when asked', () => {
    const path = `statements/MBR-${'a'.repeat(32)}/STA-${'b'.repeat(32)}.pdf`;
    const kept = wrapLine(`Saved 5.2 KB → ${path}`, 40, { indent: '  ' });
    expect(kept).to.deep.equal(['Saved 5.2 KB →', `  ${path}`]);
    const broken = wrapLine(`Saved ${path}`, 40, { indent: '  ', longWords: 'break' });
    for (const l of broken) expect(displayWidth(l)).to.be.at.most(40);
    expect(broken.map((l) => l.replace(/^ {2}/, '')).join('')).to.equal(`Saved ${path}`.replace(' ', ''));
  });

  it('shortens guids in the middle, and only guids', () => {
    expect(shortGuid('MBR-59be1d3c63c09a47ca3d9a1489551b71')).to.equal('MBR-59be…1b71');
    expect(shortGuid('MBR-1')).to.equal('MBR-1');
    expect(shortGuid('MBR-46637bc5-942d-4229-9370-ddd858bf805e')).to.equal('MBR-4663…805e');
    expect(shortGuid('plain-text-that-is-long')).to.equal('plain-text-that-is-long');
    expect(shortGuid('USR-1/MBR-2')).to.equal('USR-1/MBR-2');
    expect(shortGuidsIn('GET /users/USR-7e9f529a0c631497c1d77b952732e7d9/members/MBR-59be1d3c63c09a47ca3d9a1489551b71 failed'))
      .to.equal('GET /users/USR-7e9f…e7d9/members/MBR-59be…1b71 failed');
    expect(plural(1, 'member')).to.equal('1 member');
    expect(plural(3, 'retry', 'retries')).to.equal('3 retries');
  });
});

import { expect } from 'chai';
import { displayPath, formatBytes, formatDuration } from '../../../lib/cli/render/format.js';

describe('cli: render/format', () => {
  it('formats sizes and durations in one style', () => {
    expect(formatBytes(812)).to.equal('812 B');
    expect(formatBytes(46285)).to.equal('45.2 KB');
    expect(formatBytes(3 * 1024 * 1024)).to.equal('3.0 MB');
    expect(formatDuration(40)).to.equal('40 ms');
    expect(formatDuration(1500)).to.equal('1.5 s');
    expect(formatDuration(2000)).to.equal('2 s');
    expect(formatDuration(12_400)).to.equal('12 s');
    expect(formatDuration(59_700)).to.equal('1 min');
    expect(formatDuration(125_000)).to.equal('2 min 5 s');
    expect(formatDuration(30 * 60_000)).to.equal('30 min');
    expect(formatDuration(3_900_000)).to.equal('1 h 5 min');
    expect(formatDuration(3 * 3_600_000)).to.equal('3 h');
    expect(formatDuration(Infinity)).to.equal('no limit');
  });

  it('shows paths relative to the working directory when that is shorter', () => {
    expect(displayPath('/home/me/statements/a.pdf', '/home/me')).to.equal('statements/a.pdf');
    expect(displayPath('/home/out/a.pdf', '/home/me')).to.equal('../out/a.pdf');
    expect(displayPath('/elsewhere/a.pdf', '/home/me/deep/down/here')).to.equal('/elsewhere/a.pdf');
    expect(displayPath('/home/me', '/home/me')).to.equal('.');
    expect(displayPath('relative/a.pdf', '/x')).to.equal('relative/a.pdf');
  });
});

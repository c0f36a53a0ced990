import { expect } from 'chai';
import { createLiveRegion } from '../../../lib/cli/render/live-region.js';
import { displayWidth } from '../../../lib/cli/render/text.js';
import { virtualTerminal } from '../helpers/virtual-terminal.js';

describe('cli: render/live-region', () => {
  it('redraws in place: a shorter line after a longer one leaves no stray characters', () => {
    const vt = virtualTerminal(40, 10);
    let text = 'Waiting for the institution · poll 12';
    const region = createLiveRegion(vt, () => [text], { frameMs: 10_000 });
    region.refresh();
    region.print(['✔ Statements job started']);
    text = 'Listing';
    region.refresh();
    expect(vt.lines()).to.deep.equal(['✔ Statements job started', 'Listing']);
    region.close();
    expect(vt.lines()).to.deep.equal(['✔ Statements job started']);
    expect(vt.unknown()).to.deep.equal([]);
  });

  it('prints finished lines above the region, which stays at the bottom, across many updates', () => {
    const vt = virtualTerminal(30, 12);
    let n = 0;
    const region = createLiveRegion(vt, () => (n < 5 ? [`${n} of 5 done`, `  member ${n}`] : []), { frameMs: 10_000 });
    for (; n < 5; n++) {
      region.refresh();
      region.print([`✔ member ${n} synced`]);
    }
    region.refresh();
    expect(vt.lines()).to.deep.equal(['✔ member 0 synced', '✔ member 1 synced', '✔ member 2 synced', '✔ member 3 synced', '✔ member 4 synced']);
    region.close();
  });

  it('wraps region lines to the width (autowrap stays on) and erases every row it took', () => {
    const vt = virtualTerminal(20, 10);
    let lines = ['a long region line that needs three rows here'];
    const region = createLiveRegion(vt, () => lines, { frameMs: 10_000 });
    region.refresh();
    expect(vt.lines().length).to.equal(3);
    for (const l of vt.lines()) expect(displayWidth(l)).to.be.below(20);
    lines = ['one'];
    region.refresh();
    expect(vt.lines()).to.deep.equal(['one']);
    region.print(['done']);
    expect(vt.lines()).to.deep.equal(['done', 'one']);
    region.close();
    expect(vt.lines()).to.deep.equal(['done']);
  });

  it('keeps the region within the terminal height, so the erase reaches its first row', () => {
    const vt = virtualTerminal(30, 5);
    let lines = Array.from({ length: 12 }, (_v, i) => `line ${i}`);
    const region = createLiveRegion(vt, () => lines, { frameMs: 10_000 });
    region.refresh();
    expect(vt.screen().filter((l) => l !== '')).to.have.length(4);
    expect(vt.lines().at(-1)).to.match(/more lines/);
    lines = ['small'];
    region.refresh();
    expect(vt.lines()).to.deep.equal(['small']);
    region.close();
  });

  it('hides the cursor while drawn and shows it on pause and close; pause erases, resume redraws', () => {
    const vt = virtualTerminal(40, 10);
    const region = createLiveRegion(vt, () => ['⠋ working'], { frameMs: 10_000 });
    region.refresh();
    expect(vt.cursorVisible()).to.equal(false);
    region.pause();
    expect(vt.cursorVisible()).to.equal(true);
    expect(vt.lines()).to.deep.equal([]);
    vt.write('? Password: \n');
    region.print(['✔ asked']);
    region.resume();
    expect(vt.lines()).to.deep.equal(['? Password:', '✔ asked', '⠋ working']);
    region.close();
    region.close();
    expect(vt.cursorVisible()).to.equal(true);
    region.print(['after close']);
    expect(vt.lines()).to.deep.equal(['? Password:', '✔ asked', 'after close']);
  });

  it('redraws on its own clock while it shows something, and stops when closed', async () => {
    const vt = virtualTerminal(40, 10);
    let frame = 0;
    const writes: string[] = [];
    const stream = { ...vt, write: (c: string) => (writes.push(c), vt.write(c)) };
    const region = createLiveRegion(stream, () => [`frame ${frame++}`], { frameMs: 5 });
    region.refresh();
    const deadline = Date.now() + 2_000;
    while (writes.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(writes.length).to.be.at.least(3);
    region.close();
    const after = writes.length;
    await new Promise((r) => setTimeout(r, 30));
    expect(writes.length).to.equal(after);
    expect(vt.lines()).to.deep.equal([]);
  });
});

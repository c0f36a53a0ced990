import { expect } from 'chai';
import { createManualClock } from '../../lib/sandbox/index.js';
import { REAL_CLOCK } from '../../lib/sandbox/clock.js';
import { TimerSet } from '../../lib/sandbox/timers.js';

describe('sandbox: clock (manual clock, timer set)', () => {
  it('a manual clock fires timers in due order (ties in the order set), each at its own time, nested ones included', () => {
    const clock = createManualClock(1000);
    const fired: Array<[string, number]> = [];
    clock.setTimer(30, () => fired.push(['c', clock.now()]));
    clock.setTimer(10, () => {
      fired.push(['a', clock.now()]);
      clock.setTimer(5, () => fired.push(['nested', clock.now()]));
    });
    clock.setTimer(10, () => fired.push(['b', clock.now()]));
    const cancel = clock.setTimer(20, () => fired.push(['cancelled', clock.now()]));
    cancel();
    expect(clock.pending).to.equal(3);
    clock.advance(9);
    expect(fired).to.deep.equal([]);
    clock.advance(21);
    expect(fired).to.deep.equal([
      ['a', 1010],
      ['b', 1010],
      ['nested', 1015],
      ['c', 1030],
    ]);
    expect(clock.now()).to.equal(1030);
    expect(clock.pending).to.equal(0);
    expect(clock.next()).to.equal(false);
    expect(() => clock.advance(-1)).to.throw(RangeError);
  });

  it('next() jumps to the next timer and fires everything due then', () => {
    const clock = createManualClock(0);
    const fired: number[] = [];
    clock.setTimer(500, () => fired.push(clock.now()));
    clock.setTimer(500, () => fired.push(clock.now()));
    clock.setTimer(900, () => fired.push(clock.now()));
    expect(clock.next()).to.equal(true);
    expect(fired).to.deep.equal([500, 500]);
    expect(clock.next()).to.equal(true);
    expect(fired).to.deep.equal([500, 500, 900]);
  });

  it('a TimerSet runs on its clock; clear() cancels every timer, wakes every sleep and refuses new ones', async () => {
    const clock = createManualClock(0);
    const errors: unknown[] = [];
    const timers = new TimerSet(clock, (e) => errors.push(e));
    const fired: string[] = [];
    timers.after(10, () => fired.push('a'));
    timers.after(20, () => {
      throw new Error('boom');
    });
    const slept = timers.sleep(1000).then(() => fired.push('woke'));
    expect(timers.size).to.equal(3);
    clock.advance(20);
    expect(fired).to.deep.equal(['a']);
    expect(errors).to.have.length(1);
    expect(timers.now()).to.equal(20);
    timers.clear();
    await slept;
    expect(fired).to.deep.equal(['a', 'woke']);
    expect(clock.pending).to.equal(0);
    timers.after(1, () => fired.push('late'));
    clock.advance(10);
    expect(fired).to.deep.equal(['a', 'woke']);
  });

  it('the real clock tells the wall time and its timers can be cancelled', async () => {
    expect(Math.abs(REAL_CLOCK.now() - Date.now())).to.be.below(50);
    let fired = false;
    const cancel = REAL_CLOCK.setTimer(1, () => (fired = true));
    cancel();
    await new Promise((r) => setTimeout(r, 5));
    expect(fired).to.equal(false);
  });
});

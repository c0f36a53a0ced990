/**
 * The system's opener: found where it can work (a display, or $BROWSER), run detached with its outcome reported
 * and never awaited by the run; the Enter key read on the side in raw mode (Ctrl-C still interrupts) and given
 * back; the offer said once, with or without an opener.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { EventEmitter } from 'node:events';
import { expect } from 'chai';
import { listenForEnter } from '../../../lib/cli/oauth/enter-key.js';
import { offerToOpen } from '../../../lib/cli/oauth/offer.js';
import { findOpener, openUrl } from '../../../lib/cli/oauth/opener.js';
import type { Line } from '../../../lib/cli/render/describe.js';

const URL_ = 'http://127.0.0.1:4010/oauth/window/0123abcd';

/** A terminal input double: raw mode recorded, data pushed by the spec. */
const fakeInput = (isTTY = true) => {
  const e = new EventEmitter();
  const state = { raw: false, flowing: false };
  const input = {
    isTTY,
    setRawMode: (raw: boolean) => {
      state.raw = raw;
    },
    on: (ev: 'data', l: (c: Buffer | string) => void) => e.on(ev, l),
    removeListener: (ev: 'data', l: (c: Buffer | string) => void) => e.removeListener(ev, l),
    resume: () => {
      state.flowing = true;
    },
    pause: () => {
      state.flowing = false;
    },
    type: (text: string) => e.emit('data', Buffer.from(text)),
    listeners: () => e.listenerCount('data'),
  };
  return { input, state };
};

describe('cli: opening the OAuth window (oauth/*)', () => {
  let tmp: string;
  beforeEach(async () => {
    tmp = await mkdtemp(path.join(tmpdir(), 'mx-opener-'));
  });
  afterEach(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it('findOpener: $BROWSER first; open on macOS; start on Windows; xdg-open only with a display (never a text browser over SSH)', () => {
    const everywhere = () => true;
    expect(findOpener({ platform: 'darwin', env: {}, onPath: everywhere }).opener?.name).to.equal('open');
    const win = findOpener({ platform: 'win32', env: {}, onPath: everywhere }).opener;
    expect(win?.command).to.equal('cmd');
    expect(win?.args(URL_)).to.deep.equal(['/d', '/s', '/c', `start "" "${URL_}"`]);
    expect(findOpener({ platform: 'linux', env: { DISPLAY: ':0' }, onPath: everywhere }).opener?.name).to.equal('xdg-open');
    expect(findOpener({ platform: 'linux', env: { WAYLAND_DISPLAY: 'wayland-0' }, onPath: everywhere }).opener?.name).to.equal('xdg-open');
    expect(findOpener({ platform: 'linux', env: {}, onPath: everywhere })).to.deep.equal({ reason: 'DISPLAY is not set' });
    expect(findOpener({ platform: 'linux', env: { DISPLAY: ':0' }, onPath: () => false })).to.deep.equal({ reason: 'xdg-open is not installed' });
    expect(findOpener({ platform: 'linux', env: { BROWSER: 'firefox' }, onPath: (n) => n === 'firefox' }).opener?.command).to.equal('firefox');
    expect(findOpener({ platform: 'linux', env: { BROWSER: 'firefox; rm -rf /' }, onPath: everywhere }), 'not a program name').to.deep.equal({ reason: 'DISPLAY is not set' });
  });

  it('openUrl: success, a failing opener and a missing one each end with an outcome; a URL a shell could misread is refused', async () => {
    const record = path.join(tmp, 'got.txt');
    const ok = path.join(tmp, 'ok-browser');
    await writeFile(ok, `#!/bin/sh\nprintf '%s' "$1" > '${record}'\n`, { mode: 0o755 });
    const bad = path.join(tmp, 'bad-browser');
    await writeFile(bad, '#!/bin/sh\nexit 4\n', { mode: 0o755 });
    const opener = (command: string) => ({ name: path.basename(command), command, args: (u: string) => [u] });
    expect(await openUrl(opener(ok), URL_)).to.deep.equal({ ok: true });
    expect(await readFile(record, 'utf8')).to.equal(URL_);
    expect(await openUrl(opener(bad), URL_)).to.deep.equal({ ok: false, reason: 'bad-browser ended with exit code 4' });
    expect(await openUrl(opener(path.join(tmp, 'absent')), URL_)).to.deep.equal({ ok: false, reason: 'absent could not start (ENOENT)' });
    expect((await openUrl(opener(ok), 'http://x/"; rm -rf ~')).ok).to.equal(false);
    // A browser that stays in the foreground is taken as opened once the settle time passed: never awaited longer.
    const slow = path.join(tmp, 'slow-browser');
    await writeFile(slow, '#!/bin/sh\nsleep 1\n', { mode: 0o755 });
    const t0 = Date.now();
    expect(await openUrl(opener(slow), URL_, 200)).to.deep.equal({ ok: true });
    expect(Date.now() - t0).to.be.below(2_000);
  });

  it('listenForEnter: raw mode while listening, Enter calls back, Ctrl-C interrupts, stop() gives the keyboard back; not on a pipe', () => {
    const { input, state } = fakeInput();
    let enters = 0;
    let interrupts = 0;
    const keys = listenForEnter(input, () => (enters += 1), () => (interrupts += 1));
    expect(state).to.deep.equal({ raw: true, flowing: true });
    input.type('x\r');
    input.type('\n');
    input.type('\u0003');
    expect([enters, interrupts]).to.deep.equal([2, 1]);
    keys?.stop();
    keys?.stop();
    expect(state).to.deep.equal({ raw: false, flowing: false });
    expect(input.listeners()).to.equal(0);
    input.type('\r');
    expect(enters).to.equal(2);
    expect(listenForEnter(fakeInput(false).input, () => undefined, () => undefined)).to.equal(undefined);
  });

  it('offerToOpen: says how (Enter, or why not), opens on Enter and says what happened once; nothing after stop()', async () => {
    const notes: Line[] = [];
    const { input } = fakeInput();
    const opened: string[] = [];
    let finish: (r: { ok: boolean; reason?: string }) => void = () => undefined;
    const offer = offerToOpen(URL_, {
      machine: { platform: 'linux', env: { DISPLAY: ':0' }, onPath: () => true },
      input,
      note: (l) => notes.push(l),
      interrupt: () => undefined,
      open: (u) => {
        opened.push(u);
        return new Promise((resolve) => {
          finish = (r) => resolve(r.ok ? { ok: true } : { ok: false, reason: r.reason ?? '' });
        });
      },
    });
    expect(notes.map((n) => n.text)).to.deep.equal(['Press Enter to open it with xdg-open, or copy it into a browser; the run goes on by itself once you authorize']);
    input.type('\r');
    expect(opened).to.deep.equal([URL_]);
    finish({ ok: false, reason: 'xdg-open ended with exit code 3' });
    await new Promise((r) => setImmediate(r));
    expect(notes.at(-1)).to.deep.equal({ kind: 'question', text: 'Could not open it (xdg-open ended with exit code 3): copy the link into a browser' });
    input.type('\r');
    offer.stop();
    finish({ ok: true });
    await new Promise((r) => setImmediate(r));
    expect(notes, 'nothing said once the wait is over').to.have.length(2);

    const none: Line[] = [];
    offerToOpen(URL_, { machine: { platform: 'linux', env: {} }, input: fakeInput().input, note: (l) => none.push(l), interrupt: () => undefined }).stop();
    expect(none.map((n) => n.text)).to.deep.equal(['Open it in a browser on any device (nothing to open it with here: DISPLAY is not set); the run goes on by itself once you authorize']);
  });
});

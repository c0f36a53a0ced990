// oauth-popup.spec.ts — the sign-in window's watcher, on a fake window and virtual time (ng test: vitest + jsdom).
import { VirtualAction, VirtualTimeScheduler } from 'rxjs';
import { POPUP_CLOSED_POLL_MS, describeSignIn, openOAuthPopup, type PopupEnd } from './oauth-popup';

const URL_ = 'https://bank.example/oauth/window/abc';
const BANK = 'https://bank.example';

/** The page's window: opens one fake popup, counts its message listeners, delivers posted messages. */
class FakeWindow extends EventTarget {
  readonly location = { href: 'https://app.example/statements' };
  readonly popup: { closed: boolean } | null;
  listeners = 0;

  constructor(blocked = false) {
    super();
    this.popup = blocked ? null : { closed: false };
  }

  open(): { closed: boolean } | null {
    return this.popup;
  }

  override addEventListener(...args: Parameters<EventTarget['addEventListener']>): void {
    this.listeners += 1;
    super.addEventListener(...args);
  }

  override removeEventListener(...args: Parameters<EventTarget['removeEventListener']>): void {
    this.listeners -= 1;
    super.removeEventListener(...args);
  }

  post(data: unknown, origin: string): void {
    this.dispatchEvent(new MessageEvent('message', { data, origin }));
  }
}

/** Watches a popup for MBR-1 on virtual time (at most 40 polls); `script` schedules what happens, in ms. */
const watch = (win: FakeWindow, script: Array<[number, (stop: () => void) => void]>) => {
  const scheduler = new VirtualTimeScheduler(VirtualAction, 40 * POPUP_CLOSED_POLL_MS);
  const ends: Array<{ at: number; end: PopupEnd }> = [];
  const result = { ends, completed: false, error: null as Error | null };
  const subscription = openOAuthPopup(URL_, 'MBR-1', win as unknown as Window, scheduler).subscribe({
    next: (end) => ends.push({ at: scheduler.now(), end }),
    complete: () => (result.completed = true),
    error: (e: Error) => (result.error = e),
  });
  for (const [at, step] of script) scheduler.schedule(() => step(() => subscription.unsubscribe()), at);
  scheduler.flush();
  return result;
};

describe('openOAuthPopup', () => {
  it('reports the message of the window\'s own origin only, for the run\'s member, once', () => {
    const win = new FakeWindow();
    const r = watch(win, [
      [100, () => win.post({ type: 'oauthComplete/error', metadata: { member_guid: 'MBR-1', error_reason: 'CANCELLED' } }, 'https://evil.example')],
      [200, () => win.post({ type: 'oauthComplete/error', metadata: { member_guid: 'MBR-2', error_reason: 'CANCELLED' } }, BANK)],
      [300, () => win.post({ type: 'something/else' }, BANK)],
      [400, () => win.post({ type: 'oauthComplete/success', metadata: { member_guid: 'MBR-1' } }, BANK)],
      [600, () => win.post({ type: 'oauthComplete/error', metadata: { member_guid: 'MBR-1', error_reason: 'DENIED' } }, BANK)],
      [700, () => (win.popup!.closed = true)],
    ]);
    expect(r.ends).toEqual([{ at: 400, end: { closed: false, completion: { memberGuid: 'MBR-1', status: 'success' } } }]);
    expect(r.completed).toBe(true);
    expect(win.listeners).toBe(0);
  });

  it('passes on the reason of an error message', () => {
    const win = new FakeWindow();
    const r = watch(win, [[50, () => win.post({ type: 'oauthComplete/error', metadata: { member_guid: 'MBR-1', error_reason: 'DENIED' } }, BANK)]]);
    expect(r.ends.map((e) => e.end)).toEqual([{ closed: false, completion: { memberGuid: 'MBR-1', status: 'error', errorReason: 'DENIED' } }]);
  });

  it('reports a window closed without a word as closed (no completion: not a decision), at the next look', () => {
    const win = new FakeWindow();
    const r = watch(win, [[1200, () => (win.popup!.closed = true)]]);
    expect(r.ends).toEqual([{ at: 3 * POPUP_CLOSED_POLL_MS, end: { closed: true } }]);
    expect(r.completed).toBe(true);
    expect(win.listeners).toBe(0);
  });

  it('stops looking once unsubscribed (the run no longer waits for the sign-in)', () => {
    const win = new FakeWindow();
    const r = watch(win, [
      [700, (stop) => stop()],
      [1200, () => (win.popup!.closed = true)],
    ]);
    expect(r.ends).toEqual([]);
    expect(win.listeners).toBe(0);
  });

  it('fails when the browser blocked the window', () => {
    const r = watch(new FakeWindow(true), []);
    expect(r.ends).toEqual([]);
    expect(r.error?.message).toContain('blocked');
  });
});

describe('describeSignIn', () => {
  it('tells the person how their sign-in ended', () => {
    const error = (errorReason: string): PopupEnd => ({ closed: false, completion: { memberGuid: 'M', status: 'error', errorReason } });
    expect(describeSignIn({ closed: false, completion: { memberGuid: 'M', status: 'success' } })).toMatch(/^You signed in/);
    expect(describeSignIn(error('CANCELLED'))).toMatch(/^You cancelled/);
    expect(describeSignIn({ closed: true })).toMatch(/^The sign-in window was closed\. If you finished signing in, this goes on by itself/);
    expect(describeSignIn(error('DENIED'))).toMatch(/^You did not allow/);
    expect(describeSignIn(error('PROVIDER_ERROR'))).toContain('(PROVIDER_ERROR)');
  });
});

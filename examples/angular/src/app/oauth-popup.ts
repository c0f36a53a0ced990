// oauth-popup.ts — the bank's sign-in window for OAuth institutions.
import { Observable } from 'rxjs';

export type OAuthOutcome = 'success' | 'error';

/**
 * Opens `url` in a popup (call it from a click: browsers block popups opened otherwise) and emits the outcome the
 * window posts back (`oauthComplete/success|error`, from the window's own origin), then completes. Unsubscribing
 * stops listening; the workflow itself learns the result by polling the member, so the message is only for the UI.
 */
export const openOAuthPopup = (url: string, win: Window = window): Observable<OAuthOutcome> =>
  new Observable<OAuthOutcome>((subscriber) => {
    const origin = new URL(url, win.location.href).origin;
    const popup = win.open(url, 'mx-oauth', 'popup,width=520,height=680');
    if (popup === null) {
      subscriber.error(new Error('the browser blocked the sign-in window'));
      return;
    }
    const onMessage = (event: MessageEvent) => {
      if (event.origin !== origin) return;
      const data: unknown = event.data;
      const text = typeof data === 'string' ? data : String((data as { type?: unknown } | null)?.type ?? '');
      const m = /oauthComplete\/(success|error)/.exec(text);
      if (!m) return;
      subscriber.next(m[1] as OAuthOutcome);
      subscriber.complete();
    };
    win.addEventListener('message', onMessage);
    return () => win.removeEventListener('message', onMessage);
  });

// oauth-popup.ts — the bank's sign-in window for OAuth institutions, and how it ended.
import type { OAuthCompletion } from 'mx-statements-rx';
import { Observable, asyncScheduler, filter, fromEvent, interval, map, merge, take, type SchedulerLike } from 'rxjs';

/**
 * How the sign-in window ended: what its page reported (pass `completion` to the run), or closed by the person
 * before it reported anything. A closed window is not a decision: the person may have pressed Authorize and closed
 * it before its last page loaded (MX authorized; the run sees the member leave PENDING at its next poll, which
 * against MX may be 30 s away), or closed it to give up. So it is not reported to the run; the page says how to go on.
 */
export type PopupEnd =
  | { readonly closed: false; readonly completion: OAuthCompletion }
  | { readonly closed: true };

/** How often the page looks whether the person closed the window (a closed window sends no event). */
export const POPUP_CLOSED_POLL_MS = 500;

/**
 * MX's window message (`{ type: 'oauthComplete/success' | 'oauthComplete/error', metadata: { member_guid,
 * error_reason } }`) as the completion of `memberGuid`'s window; null for anything else, or another member's window.
 */
export const completionOf = (data: unknown, memberGuid: string): OAuthCompletion | null => {
  const m = data as { type?: unknown; metadata?: { member_guid?: unknown; error_reason?: unknown } } | null;
  const status = m?.type === 'oauthComplete/success' ? 'success' : m?.type === 'oauthComplete/error' ? 'error' : null;
  const named = m?.metadata?.member_guid;
  if (status === null || (named !== undefined && named !== memberGuid)) return null;
  const reason = m?.metadata?.error_reason;
  return status === 'success' ? { memberGuid, status } : { memberGuid, status, errorReason: typeof reason === 'string' ? reason : 'UNKNOWN' };
};

/**
 * Opens `url` in a popup (call it from a click: browsers block popups opened otherwise) and emits how it ended,
 * then completes: the message its page posts (only from the window's own origin: any other window could post one),
 * or, when none came, the person closing it (`popup.closed`, looked at every {@link POPUP_CLOSED_POLL_MS} ms on
 * `scheduler`). Pass a reported `completion` to the run: an error ends its wait at once. Unsubscribe once the run
 * no longer waits for the sign-in: that stops the listener and the poll.
 */
export const openOAuthPopup = (url: string, memberGuid: string, win: Window = window, scheduler: SchedulerLike = asyncScheduler): Observable<PopupEnd> =>
  new Observable<PopupEnd>((subscriber) => {
    const origin = new URL(url, win.location.href).origin;
    const popup = win.open(url, 'mx-oauth', 'popup,width=520,height=680');
    if (popup === null) {
      subscriber.error(new Error('The browser blocked the sign-in window: allow pop-ups for this page and press the button again.'));
      return;
    }
    const reported$ = fromEvent<MessageEvent>(win, 'message').pipe(
      filter((event) => event.origin === origin),
      map((event) => completionOf(event.data, memberGuid)),
      filter((completion) => completion !== null),
      map((completion): PopupEnd => ({ closed: false, completion })),
    );
    const closed$ = interval(POPUP_CLOSED_POLL_MS, scheduler).pipe(
      filter(() => popup.closed),
      map((): PopupEnd => ({ closed: true })),
    );
    return merge(reported$, closed$).pipe(take(1)).subscribe(subscriber);
  });

/** What the page tells the person about their sign-in. */
export const describeSignIn = (end: PopupEnd): string => {
  if (end.closed) return 'The sign-in window was closed. If you finished signing in, this goes on by itself; if not, press Cancel.';
  const { completion } = end;
  if (completion.status === 'success') return 'You signed in at your bank: connecting…';
  switch (completion.errorReason) {
    case 'CANCELLED':
      return 'You cancelled the sign-in at your bank: no statements were fetched.';
    case 'DENIED':
      return 'You did not allow access at your bank: no statements were fetched.';
    default:
      return `Your bank could not sign you in (${completion.errorReason ?? 'UNKNOWN'}): no statements were fetched.`;
  }
};

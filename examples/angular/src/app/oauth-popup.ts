// oauth-popup.ts — the bank's sign-in window for OAuth institutions, and how it ended.
import type { OAuthCompletion } from 'mx-statements-rx';
import { Observable, asyncScheduler, delay, filter, fromEvent, interval, map, merge, take, type SchedulerLike } from 'rxjs';

/** How the sign-in window ended: what its page reported, or closed by the person before it reported anything. */
export interface PopupEnd {
  /** For the run's `oauth.completions`: a window closed without a word counts as CANCELLED, as MX's reasons go. */
  readonly completion: OAuthCompletion;
  readonly closed: boolean;
}

/** How often the page looks whether the person closed the window (a closed window sends no event). */
export const POPUP_CLOSED_POLL_MS = 500;

/**
 * How long a window closed without a word waits before it counts as cancelled: a person may press Authorize and
 * close the window before its last page loads; the run then sees the member leave PENDING meanwhile, ends its
 * wait, and the report (unsubscribed) never comes.
 */
export const POPUP_CLOSED_GRACE_MS = 5000;

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
 * `scheduler`, reported {@link POPUP_CLOSED_GRACE_MS} ms later). Pass `completion` to the run: an error ends its wait at once. Unsubscribe when the run ends: that
 * stops the listener and the poll.
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
      map((completion): PopupEnd => ({ completion, closed: false })),
    );
    const closed$ = interval(POPUP_CLOSED_POLL_MS, scheduler).pipe(
      filter(() => popup.closed),
      take(1),
      delay(POPUP_CLOSED_GRACE_MS, scheduler),
      map((): PopupEnd => ({ completion: { memberGuid, status: 'error', errorReason: 'CANCELLED' }, closed: true })),
    );
    return merge(reported$, closed$).pipe(take(1)).subscribe(subscriber);
  });

/** What the page tells the person about their sign-in. */
export const describeSignIn = ({ completion, closed }: PopupEnd): string => {
  if (completion.status === 'success') return 'You signed in at your bank: connecting…';
  if (closed) return 'You closed the sign-in window before finishing: no statements were fetched.';
  switch (completion.errorReason) {
    case 'CANCELLED':
      return 'You cancelled the sign-in at your bank: no statements were fetched.';
    case 'DENIED':
      return 'You did not allow access at your bank: no statements were fetched.';
    default:
      return `Your bank could not sign you in (${completion.errorReason ?? 'UNKNOWN'}): no statements were fetched.`;
  }
};

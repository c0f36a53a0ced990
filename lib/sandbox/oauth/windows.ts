/**
 * One-time OAuth window links: each `oauth_window_uri` names a random token; a member has at most one open link
 * (a new one replaces the previous); a link is spent once the person authorizes, denies or cancels.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import type { MemberRecord } from '../state.js';

/** How the window ends, as asked when the link was made. */
export interface OAuthWindowRequest {
  /** Where to send the person afterwards (303), with the outcome in the query. */
  readonly clientRedirectUrl?: string;
  /** `BROWSER` (default) or `APP`. */
  readonly referralSource: 'BROWSER' | 'APP';
  /** Authorizing starts no aggregation. */
  readonly skipAggregation: boolean;
}

/** One link. */
export interface OAuthWindow extends OAuthWindowRequest {
  readonly token: string;
  readonly userGuid: string;
  readonly memberGuid: string;
  /** `open` until used; `replaced` once a newer link was made for the member. */
  state: 'open' | 'used' | 'replaced';
}

/**
 * How a window ended, as MX's OAuth-complete page reports it (`oauthComplete/success`, or `oauthComplete/error`
 * with its reason): what an app passes on to the workflow as `oauth.completions`.
 */
export interface OAuthWindowCompletion {
  readonly memberGuid: string;
  readonly status: 'success' | 'error';
  readonly errorReason?: 'DENIED' | 'CANCELLED';
}

/** The path of a window link on the sandbox. */
export const OAUTH_WINDOW_PATH = '/oauth/window';

/**
 * The links, bounded: at most one open link per member, and the last `maxSpent` spent or replaced links are
 * remembered (to show "already used" rather than "unknown").
 *
 * @example
 * ```ts
 * import { OAuthWindows } from './windows.js';
 * import type { MemberRecord } from '../state.js';
 * declare const member: MemberRecord;
 *
 * const windows = new OAuthWindows(() => 'http://127.0.0.1:4010');
 * windows.issue(member, { referralSource: 'BROWSER', skipAggregation: false }); // 'http://127.0.0.1:4010/oauth/window/…'
 * ```
 */
export class OAuthWindows {
  private readonly byToken = new Map<string, OAuthWindow>();
  private readonly openByMember = new Map<string, string>();
  private readonly listeners = new Set<(completion: OAuthWindowCompletion) => void>();
  private spent = 0;

  constructor(
    private readonly baseUrl: () => string,
    private readonly maxSpent = 10_000,
  ) {}

  /** Makes a fresh link for the member (replacing its open one) and returns its URL. */
  issue(member: MemberRecord, request: OAuthWindowRequest): string {
    this.retire(member.guid);
    const token = randomBytes(16).toString('hex');
    this.byToken.set(token, { ...request, token, userGuid: member.userGuid, memberGuid: member.guid, state: 'open' });
    this.openByMember.set(member.guid, token);
    return this.urlOf(token);
  }

  /** The URL of the member's open link, or null. */
  current(member: MemberRecord): string | null {
    const token = this.openByMember.get(member.guid);
    return token === undefined ? null : this.urlOf(token);
  }

  /** The link with this token, if known. */
  find(token: string): OAuthWindow | undefined {
    return this.byToken.get(token);
  }

  /** Marks a link spent (the person decided). */
  spend(window: OAuthWindow): void {
    if (window.state !== 'open') return;
    window.state = 'used';
    this.openByMember.delete(window.memberGuid);
    this.noteSpent();
  }

  /** Calls `listener` with every window that ends (the person authorized, denied or cancelled); returns the way to stop. */
  onComplete(listener: (completion: OAuthWindowCompletion) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Tells the listeners how a window ended (a listener that throws is ignored: it cannot break the page). */
  completed(completion: OAuthWindowCompletion): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(completion);
      } catch {
        // the caller's bug, not the person's answer
      }
    }
  }

  /** Forgets every listener (the sandbox closed). */
  clearListeners(): void {
    this.listeners.clear();
  }

  /** Forgets the open link of a member (deleted): it becomes unknown. */
  forget(memberGuid: string): void {
    const token = this.openByMember.get(memberGuid);
    if (token === undefined) return;
    this.openByMember.delete(memberGuid);
    this.byToken.delete(token);
  }

  private retire(memberGuid: string): void {
    const token = this.openByMember.get(memberGuid);
    if (token === undefined) return;
    this.openByMember.delete(memberGuid);
    const old = this.byToken.get(token);
    if (old) {
      old.state = 'replaced';
      this.noteSpent();
    }
  }

  private noteSpent(): void {
    this.spent += 1;
    if (this.spent <= this.maxSpent) return;
    for (const [token, w] of this.byToken) {
      if (w.state === 'open') continue;
      this.byToken.delete(token);
      this.spent -= 1;
      if (this.spent <= this.maxSpent) return;
    }
  }

  private urlOf(token: string): string {
    return `${this.baseUrl()}${OAUTH_WINDOW_PATH}/${token}`;
  }
}

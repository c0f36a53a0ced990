// statements.service.ts
import { Injectable } from '@angular/core';
import {
  createMemorySink, fetchStatements$, type ChallengeAnswer, type MemorySink, type MxObservable, type OAuthCompletion, type StatementEvent,
} from 'mx-statements-rx';
import { injectMxClient } from 'mx-statements-rx/angular';
import type { Observable } from 'rxjs';
import { mxBackend } from './mx-backend';

/** What the user typed in: who they are at their bank. */
export interface Login {
  readonly userId: string; // your id for the signed-in user
  readonly institution: string; // e.g. 'MX Bank'
  readonly username: string;
  readonly password: string;
}

@Injectable({ providedIn: 'root' })
export class StatementsService {
  /** provideMxClient's client: every request goes through HttpClient (and your interceptors). */
  private readonly client = injectMxClient();

  /** PDFs kept in memory (bounded); the view turns them into blob URLs. */
  readonly sink: MemorySink = createMemorySink({ maxBytes: 50 * 1024 * 1024 });

  /**
   * One run. Cold: it starts when the view subscribes and is cancelled when the view unsubscribes. `mfa`: the
   * person's answers; `oauthCompletions`: how the bank's sign-in window ended (oauth-popup.ts).
   */
  run(login: Login, mfa: Observable<ChallengeAnswer[]>, oauthCompletions: Observable<OAuthCompletion>): MxObservable<StatementEvent> {
    return fetchStatements$(this.client, {
      user: { id: login.userId },
      institution: { name: login.institution },
      credentials: { LOGIN: login.username, PASSWORD: login.password }, // not sent for an OAuth bank
      mfa,
      // An OAuth bank: the sign-in happens in a browser popup (oauth-popup.ts). MX shows a member whose person
      // cancelled in the window as PENDING still: only the window's report ends the wait, at once.
      oauth: { referralSource: 'BROWSER', completions: oauthCompletions },
      polling: mxBackend().polling,
      download: { sink: this.sink, progress: true },
    });
  }
}

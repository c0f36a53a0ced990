// statements.component.ts — one run, rendered through the async pipe.
import { AsyncPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, OnDestroy, OnInit, inject, input, signal } from '@angular/core';
import type { ChallengeAnswer, OAuthCompletion, OAuthRequiredEvent } from 'mx-statements-rx';
import { injectMxDownloadProgress } from 'mx-statements-rx/angular';
import { Observable, Subject, Subscription, scan, startWith, takeUntil, tap } from 'rxjs';
import { MfaDialogComponent } from './mfa-dialog.component';
import { describeSignIn, openOAuthPopup } from './oauth-popup';
import { StatementsService, type Login } from './statements.service';
import { initialView, reduceView, type View } from './view-state';

@Component({
  selector: 'app-statements',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [AsyncPipe, MfaDialogComponent],
  template: `
    @if (view$ | async; as view) {
      <p data-testid="step" [attr.data-finished]="view.finished || cancelled()">{{ cancelled() ? 'Cancelled' : view.step }}</p>
      @if (signInOutcome(); as words) { <p data-testid="oauth-outcome">{{ words }}</p> }
      @if (view.error) { <p class="error" data-testid="error">{{ view.error }}</p> }
      @if (!view.finished && !cancelled()) {
        <button type="button" data-testid="cancel" (click)="cancel()">Cancel</button>
        @if (view.challenges; as challenges) {
          <app-mfa-dialog [challenges]="challenges" (answered)="mfa.next($event)" />
        }
        @if (view.oauth; as oauth) {
          <p><button type="button" data-testid="oauth-open" (click)="openSignIn(oauth)">Sign in at {{ oauth.institutionCode }}</button></p>
        }
        @if (httpProgress$ | async; as p) {
          <p class="progress" data-testid="http-progress">Receiving {{ p.path }}: {{ p.loaded }}{{ p.total ? ' of ' + p.total : '' }} bytes</p>
        }
        @if (view.progress; as p) {
          <p class="progress" data-testid="progress">{{ p.statementGuid }}: {{ p.received }}{{ p.total ? ' of ' + p.total : '' }} bytes</p>
        }
      }
      <ul data-testid="pdfs">
        @for (pdf of view.pdfs; track pdf.guid) {
          <li><a [href]="pdf.url" [attr.download]="pdf.guid + '.pdf'" data-testid="pdf-link">{{ pdf.guid }}</a> ({{ pdf.bytes }} bytes)</li>
        }
      </ul>
    }
  `,
})
export class StatementsComponent implements OnInit, OnDestroy {
  readonly login = input.required<Login>();
  private readonly service = inject(StatementsService);
  private readonly cancel$ = new Subject<void>();
  private readonly urls: string[] = [];

  /** The MFA answers: the dialog pushes here, the workflow listens. */
  readonly mfa = new Subject<ChallengeAnswer[]>();
  readonly cancelled = signal(false);
  /** How the bank's sign-in window ended, in the person's words. */
  readonly signInOutcome = signal<string | null>(null);
  /** The sign-in window's reports: the popup pushes here, the workflow listens (an error ends the run at once). */
  private readonly oauthCompletions = new Subject<OAuthCompletion>();
  private popup = Subscription.EMPTY;
  /** The window was closed without a report: the page's word about it holds only while the run waits. */
  private closedUnreported = false;
  /** Bytes as Angular's backend receives them (the core's own progress comes once a PDF is whole). */
  readonly httpProgress$ = injectMxDownloadProgress();
  view$!: Observable<View>;

  ngOnInit(): void {
    // The async pipe subscribes (starting the run) and unsubscribes on destroy; Cancel ends it early. Either
    // way the request in flight is aborted (HttpClient cancels it) and polling stops.
    this.view$ = this.service.run(this.login(), this.mfa, this.oauthCompletions).pipe(
      takeUntil(this.cancel$),
      scan(reduceView(this.service.sink), initialView),
      tap((view) => {
        view.pdfs.forEach((pdf) => this.urls.includes(pdf.url) || this.urls.push(pdf.url));
        if (view.finished || view.oauth === null) this.signInOver();
      }),
      startWith(initialView),
    );
  }

  cancel(): void {
    this.cancelled.set(true);
    this.cancel$.next();
    this.signInOver();
  }

  /**
   * Opens the bank's sign-in window (from the click). Its report goes to the run; a window closed without one only
   * gets a word on the page (the person may have authorized just before: the run finds out from MX).
   */
  openSignIn(oauth: OAuthRequiredEvent): void {
    this.popup.unsubscribe();
    this.signInOutcome.set(null);
    this.popup = openOAuthPopup(oauth.url, oauth.memberGuid).subscribe({
      next: (end) => {
        this.signInOutcome.set(describeSignIn(end));
        this.closedUnreported = end.closed;
        if (!end.closed) this.oauthCompletions.next(end.completion);
      },
      error: (e: Error) => this.signInOutcome.set(e.message), // blocked: the button stays, to try again
    });
  }

  /** The run no longer waits for the sign-in: stop watching the window; a word about a closed window is stale. */
  private signInOver(): void {
    this.popup.unsubscribe();
    if (this.closedUnreported) this.signInOutcome.set(null);
    this.closedUnreported = false;
  }

  ngOnDestroy(): void {
    this.cancel$.next();
    this.popup.unsubscribe();
    this.urls.forEach((url) => URL.revokeObjectURL(url));
    this.service.sink.delete();
  }
}

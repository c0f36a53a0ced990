// mfa-dialog.component.ts — one form per MFA round, for every MX challenge type.
import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';
import type { Challenge, ChallengeAnswer } from 'mx-statements-rx';

@Component({
  selector: 'app-mfa-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <form data-testid="mfa" (submit)="$event.preventDefault(); submit()">
      @for (c of challenges(); track c.guid) {
        <fieldset [attr.data-challenge-type]="c.type">
          <legend>{{ c.label ?? 'Security question' }}</legend>
          @if (c.image_data) {
            <img class="challenge" [src]="imageSrc(c.image_data)" alt="The image your bank asks about" />
          }
          @if (c.image_options?.length) {
            @for (o of c.image_options; track o.value) {
              <label>
                <input type="radio" [name]="c.guid" [value]="o.value" (change)="set(c.guid, o.value)" />
                @if (o.data_uri) { <img class="challenge" [src]="imageSrc(o.data_uri)" [alt]="o.label ?? o.value" /> }
                {{ o.label ?? '' }}
              </label>
            }
          } @else if (c.options?.length) {
            @for (o of c.options; track o.value) {
              <label><input type="radio" [name]="c.guid" [value]="o.value" (change)="set(c.guid, o.value)" /> {{ o.label ?? o.value }}</label>
            }
          } @else {
            <!-- A code or a word read off the image is typed in the clear; a security answer is hidden. -->
            <input [name]="c.guid" [type]="c.type === 'TOKEN' || c.image_data ? 'text' : 'password'" [attr.inputmode]="c.type === 'TOKEN' ? 'numeric' : null"
                   autocomplete="one-time-code" required (input)="set(c.guid, $any($event.target).value)" />
          }
        </fieldset>
      }
      <button type="submit" data-testid="mfa-submit">Send</button>
    </form>
  `,
})
export class MfaDialogComponent {
  readonly challenges = input.required<ReadonlyArray<Challenge>>();
  readonly answered = output<ChallengeAnswer[]>();
  private answers: Record<string, string> = {};

  /** MX sends `image_data` as bare base64 or as a data URI; either becomes a data URI. */
  imageSrc(data: string): string {
    return data.startsWith('data:') ? data : `data:image/png;base64,${data}`;
  }

  set(guid: string, value: string): void {
    this.answers = { ...this.answers, [guid]: value };
  }

  submit(): void {
    // One array per round, every challenge answered: the workflow PUTs /resume with it.
    this.answered.emit(this.challenges().map((c) => ({ guid: c.guid, value: this.answers[c.guid] ?? '' })));
    this.answers = {};
  }
}

// app.component.ts — the login form; each Start mounts a fresh run.
import { ChangeDetectionStrategy, Component, signal } from '@angular/core';
import { StatementsComponent } from './statements.component';
import type { Login } from './statements.service';

@Component({
  selector: 'app-root',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [StatementsComponent],
  template: `
    <h1>Bank statements</h1>
    <form data-testid="login" (submit)="$event.preventDefault(); start(institution.value, username.value, password.value)">
      <label>Bank <input #institution type="text" name="institution" value="MX Bank" /></label>
      <label>Username <input #username type="text" name="username" value="mxuser" autocomplete="username" /></label>
      <label>Password <input #password type="password" name="password" autocomplete="current-password" /></label>
      <button type="submit" data-testid="start">Get my statements</button>
    </form>
    @for (run of runs(); track run.id) {
      @if ($last) { <app-statements [login]="run.login" /> }
    }
  `,
})
export class AppComponent {
  private seq = 0;
  /** The latest run only is shown (track by id: a new Start destroys the old view, which cancels its run). */
  readonly runs = signal<ReadonlyArray<{ readonly id: number; readonly login: Login }>>([]);

  start(institution: string, username: string, password: string): void {
    const id = ++this.seq;
    // userId: your own id for the signed-in user; a fresh one per run keeps this demo's runs apart.
    const login: Login = { userId: `demo-${Date.now().toString(36)}-${id}`, institution, username, password };
    this.runs.set([{ id, login }]);
  }
}

/**
 * Whether webhooks arrive on a wakeups stream: what decides the failsafe pace ("while webhooks arrive", issue 13
 * §3). Kept per stream, so every run and every member of a batch that share a receiver's stream share what it
 * showed.
 *
 * @module
 */
import type { SchedulerLike } from 'rxjs';
import { WEBHOOK_SILENCE_MS } from './policy.js';

/** What one wakeups stream has shown, on the scheduler's clock. */
interface Shown {
  /** When a polling phase first asked about it. */
  readonly since: number;
  /** When its last wakeup (for any member) arrived. */
  last: number | undefined;
}

const streams = new WeakMap<object, Shown>();

/** The webhook activity of one wakeups stream, as one run sees it. */
export interface WebhookActivity {
  /**
   * True while webhooks can be taken to arrive: in the first {@link WEBHOOK_SILENCE_MS} after the stream was first
   * watched (none could have come yet), then while its last wakeup is at most that old.
   */
  arriving(): boolean;
  /** A wakeup arrived (for any member). */
  seen(): void;
}

/**
 * The activity of `stream`, read and recorded on `scheduler`'s clock.
 *
 * @example
 * ```ts
 * import { Subject, asyncScheduler } from 'rxjs';
 * import { webhookActivity } from './webhook-activity.js';
 * const hooks = new Subject<{ memberGuid: string }>();
 * webhookActivity(hooks, asyncScheduler).arriving(); // true: a fresh stream
 * ```
 */
export const webhookActivity = (stream: object, scheduler: SchedulerLike): WebhookActivity => {
  const shown = (): Shown => {
    let s = streams.get(stream);
    if (s === undefined) {
      s = { since: scheduler.now(), last: undefined };
      streams.set(stream, s);
    }
    return s;
  };
  return {
    arriving: () => {
      const s = shown();
      return scheduler.now() - Math.max(s.since, s.last ?? -Infinity) <= WEBHOOK_SILENCE_MS;
    },
    seen: () => {
      shown().last = scheduler.now();
    },
  };
};

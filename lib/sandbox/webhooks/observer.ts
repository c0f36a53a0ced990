/**
 * Turns what happens to members into webhooks: CONNECTION_STATUS when a member reaches a status a person must act
 * on, STATEMENT when a statements job succeeds, AGGREGATION when a job that aggregated succeeds.
 *
 * @module
 */
import type { JobObserver } from '../jobs.js';
import type { SandboxState } from '../state.js';
import type { TimerSet } from '../timers.js';
import { aggregationWebhook, connectionStatusWebhook, statementWebhook, type SandboxWebhook } from './payloads.js';

/**
 * A {@link JobObserver} that sends MX's webhooks through `send`.
 *
 * @example
 * ```ts
 * import type { SandboxState } from '../state.js';
 * import type { TimerSet } from '../timers.js';
 * import { webhookObserver } from './observer.js';
 * declare const state: SandboxState;
 * declare const timers: TimerSet;
 *
 * const observer = webhookObserver(state, timers, (hook) => console.log(hook.type));
 * ```
 */
export function webhookObserver(state: SandboxState, timers: TimerSet, send: (hook: SandboxWebhook) => void): JobObserver {
  return {
    statusChanged(member) {
      const hook = connectionStatusWebhook(member);
      if (hook) send(hook);
    },
    jobEnded(member, job, ok, statementsCreated) {
      if (!ok) return;
      const now = timers.now();
      if (job.kind === 'statements') send(statementWebhook(member, statementsCreated, now));
      if (job.aggregates) {
        const user = state.findUser(member.userGuid);
        if (user) send(aggregationWebhook(member, user, job, now));
      }
    },
  };
}

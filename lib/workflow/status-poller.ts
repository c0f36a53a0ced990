/**
 * The status poll of one run, built once: every polling phase of the run (waiting out another job, following
 * the statements job, watching a CHALLENGED member, waiting for an OAuth window) goes through it, so polls are
 * numbered across the run, the policy is chosen when each phase starts, and wakeups reach every phase.
 *
 * @module
 */
import { defer, map, tap, type Observable } from 'rxjs';
import type { MemberRef } from '../api/refs.js';
import type { MemberStatus } from '../codecs/index.js';
import type { MxError } from '../core/errors.js';
import type { StatusEvent } from './events.js';
import type { WorkflowContext } from './input.js';
import type { PollPolicy } from './policy.js';
import { forMember, pollTimeout, pollUntil$ } from './polling.js';

/** One poll of a phase: the public `status` event, the status itself and the phase's folded state. */
export interface Polled<W> {
  readonly event: StatusEvent;
  readonly status: MemberStatus;
  readonly state: W;
}

/** What a polling phase polls for. */
export interface PollPhase<W> {
  /** Ends the phase after (and including) this poll. `policy` is the one chosen when the phase started. */
  readonly isEnd: (status: MemberStatus, state: W, policy: Required<PollPolicy>) => boolean;
  /** State carried from poll to poll (e.g. "the job showed itself"). */
  readonly fold?: { readonly seed: W; readonly step: (state: W, status: MemberStatus) => W };
  /** Default: the policy's `deadlineMs`. */
  readonly deadlineMs?: number;
  /** Default: `PollTimeout`. */
  readonly onDeadline?: (last: MemberStatus | undefined, deadlineMs: number) => MxError;
}

/** The status poll of one run. */
export interface StatusPoller {
  /** Polls until the phase ends; emits one {@link Polled} per poll; fails as `pollUntil$` does. */
  phase$<W = undefined>(phase: PollPhase<W>): Observable<Polled<W>>;
}

/** Builds the status poll of one run of `ref` (call it once per run). */
export const createStatusPoller = (ctx: WorkflowContext, ref: MemberRef): StatusPoller => {
  const { members } = ctx.client;
  const wakeup$ = ctx.wakeups === undefined ? undefined : forMember(ctx.wakeups, ref.memberGuid, ctx.webhooks?.seen);
  let polls = 0;
  /** When the run's last poll answered: a wakeup never polls sooner than `minIntervalMs` after it, across phases. */
  let lastPollAt: number | undefined;
  return {
    phase$: <W>(phase: PollPhase<W>) =>
      defer(() => {
        const policy = ctx.pollPolicy();
        return pollUntil$<MemberStatus, W>(() => members.status$(ref), {
          policy,
          isEnd: (s, w) => phase.isEnd(s, w, policy),
          ...(phase.fold !== undefined ? { fold: phase.fold } : {}),
          scheduler: ctx.scheduler,
          random: ctx.random,
          onDeadline: phase.onDeadline ?? pollTimeout(ref),
          maxRetryAfterMs: ctx.client.config.retry.maxRetryAfterMs,
          ...(phase.deadlineMs !== undefined ? { deadlineMs: phase.deadlineMs } : {}),
          ...(wakeup$ !== undefined ? { wakeup$ } : {}),
          ...(lastPollAt !== undefined ? { lastPollAt } : {}),
        });
      }).pipe(
        tap(() => {
          lastPollAt = ctx.scheduler.now();
        }),
        map((t): Polled<W> => ({
          event: {
            type: 'status',
            memberGuid: ref.memberGuid,
            connectionStatus: t.value.connection_status ?? null,
            isBeingAggregated: t.value.is_being_aggregated ?? null,
            attempt: (polls += 1),
            nextDelayMs: t.nextDelayMs,
          },
          status: t.value,
          state: t.state,
        })),
      ),
  };
};

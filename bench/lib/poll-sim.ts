/**
 * One status-polling run in virtual time: the workflow's own `pollUntil$` operator against a fake status source
 * that reports "done" from `jobMs` on. No network, no real timers.
 */
import * as E from 'fp-ts/lib/Either.js';
import { VirtualAction, VirtualTimeScheduler, defer, of } from 'rxjs';
import type { MxError } from '../../lib/core/errors.js';
import type { PollPolicy } from '../../lib/workflow/policy.js';
import { pollUntil$ } from '../../lib/workflow/polling.js';

/** What one simulated run measured. */
export interface PollRun {
  /** Status requests made. */
  readonly statusRequests: number;
  /** From the job's end to the poll that saw it, ms; `undefined` if polling never saw it. */
  readonly lagMs: number | undefined;
}

const deadlineError = (): MxError => ({
  _tag: 'PollTimeout', method: 'GET', path: '/status', memberGuid: 'MBR-bench', deadlineMs: 0, message: 'deadline',
});

/**
 * Polls a job that ends at `jobMs` with `policy` (its deadline ignored: `deadlineMs` given separately, default
 * none), jitter from `random`.
 */
export const simulatePolling = (
  jobMs: number,
  policy: PollPolicy,
  random: () => number,
  deadlineMs = Number.POSITIVE_INFINITY,
): PollRun => {
  const scheduler = new VirtualTimeScheduler(VirtualAction, Number.POSITIVE_INFINITY);
  let requests = 0;
  let seenAt: number | undefined;
  const status$ = () =>
    defer(() => {
      requests += 1;
      const done = scheduler.now() >= jobMs;
      if (done && seenAt === undefined) seenAt = scheduler.now();
      return of(E.right<MxError, boolean>(done));
    });
  const sub = pollUntil$(status$, {
    policy,
    isEnd: (done) => done,
    scheduler,
    random,
    deadlineMs,
    onDeadline: deadlineError,
  }).subscribe({ error: () => undefined });
  scheduler.flush();
  sub.unsubscribe();
  return { statusRequests: requests, lagMs: seenAt === undefined ? undefined : seenAt - jobMs };
};

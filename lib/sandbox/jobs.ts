/**
 * Aggregation and statements jobs: a timed state machine per member, driven by the password table.
 *
 * Timeline with `step = aggregationMs / 2`: start (`is_being_aggregated` true) → after one step the login is
 * judged (an error status ends the job; a challenge makes it CHALLENGED and waits up to `challengeTtlMs`; success
 * goes on) → after another step CONNECTED (`is_being_aggregated` false). An answer to `/resume` makes it RESUMED;
 * one step later the answer is judged (CONNECTED, another challenge round, REJECTED, or an error status).
 *
 * @module
 */
import { buildChallenge, judgeAnswers } from './challenges.js';
import type { IdFactory } from './ids.js';
import { STATUS_MESSAGES, passwordRule, type ChallengeKind, type PasswordRule } from './passwords.js';
import type { JobKind, JobRecord, MemberRecord } from './state.js';
import type { TimerSet } from './timers.js';

/** What the job runner needs from the server. */
export interface JobEnv {
  readonly timers: TimerSet;
  readonly ids: IdFactory;
  readonly aggregationMs: number;
  readonly challengeTtlMs: number;
}

const nowIso = (): string => new Date().toISOString();

/**
 * Starts, resumes and cancels members' jobs.
 *
 * @example
 * ```ts
 * import { createIdFactory } from './ids.js';
 * import { JobRunner } from './jobs.js';
 * import type { MemberRecord } from './state.js';
 * import { TimerSet } from './timers.js';
 * declare const member: MemberRecord;
 *
 * const timers = new TimerSet((e) => console.error(e));
 * const jobs = new JobRunner({ timers, ids: createIdFactory('seed'), aggregationMs: 1000, challengeTtlMs: 300_000 });
 * jobs.start(member, 'statements');
 * ```
 */
export class JobRunner {
  private readonly timersOf = new WeakMap<JobRecord, Set<() => void>>();

  constructor(private readonly env: JobEnv) {}

  private get step(): number {
    return Math.floor(this.env.aggregationMs / 2);
  }

  /** Starts a job on a member that has none running (the caller checks) and returns it. */
  start(member: MemberRecord, kind: JobKind): JobRecord {
    const pending = new Set<() => void>();
    const password = passwordOf(member);
    const job: JobRecord = {
      guid: this.env.ids.next('JOB'),
      kind,
      running: true,
      password,
      impaired: !member.isOauth && isImpaired(member),
      round: 0,
      cancel: () => {
        for (const cancel of pending) cancel();
        pending.clear();
      },
    };
    this.timersOf.set(job, pending);
    const firstJob = member.aggregatedAt === null;
    member.job = job;
    member.isBeingAggregated = true;
    member.aggregatedAt = nowIso();
    member.challenges = [];
    if (member.connectionStatus !== 'CONNECTED') {
      const status = firstJob && !member.credentialsChanged ? 'CREATED' : 'UPDATED';
      setStatus(member, status, STATUS_MESSAGES[status] ?? status);
    }
    member.credentialsChanged = false;
    this.later(member, job, this.step, () => this.login(member, job));
    return job;
  }

  /** Takes answers for a CHALLENGED member (the caller checks the state): RESUMED now, judged one step later. */
  resume(member: MemberRecord, answers: ReadonlyMap<string, string>): void {
    const job = member.job;
    if (!job?.running) return;
    job.cancel();
    const verdict = judgeAnswers(member.challenges, answers);
    setStatus(member, 'RESUMED', STATUS_MESSAGES.RESUMED ?? 'RESUMED');
    member.challenges = [];
    this.later(member, job, this.step, () => {
      if (verdict.kind === 'pass') this.finish(member, job);
      else if (verdict.kind === 'follow-up') this.challenge(member, job, 'TEXT', job.round + 1);
      else if (verdict.kind === 'wrong') this.end(member, job, 'REJECTED', STATUS_MESSAGES.REJECTED ?? 'REJECTED');
      else this.endWith(member, job, verdict.rule);
    });
  }

  /** Stops a member's running job and forgets its timers (on delete and close). */
  cancel(member: MemberRecord): void {
    const job = member.job;
    if (!job) return;
    job.cancel();
    job.running = false;
    member.isBeingAggregated = false;
  }

  private later(member: MemberRecord, job: JobRecord, ms: number, fn: () => void): void {
    const pending = this.timersOf.get(job);
    if (!pending) return;
    const cancel = this.env.timers.after(ms, () => {
      pending.delete(cancel);
      if (member.job === job && job.running) fn();
    });
    pending.add(cancel);
  }

  private login(member: MemberRecord, job: JobRecord): void {
    if (job.impaired) {
      this.end(member, job, 'IMPAIRED', STATUS_MESSAGES.IMPAIRED ?? 'IMPAIRED');
      return;
    }
    const rule = member.isOauth ? undefined : passwordRule(job.password ?? '');
    if (rule?.result === 'CHALLENGED' && rule.challenge) {
      this.challenge(member, job, rule.challenge, 1);
    } else if (rule !== undefined && rule.result !== 'CONNECTED') {
      this.endWith(member, job, rule);
    } else {
      member.isAuthenticated = true;
      this.later(member, job, this.step, () => this.finish(member, job));
    }
  }

  private challenge(member: MemberRecord, job: JobRecord, kind: ChallengeKind, round: number): void {
    job.round = round;
    member.challenges = [buildChallenge(this.env.ids, kind, round)];
    setStatus(member, 'CHALLENGED', `${member.institution.name} is asking for additional authentication`);
    this.later(member, job, this.env.challengeTtlMs, () =>
      this.end(member, job, 'EXPIRED', STATUS_MESSAGES.EXPIRED ?? 'EXPIRED'),
    );
  }

  private finish(member: MemberRecord, job: JobRecord): void {
    member.isAuthenticated = true;
    member.successfullyAggregatedAt = nowIso();
    if (job.kind === 'statements') member.statementsAvailable = true;
    this.end(member, job, 'CONNECTED', `Connected to ${member.institution.name}`);
  }

  private endWith(member: MemberRecord, job: JobRecord, rule: PasswordRule): void {
    member.isAuthenticated = false;
    this.end(member, job, rule.result, rule.message);
  }

  private end(member: MemberRecord, job: JobRecord, status: string, message: string): void {
    job.cancel();
    job.running = false;
    member.challenges = [];
    member.isBeingAggregated = false;
    if (status !== 'CONNECTED') member.isAuthenticated = false;
    setStatus(member, status, message);
  }
}

const setStatus = (member: MemberRecord, status: string, message: string): void => {
  member.connectionStatus = status;
  member.connectionStatusMessage = message;
};

const passwordOf = (member: MemberRecord): string | undefined => {
  const field = member.institution.credentials.find((c) => c.field_name === 'PASSWORD');
  return field === undefined ? undefined : member.credentials.get(field.guid);
};

const isImpaired = (member: MemberRecord): boolean =>
  member.institution.credentials.some((c) => (member.credentials.get(c.guid) ?? '') === '');

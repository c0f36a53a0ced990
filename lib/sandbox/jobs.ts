/**
 * Aggregation and statements jobs: a timed state machine per member, driven by the password table.
 *
 * A request for a job (POST aggregate / fetch_statements, member creation, new credentials, an OAuth
 * authorization) is answered at once, but the job begins `jobStartDelayMs` later: until then the member shows
 * its previous state (a stale CONNECTED stays CONNECTED, not aggregating, with the previous job's guid), as MX
 * does. Asking again meanwhile joins it (202). A new aggregation this soon after the last successful one of the
 * same kind (`tooSoonMs`, MX Bank exempt by default) starts nothing (202 "too soon").
 *
 * Timeline once begun, with `step = aggregationMs / 2`: `is_being_aggregated` true, a new `most_recent_job_guid`
 * and `aggregated_at` → after one step the login is judged (an error status ends the job; a challenge makes it
 * CHALLENGED and waits up to `challengeTtlMs`; success goes on) → after another step CONNECTED
 * (`is_being_aggregated` false). An answer to `/resume` makes it RESUMED; one step later the answer is judged.
 *
 * @module
 */
import { buildChallenge, judgeAnswers } from './challenges.js';
import { errors } from './http-error.js';
import type { IdFactory } from './ids.js';
import { MX_BANK_CODE, MX_BANK_OAUTH_CODE } from './institutions-catalog.js';
import { STATUS_MESSAGES, passwordRule, type ChallengeKind, type PasswordRule } from './passwords.js';
import type { JobKind, JobRecord, MemberRecord } from './state.js';
import type { TimerSet } from './timers.js';

/** What a job does besides its kind. */
export interface JobSpec {
  readonly kind: JobKind;
  /** Whether it also runs a standard aggregation (default: `kind === 'aggregate'`). */
  readonly aggregates?: boolean;
}

/** Who asked for a job: only explicit API requests (`aggregate`, `fetch_statements`) can be "too soon". */
export type JobTrigger = 'api' | 'create' | 'credentials' | 'oauth';

/** What a request for a job led to. */
export type JobRequestOutcome = 'started' | 'joined' | 'too-soon';

/** What happens to members, for webhooks. */
export interface JobObserver {
  /** The member's `connection_status` was set (possibly to the same value). */
  statusChanged(member: MemberRecord): void;
  /** A job ended; `ok` when it ended CONNECTED. */
  jobEnded(member: MemberRecord, job: JobRecord, ok: boolean, statementsCreated: number): void;
}

/** The "too soon" rule. */
export interface TooSoonRule {
  /** 0 = off. */
  readonly ms: number;
  /** Whether MX Bank (`mxbank`, `mx_bank_oauth`) is limited too (MX's has no limit). */
  readonly mxBank: boolean;
}

/** What the job runner needs from the server. */
export interface JobEnv {
  readonly timers: TimerSet;
  readonly ids: IdFactory;
  readonly aggregationMs: number;
  readonly challengeTtlMs: number;
  readonly jobStartDelayMs: number;
  readonly tooSoon: TooSoonRule;
  /** Statements a member gets from its first successful statements job (for the STATEMENT webhook's count). */
  readonly statementsPerMember: number;
  readonly observer?: JobObserver;
}

const MX_BANK_CODES: ReadonlySet<string> = new Set([MX_BANK_CODE, MX_BANK_OAUTH_CODE]);

/**
 * Starts, joins, resumes and cancels members' jobs.
 *
 * @example
 * ```ts
 * import { REAL_CLOCK } from './clock.js';
 * import { createIdFactory } from './ids.js';
 * import { JobRunner } from './jobs.js';
 * import type { MemberRecord } from './state.js';
 * import { TimerSet } from './timers.js';
 * declare const member: MemberRecord;
 *
 * const timers = new TimerSet(REAL_CLOCK, (e) => console.error(e));
 * const jobs = new JobRunner({
 *   timers, ids: createIdFactory('seed'), aggregationMs: 1000, challengeTtlMs: 300_000, jobStartDelayMs: 100,
 *   tooSoon: { ms: 0, mxBank: false }, statementsPerMember: 6,
 * });
 * jobs.request(member, { kind: 'statements' }, 'api'); // 'started'
 * ```
 */
export class JobRunner {
  private readonly timersOf = new WeakMap<JobRecord, Set<() => void>>();

  constructor(private readonly env: JobEnv) {}

  private get step(): number {
    return Math.floor(this.env.aggregationMs / 2);
  }

  /** The job accepted or running on this member, if any. */
  active(member: MemberRecord): { readonly guid: string; readonly kind: JobKind } | undefined {
    return member.queuedJob ?? (member.job?.running ? member.job : undefined);
  }

  /**
   * Asks for a job: joins one of the same kind that is accepted or running, 409 when another kind is, 202
   * "too soon" (nothing started) inside the `tooSoonMs` window of an API request, otherwise accepts it.
   */
  request(member: MemberRecord, spec: JobSpec, trigger: JobTrigger): JobRequestOutcome {
    const active = this.active(member);
    if (active) {
      if (active.kind === spec.kind) return 'joined';
      const running = active.kind === 'statements' ? 'a statements job' : 'an aggregation';
      throw errors.conflict(`${running} (${active.guid}) is already running for member ${member.guid}`);
    }
    if (trigger === 'api' && this.tooSoon(member, spec.kind)) return 'too-soon';
    this.accept(member, spec);
    return 'started';
  }

  /** Takes answers for a CHALLENGED member (the caller checks the state): RESUMED now, judged one step later. */
  resume(member: MemberRecord, answers: ReadonlyMap<string, string>): void {
    const job = member.job;
    if (!job?.running) return;
    job.cancel();
    const verdict = judgeAnswers(member.challenges, answers);
    this.setStatus(member, 'RESUMED', STATUS_MESSAGES.RESUMED ?? 'RESUMED');
    member.challenges = [];
    this.later(member, job, this.step, () => {
      if (verdict.kind === 'pass') this.finish(member, job);
      else if (verdict.kind === 'follow-up') this.challenge(member, job, 'TEXT', job.round + 1);
      else if (verdict.kind === 'wrong') this.end(member, job, 'REJECTED', STATUS_MESSAGES.REJECTED ?? 'REJECTED');
      else this.endWith(member, job, verdict.rule);
    });
  }

  /** Stops a member's accepted or running job and forgets its timers (on delete and close). */
  cancel(member: MemberRecord): void {
    member.queuedJob?.cancel();
    member.queuedJob = null;
    const job = member.job;
    if (!job) return;
    job.cancel();
    job.running = false;
    member.isBeingAggregated = false;
  }

  /** Sets `connection_status` and its message, and tells the observer (webhooks). */
  setStatus(member: MemberRecord, status: string, message: string): void {
    member.connectionStatus = status;
    member.connectionStatusMessage = message;
    this.env.observer?.statusChanged(member);
  }

  private tooSoon(member: MemberRecord, kind: JobKind): boolean {
    const { ms, mxBank } = this.env.tooSoon;
    if (ms <= 0 || (!mxBank && MX_BANK_CODES.has(member.institution.code))) return false;
    const last = member.lastSuccessAt[kind];
    return last !== undefined && this.env.timers.now() - last < ms;
  }

  private accept(member: MemberRecord, spec: JobSpec): void {
    const guid = this.env.ids.next('JOB');
    const aggregates = spec.aggregates ?? spec.kind === 'aggregate';
    if (this.env.jobStartDelayMs <= 0) {
      this.begin(member, guid, spec.kind, aggregates);
      return;
    }
    const cancel = this.env.timers.after(this.env.jobStartDelayMs, () => {
      if (member.queuedJob?.guid !== guid) return;
      member.queuedJob = null;
      this.begin(member, guid, spec.kind, aggregates);
    });
    member.queuedJob = { guid, kind: spec.kind, aggregates, cancel };
  }

  private begin(member: MemberRecord, guid: string, kind: JobKind, aggregates: boolean): void {
    const pending = new Set<() => void>();
    const job: JobRecord = {
      guid,
      kind,
      aggregates,
      running: true,
      password: passwordOf(member),
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
    member.aggregatedAt = new Date(this.env.timers.now()).toISOString();
    member.challenges = [];
    if (member.isOauth) {
      member.isAuthenticated = true;
      this.setStatus(member, 'CONNECTED', `Connected to ${member.institution.name}`);
    } else if (member.connectionStatus !== 'CONNECTED') {
      const status = firstJob && !member.credentialsChanged ? 'CREATED' : 'UPDATED';
      this.setStatus(member, status, STATUS_MESSAGES[status] ?? status);
    }
    member.credentialsChanged = false;
    this.later(member, job, this.step, () => this.login(member, job));
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
    this.setStatus(member, 'CHALLENGED', `${member.institution.name} is asking for additional authentication`);
    this.later(member, job, this.env.challengeTtlMs, () =>
      this.end(member, job, 'EXPIRED', STATUS_MESSAGES.EXPIRED ?? 'EXPIRED'),
    );
  }

  private finish(member: MemberRecord, job: JobRecord): void {
    const now = this.env.timers.now();
    member.isAuthenticated = true;
    member.successfullyAggregatedAt = new Date(now).toISOString();
    member.lastSuccessAt[job.kind] = now;
    if (job.aggregates) member.lastSuccessAt.aggregate = now;
    let created = 0;
    if (job.kind === 'statements') {
      created = member.statementsAvailable ? 0 : this.env.statementsPerMember;
      member.statementsAvailable = true;
    }
    this.end(member, job, 'CONNECTED', `Connected to ${member.institution.name}`, created);
  }

  private endWith(member: MemberRecord, job: JobRecord, rule: PasswordRule): void {
    member.isAuthenticated = false;
    this.end(member, job, rule.result, rule.message);
  }

  private end(member: MemberRecord, job: JobRecord, status: string, message: string, statementsCreated = 0): void {
    job.cancel();
    job.running = false;
    member.challenges = [];
    member.isBeingAggregated = false;
    if (status !== 'CONNECTED') member.isAuthenticated = false;
    this.setStatus(member, status, message);
    this.env.observer?.jobEnded(member, job, status === 'CONNECTED', statementsCreated);
  }
}

const passwordOf = (member: MemberRecord): string | undefined => {
  const field = member.institution.credentials.find((c) => c.field_name === 'PASSWORD');
  return field === undefined ? undefined : member.credentials.get(field.guid);
};

const isImpaired = (member: MemberRecord): boolean =>
  member.institution.credentials.some((c) => (member.credentials.get(c.guid) ?? '') === '');

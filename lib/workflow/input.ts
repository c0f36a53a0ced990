/**
 * What `fetchStatements$` accepts, and how the options resolve against the client's configuration.
 *
 * @module
 */
import type { Observable, ObservableInput, SchedulerLike } from 'rxjs';
import type { MxClient } from '../api/client.js';
import type { MemberRef } from '../api/refs.js';
import type { ChallengeAnswer, Credential, ReferralSource } from '../codecs/index.js';
import type { TaggedError } from '../core/errors.js';
import { optionNumber } from '../core/option-number.js';
import { createSha256, type HasherFactory } from '../core/sha256.js';
import { basePollPolicy, resolvePollPolicy, type PollPolicy } from './policy.js';
import type { StatementSink } from './sink.js';
import { webhookActivity, type WebhookActivity } from './webhook-activity.js';
import { resolveDownloadSafety, type DownloadSafetyOptions, type ResolvedDownloadSafety } from './download-limits.js';

/**
 * The user to work under: your own `id` (created, or reused when it exists) or an existing user's `guid`.
 *
 * @example
 * ```ts
 * import type { UserSpec } from 'mx-statements-rx';
 * const byId: UserSpec = { id: 'customer-42' };
 * const byGuid: UserSpec = { guid: 'USR-123' };
 * ```
 */
export type UserSpec =
  | { readonly id: string; readonly email?: string; readonly metadata?: string }
  | { readonly guid: string };

/**
 * The institution: its `code`, or a `name` searched among institutions that support statements.
 *
 * @example
 * ```ts
 * import type { InstitutionSpec } from 'mx-statements-rx';
 * const mx: InstitutionSpec = { code: 'mxbank' };
 * ```
 */
export type InstitutionSpec = { readonly code: string } | { readonly name: string };

/**
 * Credential values by `field_name` (e.g. `{ LOGIN: 'mxuser', PASSWORD: 'password' }`).
 *
 * @example
 * ```ts
 * import type { CredentialValues } from 'mx-statements-rx';
 * const values: CredentialValues = { LOGIN: 'mxuser', PASSWORD: 'password' };
 * ```
 */
export type CredentialValues = Readonly<Record<string, string>>;

/**
 * The credentials: values by `field_name`, or a function of the institution's fields that yields them (a
 * prompt, a vault lookup). Only its first value is used; an error it raises reaches the error channel as is.
 *
 * @example
 * ```ts
 * import { from } from 'rxjs';
 * import type { CredentialsSpec } from 'mx-statements-rx';
 * const ask: CredentialsSpec = (fields) => from(Promise.resolve(Object.fromEntries(fields.map((f) => [f.field_name ?? f.guid, prompt(f.label ?? '') ?? '']))));
 * ```
 */
export type CredentialsSpec =
  | CredentialValues
  | ((fields: ReadonlyArray<Credential>) => ObservableInput<CredentialValues>);

/**
 * Where and how PDFs are downloaded.
 *
 * @example
 * ```ts
 * import { createMemorySink, type DownloadOptions } from 'mx-statements-rx';
 * const download: DownloadOptions = { sink: createMemorySink(), concurrency: 2, progress: true };
 * ```
 */
export interface DownloadOptions<SinkError extends TaggedError = never> extends DownloadSafetyOptions {
  /** Where verified PDFs go (the Node disk sink, `createMemorySink()`, or your own). */
  readonly sink: StatementSink<SinkError>;
  /** Downloads at once. Default 4. */
  readonly concurrency?: number;
  /** Attempts after the first for a download that failed in a way that may pass next time. Default 3. */
  readonly retries?: number;
  /** Emit `statement-progress` events (one per received chunk). Default false. */
  readonly progress?: boolean;
}

/**
 * A hint that something happened to a member (a webhook arrived for it): its status poll stops waiting and
 * reads the status now. See {@link WorkflowOptions.wakeups}.
 *
 * @example
 * ```ts
 * import type { MemberWakeup } from 'mx-statements-rx';
 * const w: MemberWakeup = { memberGuid: 'MBR-1' };
 * ```
 */
export interface MemberWakeup {
  readonly memberGuid: string;
}

/**
 * How an OAuth member is authorized (institutions with `supports_oauth`, such as `mx_bank_oauth`).
 *
 * @example
 * ```ts
 * import type { OAuthOptions } from 'mx-statements-rx';
 * const oauth: OAuthOptions = { referralSource: 'APP', clientRedirectUrl: 'myapp://mx-oauth-done', pendingTimeoutMs: Infinity };
 * ```
 */
export interface OAuthOptions {
  /**
   * Where MX sends the person when the OAuth window is done, with the outcome in the query. MX documents it
   * for `referralSource: 'APP'`; without it the window ends on a page saying it can be closed.
   */
  readonly clientRedirectUrl?: string;
  /** `'BROWSER'` (MX's default: a browser app opens the URL in a new window) or `'APP'` (a mobile app, never a webview). */
  readonly referralSource?: ReferralSource;
  /**
   * How long to wait for the person to finish the OAuth window (the member is PENDING meanwhile, which is not a
   * failure). Default 30 minutes; `Infinity` waits as long as the run is subscribed. Past it: `PollTimeout`
   * with `lastStatus: 'PENDING'`.
   */
  readonly pendingTimeoutMs?: number;
  /**
   * How the person's OAuth window ended, as your app hears it (MX's window message, the redirect's query, or
   * your popup watcher): an `error` for the run's member ends the wait at once with `ConnectionFailed` carrying
   * the `oauthErrorReason` (MX leaves a member whose person cancelled in the window as it was, so no status would
   * tell); a `success` is confirmed by the statuses that follow. A window closed without a message is no decision
   * (the person may have pressed Authorize just before): report nothing for it, and let the person cancel the run. Only the first report for the member counts
   * (the window reports once). Subscribed only while the run waits for the window.
   */
  readonly completions?: Observable<OAuthCompletion>;
}

/**
 * How MX's OAuth window ended, as your app heard it: the window message (`oauthComplete/success` with
 * `metadata.member_guid`, or `oauthComplete/error` with `metadata.error_reason`), the `client_redirect_url` query
 * (`status`, `member_guid`, `error_reason`). See {@link OAuthOptions.completions}.
 *
 * @example
 * ```ts
 * import type { OAuthCompletion } from 'mx-statements-rx';
 * const cancelled: OAuthCompletion = { memberGuid: 'MBR-1', status: 'error', errorReason: 'CANCELLED' };
 * ```
 */
export interface OAuthCompletion {
  readonly memberGuid: string;
  readonly status: 'success' | 'error';
  /** With `error`: CANCELLED, DENIED, IMPEDED, PROVIDER_ERROR, SERVER_ERROR or SESSION_ERROR (MX's reasons). */
  readonly errorReason?: string;
}

/**
 * The default of `oauth.pendingTimeoutMs`: 30 minutes.
 *
 * @example
 * ```ts
 * import { DEFAULT_OAUTH_PENDING_TIMEOUT_MS } from './input.js';
 * DEFAULT_OAUTH_PENDING_TIMEOUT_MS; // 1800000
 * ```
 */
export const DEFAULT_OAUTH_PENDING_TIMEOUT_MS = 30 * 60_000;

/**
 * Options shared by every kind of run (and by every member of a batch).
 *
 * @example
 * ```ts
 * import type { WorkflowOptions } from 'mx-statements-rx';
 * const options: WorkflowOptions = { mfaTimeoutMs: 120_000, polling: { deadlineMs: 15 * 60_000 }, stepRetries: 5 };
 * ```
 */
export interface WorkflowOptions<SinkError extends TaggedError = never> {
  /**
   * Your MFA answers, one array per challenge round (`Subject<ChallengeAnswer[]>` you own). It is subscribed
   * once, when the run starts, so answers pushed from a `challenged` handler (even synchronously) are never
   * lost; answers pushed before a round are kept for it. Without it, a CHALLENGED member ends the run with
   * `MfaRequired`.
   */
  readonly mfa?: Observable<ReadonlyArray<ChallengeAnswer>>;
  /** Per round: how long to wait for answers before `MfaTimeout`. Default 5 minutes. */
  readonly mfaTimeoutMs?: number;
  /** `false` (the default) stops after listing; `{ sink }` downloads, verifies and stores every statement. */
  readonly download?: false | DownloadOptions<SinkError>;
  /**
   * Overrides of the polling policy. The profile underneath is chosen when each polling phase starts:
   * `WEBHOOK_FAILSAFE_POLLING` while webhooks arrive on `wakeups`, else `SANDBOX_POLLING` once the server said it
   * is the embedded sandbox (`client.hints.sandbox`), else `MX_POLLING`. Pass a whole profile (e.g.
   * `SANDBOX_POLLING`) to pick it. Each value is checked on its own when the run is subscribed (a `RangeError`);
   * a bound you give wins over a profile's bound that contradicts it.
   */
  readonly polling?: Partial<PollPolicy>;
  /**
   * Webhook hints: a `{ memberGuid }` for this run's member ends the current poll's wait early (the status is
   * still read from the API; never sooner than the policy's `minIntervalMs` after the previous poll). While
   * webhooks arrive the default pace is the slow `WEBHOOK_FAILSAFE_POLLING`, so polls mostly happen when a webhook
   * says something changed: from the stream's first use, and for as long as its last wakeup (for any member) is
   * at most 2 minutes old. A stream silent for longer (a receiver MX never calls) gets the
   * normal pace at the next polling phase. Subscribed only while a status poll runs.
   */
  readonly wakeups?: Observable<MemberWakeup>;
  /** OAuth members: the window's redirect and referral source, and how long PENDING may last. */
  readonly oauth?: OAuthOptions;
  /** Retries of a step (create user/member, start the job) after a failure that may pass next time. Default 3. */
  readonly stepRetries?: number;
  /** How many 409s (another job running) to wait out before starting the statements job. Default 3. */
  readonly jobConflictRetries?: number;
  /** The scheduler of every timer. Default: the client's. */
  readonly scheduler?: SchedulerLike;
  /** Jitter source in `[0, 1)`. Default: the client's. */
  readonly random?: () => number;
  /** SHA-256 factory for verifying PDFs. Default: the built-in isomorphic one (`createSha256`). */
  readonly hasher?: HasherFactory;
}

/**
 * The full workflow: user → institution → credentials (or OAuth) → member → statements job → poll/MFA → list →
 * download.
 *
 * @example
 * ```ts
 * import type { NewMemberInput } from 'mx-statements-rx';
 * const input: NewMemberInput = { user: { id: 'c-1' }, institution: { code: 'mxbank' }, credentials: { LOGIN: 'mxuser', PASSWORD: 'password' } };
 * const oauth: NewMemberInput = { user: { id: 'c-1' }, institution: { code: 'mx_bank_oauth' } }; // no credentials
 * ```
 */
export interface NewMemberInput<SinkError extends TaggedError = never> extends WorkflowOptions<SinkError> {
  readonly user: UserSpec;
  readonly institution: InstitutionSpec;
  /**
   * The institution's credential values. Not used for an OAuth institution (`supports_oauth`): the person signs
   * in at the bank through the OAuth window (`oauth-required`), so the credentials step is skipped and these are
   * neither asked for nor sent. For any other institution, leaving them out ends the run with
   * `MissingCredentials` naming the fields.
   */
  readonly credentials?: CredentialsSpec;
  /** On a 409 creating the member: `'reuse'` (default) the user's member for that institution, or `'fail'`. */
  readonly onConflict?: 'reuse' | 'fail';
}

/**
 * An existing member (e.g. created through MX Connect): statements job → poll → list → download.
 *
 * @example
 * ```ts
 * import type { ExistingMemberInput } from 'mx-statements-rx';
 * const input: ExistingMemberInput = { member: { userGuid: 'USR-1', memberGuid: 'MBR-1' } };
 * ```
 */
export interface ExistingMemberInput<SinkError extends TaggedError = never> extends WorkflowOptions<SinkError> {
  readonly member: MemberRef;
}

/**
 * The input of `fetchStatements$`: a new (or reused) member, or an existing one. `SinkError` is the errors of
 * the download sink's own, if it has some (see `StatementSink`); TypeScript infers it from `download.sink`.
 *
 * @example
 * ```ts
 * import { Subject } from 'rxjs';
 * import type { ChallengeAnswer, FetchStatementsInput } from 'mx-statements-rx';
 * const mfa = new Subject<ChallengeAnswer[]>();
 * const input: FetchStatementsInput = {
 *   user: { id: 'customer-42' },
 *   institution: { name: 'MX Bank' },
 *   credentials: { LOGIN: 'mxuser', PASSWORD: 'password' },
 *   mfa,
 * };
 * ```
 */
export type FetchStatementsInput<SinkError extends TaggedError = never> = NewMemberInput<SinkError> | ExistingMemberInput<SinkError>;

/**
 * Whether an input names an existing member.
 *
 * @example
 * ```ts
 * import { isExistingMemberInput } from './input.js';
 * isExistingMemberInput({ member: { userGuid: 'USR-1', memberGuid: 'MBR-1' } }); // true
 * ```
 */
export const isExistingMemberInput = (input: FetchStatementsInput): input is ExistingMemberInput =>
  typeof (input as Partial<ExistingMemberInput>).member === 'object' && (input as Partial<ExistingMemberInput>).member !== null;

/**
 * The MFA answer per-round default.
 *
 * @example
 * ```ts
 * import { DEFAULT_MFA_TIMEOUT_MS } from './input.js';
 * DEFAULT_MFA_TIMEOUT_MS; // 300000
 * ```
 */
export const DEFAULT_MFA_TIMEOUT_MS = 5 * 60_000;

/**
 * Download defaults.
 *
 * @example
 * ```ts
 * import { DEFAULT_DOWNLOAD_CONCURRENCY } from './input.js';
 * DEFAULT_DOWNLOAD_CONCURRENCY; // 4
 * ```
 */
export const DEFAULT_DOWNLOAD_CONCURRENCY = 4;

/** The resolved download settings. */
export interface ResolvedDownload {
  readonly sink: StatementSink;
  readonly concurrency: number;
  readonly retries: number;
  readonly progress: boolean;
  /** Content-hash requirement, size cap, time and throughput bounds. */
  readonly safety: ResolvedDownloadSafety;
}

/** The OAuth settings of a run. */
export interface ResolvedOAuth {
  readonly clientRedirectUrl: string | undefined;
  readonly referralSource: ReferralSource | undefined;
  readonly pendingTimeoutMs: number;
  readonly completions: Observable<OAuthCompletion> | undefined;
}

/** Everything a step needs, resolved once per run. */
export interface WorkflowContext {
  readonly client: MxClient;
  readonly scheduler: SchedulerLike;
  readonly random: () => number;
  readonly hasher: HasherFactory;
  /** The polling policy in force now: called when a polling phase starts (the server's hints may have changed). */
  readonly pollPolicy: () => Required<PollPolicy>;
  readonly wakeups: Observable<MemberWakeup> | undefined;
  /** Whether webhooks arrive on `wakeups` (shared by every run on that stream); `undefined` without wakeups. */
  readonly webhooks: WebhookActivity | undefined;
  readonly oauth: ResolvedOAuth;
  readonly mfaTimeoutMs: number;
  readonly stepRetries: number;
  readonly jobConflictRetries: number;
  readonly download: ResolvedDownload | false;
}

const count = (name: string, v: number | undefined, fallback: number, min: number): number => optionNumber(name, v, fallback, { min, integer: true });

/** A time that must pass before something gives up: > 0, `Infinity` for never. */
const patience = (name: string, v: number | undefined, fallback: number): number => optionNumber(name, v, fallback, { min: 0, above: true, infinite: true });

/** Resolves the options of a run against the client. Throws a `RangeError`/`TypeError` for invalid options (a bug). */
export const resolveContext = (client: MxClient, o: WorkflowOptions): WorkflowContext => {
  const mfaTimeoutMs = patience('mfaTimeoutMs', o.mfaTimeoutMs, DEFAULT_MFA_TIMEOUT_MS);
  let download: ResolvedDownload | false = false;
  if (o.download !== undefined && o.download !== false) {
    const d = o.download as DownloadOptions | boolean;
    if (typeof d !== 'object' || d === null || typeof d.sink?.save$ !== 'function' || typeof d.sink.has$ !== 'function') {
      throw new TypeError('download: give false or { sink: StatementSink } (e.g. createMemorySink() or the Node disk sink)');
    }
    download = {
      sink: d.sink,
      concurrency: count('download.concurrency', d.concurrency, DEFAULT_DOWNLOAD_CONCURRENCY, 1),
      retries: count('download.retries', d.retries, 3, 0),
      progress: d.progress === true,
      safety: resolveDownloadSafety(d),
    };
  }
  const pendingTimeoutMs = patience('oauth.pendingTimeoutMs', o.oauth?.pendingTimeoutMs, DEFAULT_OAUTH_PENDING_TIMEOUT_MS);
  if (o.wakeups !== undefined && typeof o.wakeups?.subscribe !== 'function') throw new TypeError('wakeups: must be an Observable of { memberGuid }');
  if (o.oauth?.completions !== undefined && typeof o.oauth.completions?.subscribe !== 'function') {
    throw new TypeError('oauth.completions: must be an Observable of { memberGuid, status, errorReason? }');
  }
  const polling = o.polling ?? {};
  // Invalid values fail now, not at the first poll: each is checked on its own, whatever profile a phase picks.
  resolvePollPolicy(polling);
  const scheduler = o.scheduler ?? client.config.scheduler;
  const webhooks = o.wakeups === undefined ? undefined : webhookActivity(o.wakeups, scheduler);
  return {
    client,
    scheduler,
    random: o.random ?? client.config.random,
    hasher: o.hasher ?? createSha256,
    pollPolicy: () => resolvePollPolicy(polling, basePollPolicy(client.hints, webhooks?.arriving() ?? false)),
    wakeups: o.wakeups,
    webhooks,
    oauth: { clientRedirectUrl: o.oauth?.clientRedirectUrl, referralSource: o.oauth?.referralSource, pendingTimeoutMs, completions: o.oauth?.completions },
    mfaTimeoutMs,
    stepRetries: count('stepRetries', o.stepRetries, 3, 0),
    jobConflictRetries: count('jobConflictRetries', o.jobConflictRetries, 3, 0),
    download,
  };
};

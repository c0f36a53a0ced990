/**
 * One human line per workflow event, shared by the plain and TTY renderers. Lines are plain text: the renderer
 * escapes them ({@link terminalSafe}) before it adds marks and colours, so server text inside cannot act on the
 * terminal.
 *
 * @module
 */
import type { StatementEvent } from '../../workflow/events.js';
import { displayPath, formatBytes, formatDuration } from './format.js';
import { plural, shortGuid } from './text.js';

/** How a line is marked: a finished step, progress, something skipped, a question, a retry, a failure. */
export type LineKind = 'done' | 'progress' | 'skip' | 'question' | 'retry' | 'fail';

/** A described event: the text, and how it is marked. */
export interface Line {
  readonly kind: LineKind;
  readonly text: string;
}

/** Context the descriptions need. */
export interface DescribeContext {
  /** The working directory, to show saved paths relative to it. */
  readonly cwd: string;
  /**
   * For a terminal: guids shortened in the middle (`MBR-59be…1b71`) and saved files named without their
   * folder (the summary names it). Default false: full guids and paths, for logs.
   */
  readonly compact?: boolean;
  /**
   * Institution names by code, as `institution-found` told them (the renderer keeps it), so later lines can name the
   * institution ("Sign in to MX Bank (OAuth)") where the event only has its code.
   */
  readonly institutions?: ReadonlyMap<string, string>;
}

/** The institution's name when known (from `institution-found`), else its code. */
export const institutionLabel = (code: string, ctx: Pick<DescribeContext, 'institutions'>): string => ctx.institutions?.get(code) ?? code;

/**
 * When MX last aggregated successfully, for people: `2026-12-01 08:00 UTC`.
 *
 * @example
 * ```ts
 * import { aggregatedAt } from './describe.js';
 *
 * aggregatedAt('2026-12-01T08:00:13Z'); // '2026-12-01 08:00 UTC'
 * ```
 */
export const aggregatedAt = (iso: string): string => {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : `${new Date(t).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
};

const UNVERIFIED = 'unverified: MX sent no content_hash';

const guid = (g: string, ctx: DescribeContext) => (ctx.compact ? shortGuid(g) : g);

/**
 * The line for an event; `undefined` for events that only drive the live display (`statement-progress`) and
 * for `done` (the summary after the run says it once).
 *
 * @example
 * ```ts
 * import { describeEvent } from './describe.js';
 *
 * describeEvent({ type: 'institution-found', code: 'mxbank', name: 'MX Bank' }, { cwd: '/' });
 * // { kind: 'done', text: 'Institution MX Bank (mxbank)' }
 * ```
 */
export const describeEvent = (ev: StatementEvent, ctx: DescribeContext): Line | undefined => {
  switch (ev.type) {
    case 'user-ready':
      // userGuid is null in v20250224 when the user already existed: it is addressed by its id
      return { kind: 'done', text: `User ${ev.userGuid === null ? `id ${ev.userId ?? '?'}` : `${guid(ev.userGuid, ctx)}${ev.userId ? ` (id ${ev.userId})` : ''}`} ${ev.created ? 'created' : 'ready'}` };
    case 'institution-found':
      return { kind: 'done', text: `Institution ${ev.name ?? ev.code} (${ev.code})` };
    case 'credentials-required':
      return { kind: 'done', text: `The institution asks for ${ev.fields.map((f) => f.label ?? f.fieldName ?? f.guid).join(', ') || 'no credentials'}` };
    case 'member-ready':
      return { kind: 'done', text: `Member ${guid(ev.memberGuid, ctx)} ${ev.reused ? 'reused (it already existed)' : 'created'}` };
    case 'oauth-required':
      return { kind: 'question', text: `Sign in to ${institutionLabel(ev.institutionCode, ctx)} in your browser: ${ev.url}` };
    case 'statements-job-started':
      return { kind: 'done', text: ev.joined ? 'Statements job already running: following it' : 'Statements job started' };
    case 'statements-job-unconfirmed':
      return {
        kind: 'skip',
        text: `MX started no new job: too soon after the last one${ev.successfullyAggregatedAt ? ` (${aggregatedAt(ev.successfullyAggregatedAt)})` : ''}; listing what MX has`,
      };
    case 'status':
      return {
        kind: 'progress',
        text: `Status ${ev.connectionStatus ?? 'unknown'}${ev.isBeingAggregated ? ', aggregating' : ''} (poll ${ev.attempt}` +
          `${ev.nextDelayMs !== null ? `, next in ${formatDuration(ev.nextDelayMs)}` : ''})`,
      };
    case 'challenged':
      return { kind: 'question', text: `MFA round ${ev.round}: the institution asks ${plural(ev.challenges.length, 'question')}` };
    case 'challenge-answered':
      return { kind: 'done', text: `MFA round ${ev.round} answered` };
    case 'connected':
      return { kind: 'done', text: `Connected after ${plural(ev.polls, 'poll')}${ev.mfaRounds ? `, ${plural(ev.mfaRounds, 'MFA round')}` : ''}` };
    case 'statement-listed':
      return {
        kind: 'progress',
        text: `Statement ${guid(ev.statement.guid, ctx)} listed${ev.statement.account_guid ? ` (account ${guid(ev.statement.account_guid, ctx)})` : ''}`,
      };
    case 'statement-progress':
      return undefined;
    case 'statement-downloaded':
      return {
        kind: 'done',
        text: (ctx.compact
          ? `Saved ${shortGuid(ev.statementGuid)} (${formatBytes(ev.bytes)})`
          : `Saved ${ev.statementGuid} (${formatBytes(ev.bytes)}) → ${displayPath(ev.location, ctx.cwd)}`) + (ev.unverified ? `, ${UNVERIFIED}` : ''),
      };
    case 'statement-skipped':
      return {
        kind: 'skip',
        text: ev.unverified
          ? (ctx.compact
            ? `Already saved: ${shortGuid(ev.statementGuid)}, ${UNVERIFIED}`
            : `Already saved: ${ev.statementGuid} at ${displayPath(ev.location, ctx.cwd)}, ${UNVERIFIED}`)
          : (ctx.compact
            ? `Already saved and verified: ${shortGuid(ev.statementGuid)}`
            : `Already saved and verified: ${ev.statementGuid} at ${displayPath(ev.location, ctx.cwd)}`),
      };
    case 'done':
      return undefined;
  }
};

/**
 * What the live display says while waiting for the step after `ev` (`undefined` once the run is done).
 *
 * @example
 * ```ts
 * import { nextStep } from './describe.js';
 *
 * nextStep({ type: 'connected', memberGuid: 'MBR-1', polls: 3, mfaRounds: 0 }); // 'Listing statements'
 * ```
 */
export const nextStep = (ev: StatementEvent | undefined): string | undefined => {
  if (ev === undefined) return 'Preparing the user';
  switch (ev.type) {
    case 'user-ready':
      return 'Finding the institution';
    case 'institution-found':
      return 'Reading the credential fields';
    case 'credentials-required':
      return 'Creating the member';
    case 'member-ready':
      return 'Starting the statements job';
    case 'oauth-required':
      return 'Waiting for your sign-in at the bank';
    case 'statements-job-started':
    case 'challenge-answered':
      return 'Waiting for the institution';
    case 'status':
      return `Waiting: ${ev.connectionStatus ?? 'unknown'}${ev.isBeingAggregated ? ', aggregating' : ''} · poll ${ev.attempt}`;
    case 'challenged':
      return 'Waiting for MFA answers';
    case 'connected':
    case 'statements-job-unconfirmed':
      return 'Listing statements';
    case 'statement-listed':
    case 'statement-progress':
    case 'statement-downloaded':
    case 'statement-skipped':
      return 'Downloading statements';
    case 'done':
      return undefined;
  }
};

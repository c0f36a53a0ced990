/**
 * One human line per workflow event, shared by the plain and TTY renderers.
 *
 * @module
 */
import type { Challenge } from '../../codecs/index.js';
import type { MxError } from '../../core/errors.js';
import type { StatementEvent } from '../../workflow/events.js';
import { describeCliError, type CliError } from '../cli-error.js';
import { formatBytes, formatDuration, displayPath } from './format.js';

/** How a line is marked: a finished step, progress, something skipped, a question, a failure. */
export type LineKind = 'done' | 'progress' | 'skip' | 'question' | 'fail';

/** A described event: the text, and how it is marked. */
export interface Line {
  readonly kind: LineKind;
  readonly text: string;
}

/** Context the descriptions need. */
export interface DescribeContext {
  /** The working directory, to show saved paths relative to it. */
  readonly cwd: string;
}

const challengeText = (c: Challenge): string => {
  const type = c.type ?? 'TEXT';
  const label = c.label ? ` "${c.label}"` : '';
  const options = c.options?.length ? ` (${c.options.length} options)` : c.image_options?.length ? ` (${c.image_options.length} images)` : '';
  return `${type}${label}${options}`;
};

/**
 * The line for an event; `undefined` for events that only drive progress (`statement-progress`) or a spinner.
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
      return { kind: 'done', text: `User ${ev.userGuid}${ev.userId ? ` (id ${ev.userId})` : ''} ${ev.created ? 'created' : 'ready'}` };
    case 'institution-found':
      return { kind: 'done', text: `Institution ${ev.name ?? ev.code} (${ev.code})` };
    case 'credentials-required':
      return { kind: 'done', text: `Credentials asked: ${ev.fields.map((f) => f.label ?? f.fieldName ?? f.guid).join(', ') || 'none'}` };
    case 'member-ready':
      return { kind: 'done', text: `Member ${ev.memberGuid} ${ev.reused ? 'reused (it already existed)' : 'created'}` };
    case 'statements-job-started':
      return { kind: 'done', text: ev.joined ? 'Statements job already running: following it' : 'Statements job started' };
    case 'status':
      return {
        kind: 'progress',
        text: `Status ${ev.connectionStatus ?? 'unknown'}${ev.isBeingAggregated ? ', aggregating' : ''} (poll ${ev.attempt}` +
          `${ev.nextDelayMs !== null ? `, next in ${formatDuration(ev.nextDelayMs)}` : ''})`,
      };
    case 'challenged':
      return { kind: 'question', text: `MFA round ${ev.round}: ${ev.challenges.map(challengeText).join('; ')}` };
    case 'challenge-answered':
      return { kind: 'done', text: `MFA round ${ev.round} answered (${ev.challengeGuids.length} answer${ev.challengeGuids.length === 1 ? '' : 's'} sent)` };
    case 'connected':
      return { kind: 'done', text: `Connected after ${ev.polls} poll${ev.polls === 1 ? '' : 's'}${ev.mfaRounds ? `, ${ev.mfaRounds} MFA round${ev.mfaRounds === 1 ? '' : 's'}` : ''}` };
    case 'statement-listed':
      return { kind: 'progress', text: `Statement ${ev.statement.guid}${ev.statement.account_guid ? ` (account ${ev.statement.account_guid})` : ''}` };
    case 'statement-progress':
      return undefined;
    case 'statement-downloaded':
      return { kind: 'done', text: `Saved ${ev.statementGuid} ${formatBytes(ev.bytes)} → ${displayPath(ev.location, ctx.cwd)}` };
    case 'statement-skipped':
      return { kind: 'skip', text: `Skipped ${ev.statementGuid}: already saved and verified at ${displayPath(ev.location, ctx.cwd)}` };
    case 'done': {
      const s = ev.summary;
      const what = s.downloadEnabled ? `, ${s.downloaded} downloaded (${formatBytes(s.bytes)}), ${s.skipped} already saved` : ' (listed only, not downloaded)';
      return { kind: 'done', text: `Done: ${s.statements} statement${s.statements === 1 ? '' : 's'}${what}` };
    }
  }
};

/**
 * What the spinner says while waiting for the step after `ev` (`undefined` once the run is done).
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
    case 'statements-job-started':
    case 'challenge-answered':
      return 'Waiting for the institution';
    case 'status':
      return `Status ${ev.connectionStatus ?? 'unknown'}${ev.isBeingAggregated ? ', aggregating' : ''} · poll ${ev.attempt}`;
    case 'challenged':
      return 'Waiting for MFA answers';
    case 'connected':
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

/**
 * The line for a failure.
 *
 * @example
 * ```ts
 * import { describeFailure } from './describe.js';
 *
 * describeFailure({ _tag: 'RunTimeout', message: 'timed out after 5 s', timeoutMs: 5000 }).text;
 * // 'RunTimeout: timed out after 5 s'
 * ```
 */
export const describeFailure = (e: MxError | CliError): Line => ({ kind: 'fail', text: describeCliError(e) });

/**
 * Workflow events whose server-provided strings (guids, names, labels, messages) carry every hostile
 * character of {@link HOSTILE}, for the renderer specs.
 *
 * @module
 */
import type { Failure } from '../../../lib/cli/cli-error.js';
import type { StatementEvent } from '../../../lib/workflow/index.js';

/** Characters a hostile server may put into a guid, a label or a message. */
export const HOSTILE = [
  '\u001b]0;pwned\u0007', // OSC: set the window title
  '\u001b[2J\u001b[H', // CSI: clear the screen, cursor home
  '\r!! forged line', // CR: overwrite the line
  '\nok forged line', // LF: forge a line
  '\u0000', // NUL
  '\u009b31m', // C1 CSI
  '\u0085', // C1 NEL
  '\u202e', // RIGHT-TO-LEFT OVERRIDE
  '\u2066', // LEFT-TO-RIGHT ISOLATE
  '\u200b', // ZERO WIDTH SPACE
  '\ufeff', // BOM
  '\u2028', // LINE SEPARATOR
  '\u{e0041}', // TAG LATIN CAPITAL LETTER A
  '\u007f', // DEL
] as const;

/** Any character a terminal would act on, or that hides or reorders text. */
export const UNSAFE_CHAR = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

/** The hostile payload: every character class at once. */
export const EVIL = HOSTILE.join('');

/** A run's events with hostile server text everywhere a server string is printed. */
export const HOSTILE_EVENTS: StatementEvent[] = [
  { type: 'user-ready', userGuid: `USR-1${EVIL}`, userId: 'demo', created: true },
  { type: 'institution-found', code: `mxbank${EVIL}`, name: `MX Bank${EVIL}` },
  { type: 'credentials-required', institutionCode: 'mxbank', fields: [{ guid: 'CRD-1', fieldName: 'LOGIN', label: `User${EVIL}`, type: 'LOGIN', displayOrder: 1 }] },
  { type: 'member-ready', userGuid: 'USR-1', memberGuid: `MBR-1${EVIL}`, institutionCode: 'mxbank', reused: false },
  { type: 'statements-job-started', userGuid: 'USR-1', memberGuid: 'MBR-1', joined: false, waitedForOtherJobs: 0 },
  { type: 'status', memberGuid: 'MBR-1', connectionStatus: `SYNCING${EVIL}`, isBeingAggregated: true, attempt: 1, nextDelayMs: 100 },
  { type: 'challenged', memberGuid: 'MBR-1', round: 1, challenges: [{ guid: `CRD-9${EVIL}`, type: 'TEXT', label: `Pet?${EVIL}` }] },
  { type: 'connected', memberGuid: 'MBR-1', polls: 2, mfaRounds: 1 },
  { type: 'statement-listed', memberGuid: 'MBR-1', statement: { guid: `STA-1${EVIL}`, account_guid: `ACT-1${EVIL}` } },
  { type: 'statement-progress', memberGuid: 'MBR-1', statementGuid: `STA-1${EVIL}`, received: 10, contentLength: 20 },
  { type: 'statement-downloaded', memberGuid: 'MBR-1', statementGuid: `STA-1${EVIL}`, bytes: 20, sha256: 'ab'.repeat(32), location: `/out/MBR-1/STA-1${EVIL}.pdf` },
  { type: 'statement-skipped', memberGuid: 'MBR-1', statementGuid: `STA-2${EVIL}`, bytes: 20, sha256: 'ab'.repeat(32), location: `/out/MBR-1/STA-2${EVIL}.pdf` },
];

/** A failure whose message came from a hostile server. */
export const HOSTILE_FAILURE: Failure = {
  _tag: 'ConnectionFailed',
  method: 'GET',
  path: `/users/USR-1/members/MBR-1${EVIL}/status`,
  memberGuid: `MBR-1${EVIL}`,
  connectionStatus: `DENIED${EVIL}`,
  mxMessage: `Bad${EVIL}`,
  message: `member MBR-1${EVIL} ended DENIED${EVIL}: Bad${EVIL}`,
};

/**
 * MX Bank's test passwords (mx-api-facts.md §6) as data: the docs table and the job logic share it.
 *
 * The same table applies to every password-based institution of the sandbox, not only MX Bank.
 *
 * @module
 */

/**
 * The MFA challenge types the sandbox issues: MX's five.
 *
 * @example
 * ```ts
 * import type { ChallengeKind } from 'mx-statements-rx/sandbox';
 *
 * const kind: ChallengeKind = 'IMAGE_DATA';
 * ```
 */
export type ChallengeKind = 'TEXT' | 'TOKEN' | 'OPTIONS' | 'IMAGE_DATA' | 'IMAGE_OPTIONS';

/**
 * What a password (or an MFA answer equal to an error password) leads to.
 *
 * @example
 * ```ts
 * import { type PasswordRule } from 'mx-statements-rx/sandbox';
 * import { passwordRule } from './passwords.js';
 *
 * const rule: PasswordRule = passwordRule('LOCKED'); // { result: 'LOCKED', … }
 * ```
 */
export interface PasswordRule {
  /** The exact, case-sensitive password; `null` for the row that matches every other password. */
  readonly password: string | null;
  /** The `connection_status` the login step ends in (`CHALLENGED` waits for answers). */
  readonly result: string;
  /** For `CHALLENGED`: the type of the first challenge. */
  readonly challenge?: ChallengeKind;
  /** The `connection_status_message` shown with that status. */
  readonly message: string;
  /** One line for the docs. */
  readonly description: string;
}

/**
 * The answer that passes any challenge (and, for OPTIONS, the correct option's `value` passes too).
 *
 * @example
 * ```ts
 * import type { Challenge, MemberRef, MxClient } from 'mx-statements-rx';
 * import { CORRECT_ANSWER } from 'mx-statements-rx/sandbox';
 * declare const client: MxClient;
 * declare const member: MemberRef;
 * declare const challenge: Challenge;
 *
 * client.members.resume$(member, [{ guid: challenge.guid, value: CORRECT_ANSWER }]);
 * ```
 */
export const CORRECT_ANSWER = 'correct';
/**
 * The one-time code that passes the sandbox's TOKEN challenge (as does {@link CORRECT_ANSWER}).
 *
 * @example
 * ```ts
 * import { ONE_TIME_CODE } from './passwords.js';
 * ONE_TIME_CODE; // '123456'
 * ```
 */
export const ONE_TIME_CODE = '123456';
/**
 * Answering a TEXT challenge with this issues a follow-up TEXT challenge (a second round).
 *
 * @example
 * ```ts
 * import type { Challenge, MemberRef, MxClient } from 'mx-statements-rx';
 * import { FOLLOW_UP_ANSWER } from 'mx-statements-rx/sandbox';
 * declare const client: MxClient;
 * declare const member: MemberRef;
 * declare const challenge: Challenge;
 *
 * client.members.resume$(member, [{ guid: challenge.guid, value: FOLLOW_UP_ANSWER }]); // then CHALLENGED again
 * ```
 */
export const FOLLOW_UP_ANSWER = 'challenge';
/**
 * At most this many challenge rounds in one job; beyond, the follow-up answer counts as wrong.
 *
 * @example
 * ```ts
 * import { MAX_CHALLENGE_ROUNDS } from './passwords.js';
 *
 * MAX_CHALLENGE_ROUNDS; // 5
 * ```
 */
export const MAX_CHALLENGE_ROUNDS = 5;

/**
 * The row for every password not listed in {@link MX_BANK_PASSWORDS}.
 *
 * @example
 * ```ts
 * import { DEFAULT_PASSWORD_RULE } from './passwords.js';
 *
 * DEFAULT_PASSWORD_RULE.result; // 'CONNECTED'
 * ```
 */
export const DEFAULT_PASSWORD_RULE: PasswordRule = {
  password: null,
  result: 'CONNECTED',
  message: 'Connected',
  description: 'Any other password (e.g. `password`): CONNECTED, no MFA.',
};

/**
 * The special passwords, in documentation order.
 *
 * @example
 * ```ts
 * import { MX_BANK_PASSWORDS } from 'mx-statements-rx/sandbox';
 *
 * MX_BANK_PASSWORDS.find((r) => r.password === 'challenge')?.challenge; // 'TEXT'
 * ```
 */
export const MX_BANK_PASSWORDS: ReadonlyArray<PasswordRule> = [
  {
    password: 'challenge',
    result: 'CHALLENGED',
    challenge: 'TEXT',
    message: 'The institution is asking for a security answer',
    description: `CHALLENGED with a TEXT question. \`${CORRECT_ANSWER}\` → RESUMED → CONNECTED; \`${FOLLOW_UP_ANSWER}\` → a follow-up TEXT question (a second round); anything else → REJECTED; unanswered → EXPIRED.`,
  },
  {
    password: 'options',
    result: 'CHALLENGED',
    challenge: 'OPTIONS',
    message: 'The institution is asking you to choose an option',
    description: `CHALLENGED with an OPTIONS question. The option labelled "Correct" (its \`value\`, or \`${CORRECT_ANSWER}\`) → RESUMED → CONNECTED; another option → REJECTED; unanswered → EXPIRED.`,
  },
  {
    password: 'image',
    result: 'CHALLENGED',
    challenge: 'IMAGE_DATA',
    message: 'The institution is asking about an image',
    description: `CHALLENGED with an IMAGE_DATA question (\`image_data\`: a base64 PNG with a word drawn in it). The word (any case, or \`${CORRECT_ANSWER}\`) → RESUMED → CONNECTED; anything else → REJECTED; unanswered → EXPIRED.`,
  },
  {
    password: 'token',
    result: 'CHALLENGED',
    challenge: 'TOKEN',
    message: 'The institution sent a one-time code',
    description: `Sandbox only (MX Bank has no TOKEN password): CHALLENGED with a TOKEN question. \`${ONE_TIME_CODE}\` (or \`${CORRECT_ANSWER}\`) → RESUMED → CONNECTED; anything else → REJECTED; unanswered → EXPIRED.`,
  },
  {
    password: 'image_options',
    result: 'CHALLENGED',
    challenge: 'IMAGE_OPTIONS',
    message: 'The institution is asking you to pick an image',
    description: `Sandbox only (MX Bank has no IMAGE_OPTIONS password): CHALLENGED with an IMAGE_OPTIONS question naming a word; three \`image_options\`, each a PNG \`data_uri\` with a word drawn in it. The one showing the named word, labelled "Correct" (its \`value\`, or \`${CORRECT_ANSWER}\`) → RESUMED → CONNECTED; another → REJECTED; unanswered → EXPIRED.`,
  },
  {
    password: 'BAD_REQUEST',
    result: 'FAILED',
    message: 'The institution refused the request: must fill out username and password',
    description: 'FAILED (the institution answered 400).',
  },
  {
    password: 'UNAUTHORIZED',
    result: 'DENIED',
    message: 'The credentials were refused by the institution',
    description: 'DENIED (invalid credentials); `needs_updated_credentials` true.',
  },
  {
    password: 'INVALID',
    result: 'DENIED',
    message: 'The credentials are invalid',
    description: 'DENIED (invalid credentials); `needs_updated_credentials` true.',
  },
  {
    password: 'LOCKED',
    result: 'LOCKED',
    message: 'The account is locked at the institution',
    description: 'LOCKED.',
  },
  {
    password: 'DISABLED',
    result: 'DISABLED',
    message: 'Aggregation is disabled for this member',
    description: 'DISABLED.',
  },
  {
    password: 'SERVER_ERROR',
    result: 'FAILED',
    message: 'The institution had a server error',
    description: 'FAILED (the institution answered 500).',
  },
  {
    password: 'UNAVAILABLE',
    result: 'DEGRADED',
    message: 'The institution is unavailable',
    description: 'DEGRADED (the institution is down; a later retry may work).',
  },
];

const BY_PASSWORD = new Map(MX_BANK_PASSWORDS.map((r) => [r.password, r]));

/**
 * The rule for a password (the default CONNECTED row when it is not special).
 *
 * @example
 * ```ts
 * import { passwordRule } from './passwords.js';
 *
 * passwordRule('password').result; // 'CONNECTED'
 * passwordRule('UNAVAILABLE').result; // 'DEGRADED'
 * ```
 */
export function passwordRule(password: string): PasswordRule {
  return BY_PASSWORD.get(password) ?? DEFAULT_PASSWORD_RULE;
}

/**
 * The error rule an MFA answer simulates, if the answer is one of the error passwords (e.g. `SERVER_ERROR`).
 *
 * @example
 * ```ts
 * import { errorRuleForAnswer } from './passwords.js';
 *
 * errorRuleForAnswer('LOCKED')?.result; // 'LOCKED'
 * errorRuleForAnswer('correct'); // undefined
 * ```
 */
export function errorRuleForAnswer(answer: string): PasswordRule | undefined {
  const rule = BY_PASSWORD.get(answer);
  return rule && rule.result !== 'CHALLENGED' ? rule : undefined;
}

/** Messages shown with the statuses the sandbox reaches outside the table. */
export const STATUS_MESSAGES: Readonly<Record<string, string>> = {
  CREATED: 'Member created; not yet aggregated',
  UPDATED: 'Credentials updated; a job is pending',
  RESUMED: 'MFA answers received; the job continues',
  CONNECTED: 'Connected',
  REJECTED: 'The MFA answer was wrong',
  EXPIRED: 'The MFA challenge was not answered in time',
  IMPAIRED: 'Required credentials are missing',
  PENDING: 'Waiting for the user to authorize through OAuth',
};

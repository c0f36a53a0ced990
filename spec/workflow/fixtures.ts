import type { Challenge, Credential, Institution, Member, MemberStatus, Statement, User } from '../../lib/codecs/index.js';
import type { PollPolicy } from '../../lib/workflow/policy.js';

/** first poll 10 frames after the job starts; gaps 10, 20, 40 … (random = 1); deadline 1000; 2 tolerated errors. */
export const POLICY: Partial<PollPolicy> = {
  firstDelayMs: 10, minIntervalMs: 0, intervalMs: 10, factor: 2, maxIntervalMs: 1000, deadlineMs: 1000, maxErrors: 2,
};

export const USER: User = { guid: 'USR-1', id: 'customer-42' };
export const MXBANK: Institution = { code: 'mxbank', name: 'MX Bank', supports_account_statement: true };
export const FIELDS: ReadonlyArray<Credential> = [
  { guid: 'CRD-PWD', field_name: 'PASSWORD', label: 'Password', display_order: 2, type: 'PASSWORD' },
  { guid: 'CRD-LOGIN', field_name: 'LOGIN', label: 'Username', display_order: 1, type: 'TEXT' },
];
export const MEMBER: Member = { guid: 'MBR-1', user_guid: 'USR-1', institution_code: 'mxbank', connection_status: 'CREATED' };
export const REF = { userGuid: 'USR-1', memberGuid: 'MBR-1' };

export const status = (connection_status: string, is_being_aggregated: boolean, challenges?: Challenge[]): MemberStatus =>
  ({ guid: 'MBR-1', connection_status, is_being_aggregated, ...(challenges ? { challenges } : {}) });

export const WORKING = status('CONNECTED', true);
export const DONE = status('CONNECTED', false);
export const TEXT_CHALLENGE: Challenge = { guid: 'CRD-Q1', type: 'TEXT', label: 'What city were you born in?', field_name: 'q1' };
export const TEXT_CHALLENGE_2: Challenge = { guid: 'CRD-Q2', type: 'TEXT', label: 'And your first pet?', field_name: 'q2' };
export const OPTIONS_CHALLENGE: Challenge = {
  guid: 'CRD-OPT', type: 'OPTIONS', label: 'Where should we send a code?',
  options: [{ guid: 'OPT-1', label: 'Text me', value: 'sms' }, { guid: 'OPT-2', label: 'Email me', value: 'email' }],
};

export const STATEMENT: Statement = { guid: 'STA-1', member_guid: 'MBR-1', user_guid: 'USR-1', content_hash: null };
export const STATEMENT_2: Statement = { guid: 'STA-2', member_guid: 'MBR-1', user_guid: 'USR-1', content_hash: null };

export const PASSWORD = 'hunter2-SECRET-pw';
export const ANSWER = 'correct-SECRET-answer';

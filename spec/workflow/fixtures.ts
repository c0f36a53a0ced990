import type { Challenge, Credential, Institution, Member, MemberStatus, Statement, User } from '../../lib/codecs/index.js';
import type { PollPolicy } from '../../lib/workflow/policy.js';

/**
 * first poll 10 frames after the phase starts; gaps 10, 20, 40 … (random = 1); deadline 1000; 2 tolerated errors;
 * a job shows itself within 30 frames of its 202.
 */
export const POLICY: Partial<PollPolicy> = {
  firstDelayMs: 10, minIntervalMs: 0, intervalMs: 10, factor: 2, maxIntervalMs: 1000, deadlineMs: 1000, maxErrors: 2, jobStartGraceMs: 30,
};

export const USER: User = { guid: 'USR-1', id: 'customer-42' };
export const MXBANK: Institution = { code: 'mxbank', name: 'MX Bank', supports_account_statement: true, supports_oauth: false };
/** MX Bank as v20250224 describes it. */
export const MXBANK_2025: Institution = {
  code: 'mxbank', guid: 'INS-1', name: 'MX Bank', supported_products: ['transactions', 'statements'], supports_oauth: false, is_hidden: false,
};
export const MXBANK_OAUTH: Institution = { code: 'mx_bank_oauth', name: 'MX Bank (OAuth)', supports_account_statement: true, supports_oauth: true };
export const FIELDS: ReadonlyArray<Credential> = [
  { guid: 'CRD-PWD', field_name: 'PASSWORD', label: 'Password', display_order: 2, type: 'PASSWORD' },
  { guid: 'CRD-LOGIN', field_name: 'LOGIN', label: 'Username', display_order: 1, type: 'TEXT' },
];
export const MEMBER: Member = { guid: 'MBR-1', user_guid: 'USR-1', institution_code: 'mxbank', connection_status: 'CREATED' };
export const REF = { userGuid: 'USR-1', memberGuid: 'MBR-1' };

/** When the previous job ran, and when this run's job ran. */
export const EARLIER = '2026-12-01T08:00:00Z';
export const LATER = '2026-12-01T11:00:00Z';

/** The 202 of `fetch_statements` for a member the previous job left CONNECTED: what a stale status looks like. */
export const ACCEPTED: Member = {
  ...MEMBER, connection_status: 'CONNECTED', is_being_aggregated: false, aggregated_at: EARLIER, successfully_aggregated_at: EARLIER,
  most_recent_job_guid: 'JOB-0',
};
/** The 202 of `fetch_statements` while a statements job already runs (joined). */
export const ACCEPTED_RUNNING: Member = { ...ACCEPTED, is_being_aggregated: true };

export const status = (connection_status: string, is_being_aggregated: boolean, challenges?: Challenge[]): MemberStatus =>
  ({ guid: 'MBR-1', connection_status, is_being_aggregated, ...(challenges ? { challenges } : {}) });

export const WORKING = status('CONNECTED', true);
/** CONNECTED, not aggregating, and this run's job ran (its timestamps moved past {@link ACCEPTED}'s). */
export const DONE: MemberStatus = { ...status('CONNECTED', false), aggregated_at: LATER, successfully_aggregated_at: LATER };
/** CONNECTED, not aggregating, still the previous job's timestamps: stale. */
export const STALE: MemberStatus = { ...status('CONNECTED', false), aggregated_at: EARLIER, successfully_aggregated_at: EARLIER };
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

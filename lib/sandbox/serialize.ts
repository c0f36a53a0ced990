/**
 * The sandbox's records as MX's JSON objects (field names and types as in the OpenAPI spec's components).
 *
 * @module
 */
import type { CatalogCredential, CatalogInstitution } from './institutions-catalog.js';
import { institutionProducts } from './products.js';
import type { ChallengeRecord, MemberRecord, UserRecord } from './state.js';
import type { StatementSource } from './statements/index.js';
import type { SandboxApiVersion } from './versions.js';

type Json = Record<string, unknown>;

/** Statuses after which the member needs new credentials. */
const NEEDS_CREDENTIALS = new Set(['DENIED', 'IMPAIRED', 'PREVENTED']);

/**
 * A user as `UserResponse`. v20250224 types `email` as a non-null string, so a user without one has no `email`
 * field there.
 *
 * @example
 * ```ts
 * import { userJson } from './serialize.js';
 * import type { UserRecord } from './state.js';
 * declare const user: UserRecord;
 *
 * userJson(user, 'v20111101'); // { guid: 'USR-…', id: 'u-1', email: null, is_disabled: false, metadata: null }
 * ```
 */
export function userJson(u: UserRecord, version: SandboxApiVersion): Json {
  const out: Json = { guid: u.guid, id: u.id, email: u.email, is_disabled: u.isDisabled, metadata: u.metadata };
  if (version === 'v20250224' && u.email === null) delete out.email;
  return out;
}

/** When every institution of the catalogue was "created" (v20250224's `created_at`). */
const INSTITUTIONS_CREATED_AT = '2018-10-04T20:30:11+00:00';

/**
 * An institution as the version's `InstitutionResponse`: v20111101 has the four `supports_*` product flags;
 * v20250224 has `supported_products[]`, `guid`, `created_at` and `is_hidden` instead (`supports_oauth` and
 * `supports_tax_document` stay).
 *
 * @example
 * ```ts
 * import { findInstitution } from './institutions-catalog.js';
 * import { institutionJson } from './serialize.js';
 *
 * institutionJson(findInstitution('mxbank')!, 'v20111101').supports_account_statement; // true
 * institutionJson(findInstitution('mxbank')!, 'v20250224').supported_products; // [..., 'statements']
 * ```
 */
export function institutionJson(i: CatalogInstitution, version: SandboxApiVersion): Json {
  const logo = (px: number) => `https://content.moneydesktop.com/storage/MD_Assets/Ipad%20Logos/${px}x${px}/default_${px}x${px}.png`;
  const common: Json = {
    code: i.code,
    name: i.name,
    url: i.url,
    iso_country_code: i.isoCountryCode,
    medium_logo_url: logo(100),
    small_logo_url: logo(50),
    forgot_password_url: `${i.url}/forgot-password`,
    forgot_username_url: `${i.url}/forgot-username`,
    trouble_signing_in_url: `${i.url}/login-trouble`,
    instructional_text: null,
    instructional_text_steps: null,
    is_disabled_by_client: false,
  };
  if (version === 'v20250224') {
    return {
      ...common,
      guid: i.guid,
      created_at: INSTITUTIONS_CREATED_AT,
      is_hidden: false,
      supported_products: institutionProducts(i),
      supports_oauth: i.supportsOauth,
      supports_tax_document: i.supportsTaxDocument,
    };
  }
  return {
    ...common,
    supports_account_identification: i.supportsAccountIdentification,
    supports_account_statement: i.supportsAccountStatement,
    supports_account_verification: i.supportsAccountVerification,
    supports_oauth: i.supportsOauth,
    supports_tax_document: i.supportsTaxDocument,
    supports_transaction_history: i.supportsTransactionHistory,
  };
}

/**
 * A credential field as `CredentialResponse`.
 *
 * @example
 * ```ts
 * import { findInstitution } from './institutions-catalog.js';
 * import { credentialJson } from './serialize.js';
 *
 * const cred = findInstitution('mxbank')!.credentials[0]!;
 * credentialJson(cred).field_name; // 'LOGIN'
 * ```
 */
export function credentialJson(c: CatalogCredential): Json {
  return { ...c };
}

/**
 * A member as `MemberResponse` (`most_recent_job_guid` is a `JOB-…` string, the spec's known mistake aside).
 *
 * @example
 * ```ts
 * import { memberJson } from './serialize.js';
 * import type { MemberRecord, UserRecord } from './state.js';
 * declare const member: MemberRecord;
 * declare const user: UserRecord;
 *
 * memberJson(member, user, null).connection_status; // 'CONNECTED'
 * ```
 */
export function memberJson(m: MemberRecord, user: UserRecord, oauthWindowUri: string | null): Json {
  return {
    guid: m.guid,
    id: m.id,
    user_guid: m.userGuid,
    user_id: user.id,
    institution_code: m.institution.code,
    institution_guid: m.institution.guid,
    name: m.institution.name,
    metadata: m.metadata,
    connection_status: m.connectionStatus,
    connection_status_message: m.connectionStatusMessage,
    is_being_aggregated: m.isBeingAggregated,
    aggregated_at: m.aggregatedAt,
    successfully_aggregated_at: m.successfullyAggregatedAt,
    background_aggregation_is_disabled: m.backgroundAggregationIsDisabled,
    is_oauth: m.isOauth,
    oauth_window_uri: oauthWindowUri,
    is_manual: false,
    is_managed_by_user: false,
    needs_updated_credentials: NEEDS_CREDENTIALS.has(m.connectionStatus),
    most_recent_job_guid: m.job?.guid ?? null,
    most_recent_job_detail_code: null,
    most_recent_job_detail_text: null,
    use_cases: [...m.useCases],
  };
}

/**
 * A challenge as `ChallengeResponse` (never with the accepted answers).
 *
 * @example
 * ```ts
 * import { buildChallenge } from './challenges.js';
 * import { createIdFactory } from './ids.js';
 * import { challengeJson } from './serialize.js';
 *
 * challengeJson(buildChallenge(createIdFactory('seed'), 'TEXT', 1));
 * // { guid: 'CRD-…', type: 'TEXT', label: '…', field_name: 'MFA_TEXT' }
 * ```
 */
export function challengeJson(c: ChallengeRecord): Json {
  const out: Json = { guid: c.guid, type: c.type, label: c.label, field_name: c.field_name };
  if (c.options) out.options = c.options.map((o) => ({ guid: o.guid, label: o.label, value: o.value }));
  if (c.image_data !== undefined) out.image_data = c.image_data;
  if (c.image_options) out.image_options = c.image_options.map((o) => ({ guid: o.guid, label: o.label, value: o.value, data_uri: o.data_uri }));
  return out;
}

/**
 * A member's status as `MemberStatusResponse` (challenges only while CHALLENGED).
 *
 * @example
 * ```ts
 * import { memberStatusJson } from './serialize.js';
 * import type { MemberRecord } from './state.js';
 * declare const member: MemberRecord;
 *
 * memberStatusJson(member).is_being_aggregated; // true while a job runs, CHALLENGED included
 * ```
 */
export function memberStatusJson(m: MemberRecord): Json {
  const processed = m.successfullyAggregatedAt !== null;
  return {
    guid: m.guid,
    connection_status: m.connectionStatus,
    is_being_aggregated: m.isBeingAggregated,
    is_authenticated: m.isAuthenticated,
    aggregated_at: m.aggregatedAt,
    successfully_aggregated_at: m.successfullyAggregatedAt,
    has_processed_accounts: processed,
    has_processed_account_numbers: processed,
    has_processed_transactions: processed,
    challenges: m.connectionStatus === 'CHALLENGED' ? m.challenges.map(challengeJson) : [],
  };
}

/**
 * The PDF path of a statement, relative to the host (MX's `uri`).
 *
 * @example
 * ```ts
 * import { statementUri } from './serialize.js';
 *
 * statementUri('USR-1', 'MBR-1', 'STA-1'); // '/users/USR-1/members/MBR-1/statements/STA-1.pdf'
 * ```
 */
export function statementUri(userGuid: string, memberGuid: string, statementGuid: string): string {
  return `/users/${userGuid}/members/${memberGuid}/statements/${statementGuid}.pdf`;
}

/**
 * A statement as `StatementResponse`.
 *
 * @example
 * ```ts
 * import { statementJson } from './serialize.js';
 * import type { MemberRecord } from './state.js';
 * import type { StatementSource } from './statements/index.js';
 * declare const source: StatementSource;
 * declare const member: MemberRecord;
 *
 * statementJson(source, member).content_hash; // 64 hex digits
 * ```
 */
export function statementJson(s: StatementSource, m: MemberRecord): Json {
  return {
    guid: s.guid,
    account_guid: s.accountGuid,
    member_guid: m.guid,
    user_guid: m.userGuid,
    content_hash: s.contentHash,
    created_at: s.createdAt,
    updated_at: s.createdAt,
    uri: statementUri(m.userGuid, m.guid, s.guid),
  };
}

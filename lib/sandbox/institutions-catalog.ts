/**
 * The sandbox's fixed institution catalogue: MX Bank, MX Bank (OAuth) and 32 fictional others.
 *
 * @module
 */
import { stableGuid } from './ids.js';

/**
 * One credential an institution asks for (the `CredentialResponse` fields).
 *
 * @example
 * ```ts
 * import type { CatalogCredential } from 'mx-statements-rx/sandbox';
 * import { findInstitution } from './institutions-catalog.js';
 *
 * const login: CatalogCredential | undefined = findInstitution('mxbank')?.credentials[0];
 * ```
 */
export interface CatalogCredential {
  readonly guid: string;
  readonly field_name: string;
  readonly label: string;
  readonly display_order: number;
  readonly field_type: string;
  readonly type: string;
}

/**
 * One institution of the catalogue, with the fields of `InstitutionResponse` it needs.
 *
 * @example
 * ```ts
 * import { INSTITUTIONS, type CatalogInstitution } from 'mx-statements-rx/sandbox';
 *
 * const withStatements: CatalogInstitution[] = INSTITUTIONS.filter((i) => i.supportsAccountStatement);
 * ```
 */
export interface CatalogInstitution {
  readonly code: string;
  readonly guid: string;
  readonly name: string;
  readonly url: string;
  readonly isoCountryCode: string;
  readonly supportsAccountStatement: boolean;
  readonly supportsAccountIdentification: boolean;
  readonly supportsAccountVerification: boolean;
  readonly supportsTransactionHistory: boolean;
  readonly supportsOauth: boolean;
  readonly supportsTaxDocument: boolean;
  readonly credentials: ReadonlyArray<CatalogCredential>;
}

/**
 * The code of MX's test institution.
 *
 * @example
 * ```ts
 * import { MX_BANK_CODE, type SandboxHandle } from 'mx-statements-rx/sandbox';
 * declare const sandbox: SandboxHandle;
 * declare const headers: Record<string, string>; // Authorization: Basic …, Accept: application/vnd.mx.api.v1+json
 *
 * await fetch(`${sandbox.url}/institutions/${MX_BANK_CODE}/credentials`, { headers });
 * ```
 */
export const MX_BANK_CODE = 'mxbank';
/**
 * The code of MX's OAuth test institution (no credentials; authorised through `oauth_window_uri`).
 *
 * @example
 * ```ts
 * import { MX_BANK_OAUTH_CODE } from 'mx-statements-rx/sandbox';
 *
 * const body = { member: { institution_code: MX_BANK_OAUTH_CODE, credentials: [], is_oauth: true } };
 * ```
 */
export const MX_BANK_OAUTH_CODE = 'mx_bank_oauth';

const credential = (code: string, field: string, label: string, order: number, type: string): CatalogCredential => ({
  guid: stableGuid('CRD', code, field),
  field_name: field,
  label,
  display_order: order,
  field_type: type,
  type,
});

const loginPassword = (code: string, extra?: 'PIN' | 'MEMBER_NUMBER'): CatalogCredential[] => {
  const base = [
    credential(code, 'LOGIN', 'Username', 1, 'LOGIN'),
    credential(code, 'PASSWORD', 'Password', 2, 'PASSWORD'),
  ];
  if (extra === 'PIN') base.push(credential(code, 'PIN', 'PIN', 3, 'PASSWORD'));
  if (extra === 'MEMBER_NUMBER') base.unshift(credential(code, 'MEMBER_NUMBER', 'Member number', 0, 'TEXT'));
  return base;
};

type Row = readonly [code: string, name: string, country: string, statements: boolean, extra?: 'PIN' | 'MEMBER_NUMBER'];

/** The fictional others: some without statement support, a few outside the US, a few with a third field. */
const OTHERS: ReadonlyArray<Row> = [
  ['acme_federal', 'Acme Federal Credit Union', 'US', true, 'MEMBER_NUMBER'],
  ['alpine_savings', 'Alpine Savings Bank', 'US', true],
  ['bayside_trust', 'Bayside Trust Company', 'US', false],
  ['blue_ridge_bank', 'Blue Ridge Bank', 'US', true],
  ['canyon_state', 'Canyon State Bank', 'US', false],
  ['cedar_community', 'Cedar Community Credit Union', 'US', true, 'MEMBER_NUMBER'],
  ['coastal_first', 'Coastal First Bank', 'US', true],
  ['desert_sun_cu', 'Desert Sun Credit Union', 'US', false],
  ['evergreen_national', 'Evergreen National Bank', 'US', true, 'PIN'],
  ['frontier_savings', 'Frontier Savings & Loan', 'US', false],
  ['golden_gate_mutual', 'Golden Gate Mutual', 'US', true],
  ['granite_peak', 'Granite Peak Bank', 'US', true],
  ['harbor_point', 'Harbor Point Financial', 'US', false],
  ['heartland_farmers', 'Heartland Farmers Bank', 'US', true],
  ['juniper_bank', 'Juniper Bank', 'US', true],
  ['lakeshore_cu', 'Lakeshore Credit Union', 'US', false, 'MEMBER_NUMBER'],
  ['liberty_square', 'Liberty Square Bank', 'US', true],
  ['maple_leaf_trust', 'Maple Leaf Trust', 'CA', true],
  ['meridian_bank', 'Meridian Bank & Trust', 'US', true],
  ['northern_lights_cu', 'Northern Lights Credit Union', 'CA', false],
  ['oak_valley', 'Oak Valley Community Bank', 'US', true],
  ['pacific_crest', 'Pacific Crest Savings', 'US', false],
  ['pinnacle_federal', 'Pinnacle Federal Bank', 'US', true, 'PIN'],
  ['prairie_state', 'Prairie State Bank', 'US', true],
  ['red_rock_cu', 'Red Rock Credit Union', 'US', false],
  ['river_city', 'River City Bank', 'US', true],
  ['sierra_madre', 'Sierra Madre Savings', 'CA', false],
  ['silver_lake', 'Silver Lake Bank', 'US', true],
  ['summit_national', 'Summit National Bank', 'US', true],
  ['tidewater_bank', 'Tidewater Bank', 'US', false],
  ['union_harbor', 'Union Harbor Savings', 'US', true],
  ['wasatch_peaks_cu', 'Wasatch Peaks Credit Union', 'US', true, 'MEMBER_NUMBER'],
];

const institution = (
  code: string,
  name: string,
  country: string,
  statements: boolean,
  credentials: ReadonlyArray<CatalogCredential>,
  oauth = false,
): CatalogInstitution => ({
  code,
  guid: stableGuid('INS', code),
  name,
  url: `https://www.${code.replace(/_/g, '')}.example`,
  isoCountryCode: country,
  supportsAccountStatement: statements,
  supportsAccountIdentification: true,
  supportsAccountVerification: !statements || code.length % 2 === 0,
  supportsTransactionHistory: true,
  supportsOauth: oauth,
  supportsTaxDocument: statements,
  credentials,
});

/**
 * Every institution of the sandbox, MX Bank first, then MX Bank (OAuth), then the others by name.
 *
 * @example
 * ```ts
 * import { INSTITUTIONS } from 'mx-statements-rx/sandbox';
 *
 * INSTITUTIONS.filter((i) => i.supportsAccountStatement).length; // 21
 * ```
 */
export const INSTITUTIONS: ReadonlyArray<CatalogInstitution> = [
  { ...institution(MX_BANK_CODE, 'MX Bank', 'US', true, loginPassword(MX_BANK_CODE)), url: 'https://www.mxbank.com' },
  { ...institution(MX_BANK_OAUTH_CODE, 'MX Bank (OAuth)', 'US', true, [], true), url: 'https://www.mxbank.com' },
  ...OTHERS.map(([code, name, country, statements, extra]) =>
    institution(code, name, country, statements, loginPassword(code, extra)),
  ),
];

const BY_CODE = new Map(INSTITUTIONS.map((i) => [i.code, i]));

/**
 * The institution with this code, if any.
 *
 * @example
 * ```ts
 * import { findInstitution } from './institutions-catalog.js';
 *
 * findInstitution('mxbank')?.name; // 'MX Bank'
 * ```
 */
export function findInstitution(code: string): CatalogInstitution | undefined {
  return BY_CODE.get(code);
}

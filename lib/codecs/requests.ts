/**
 * Request bodies MX accepts (`…RequestBody` in the specs): codecs and the pure builders the API layer calls.
 * Builders copy only the known fields of the API version they build for and drop `undefined` ones, so nothing
 * extra (and no caller object) leaks onto the wire. They never throw.
 *
 * The dialects differ in createMember and updateMember only: v20111101 has `skip_aggregation` (and
 * `background_aggregation_is_disabled` on create); v20250224 has neither on create, and names the products to
 * aggregate in a top-level `data_request: { products: [...] }` instead.
 *
 * @module
 */
import * as t from 'io-ts';
import { DEFAULT_API_VERSION, type MxApiVersion } from '../core/config.js';
import type { SupportedProduct } from './institution.js';

// -------------------------------------------------------------------------------------
// codecs
// -------------------------------------------------------------------------------------

/**
 * A member use case; opt-in only (`PFM` and/or `MONEY_MOVEMENT`).
 *
 * @example
 * ```ts
 * import { UseCase } from './requests.js';
 * UseCase.is('PFM'); // true
 * ```
 */
export const UseCase = t.keyof({ PFM: null, MONEY_MOVEMENT: null }, 'UseCase');
/**
 * A decoded {@link UseCase}.
 *
 * @example
 * ```ts
 * import type { UseCase } from 'mx-statements-rx';
 * const u: UseCase = 'PFM';
 * ```
 */
export type UseCase = t.TypeOf<typeof UseCase>;

/**
 * Where an OAuth flow is opened from (createMember's top-level `referral_source`).
 *
 * @example
 * ```ts
 * import { ReferralSource } from './requests.js';
 * ReferralSource.is('APP'); // true
 * ```
 */
export const ReferralSource = t.keyof({ BROWSER: null, APP: null }, 'ReferralSource');
/**
 * A decoded {@link ReferralSource}.
 *
 * @example
 * ```ts
 * import type { ReferralSource } from 'mx-statements-rx';
 * const r: ReferralSource = 'BROWSER';
 * ```
 */
export type ReferralSource = t.TypeOf<typeof ReferralSource>;

/**
 * `{ guid, value }`: a credential value on create/update member, or an MFA answer on resume.
 *
 * @example
 * ```ts
 * import { CredentialRequest } from './requests.js';
 * CredentialRequest.is({ guid: 'CRD-1', value: 'mxuser' }); // true
 * ```
 */
export const CredentialRequest = t.type({ guid: t.string, value: t.string }, 'CredentialRequest');
/**
 * A decoded {@link CredentialRequest}.
 *
 * @example
 * ```ts
 * import type { CredentialRequest } from './requests.js';
 * const c: CredentialRequest = { guid: 'CRD-1', value: 'mxuser' };
 * ```
 */
export type CredentialRequest = t.TypeOf<typeof CredentialRequest>;

/**
 * The body of createUser: `{ user: { id?, email?, metadata?, is_disabled? } }` (MX refuses an empty `user`).
 *
 * @example
 * ```ts
 * import { UserCreateRequestBody } from './requests.js';
 * UserCreateRequestBody.is({ user: { id: 'customer-42' } }); // true
 * ```
 */
export const UserCreateRequestBody = t.type(
  {
    user: t.partial(
      { id: t.string, email: t.string, metadata: t.string, is_disabled: t.boolean },
      'UserCreateRequest',
    ),
  },
  'UserCreateRequestBody',
);
/**
 * A decoded {@link UserCreateRequestBody}.
 *
 * @example
 * ```ts
 * import type { UserCreateRequestBody } from './requests.js';
 * const b: UserCreateRequestBody = { user: { id: 'customer-42' } };
 * ```
 */
export type UserCreateRequestBody = t.TypeOf<typeof UserCreateRequestBody>;

const MemberOptions = {
  id: t.string,
  metadata: t.string,
  skip_aggregation: t.boolean,
  background_aggregation_is_disabled: t.boolean,
  use_cases: t.array(UseCase),
};

/**
 * v20250224's `data_request`: the products to aggregate once the member connects (`products` is required).
 *
 * @example
 * ```ts
 * import { DataRequest } from './requests.js';
 * DataRequest.is({ products: ['statements'] }); // true
 * ```
 */
export const DataRequest = t.type({ products: t.array(t.string) }, 'DataRequest');
/**
 * A decoded {@link DataRequest}.
 *
 * @example
 * ```ts
 * import type { DataRequest } from './requests.js';
 * const d: DataRequest = { products: ['statements'] };
 * ```
 */
export type DataRequest = t.TypeOf<typeof DataRequest>;

/**
 * The body of createMember in either dialect: `member` (with required `institution_code` and `credentials`)
 * plus the optional top-level OAuth fields and (v20250224) `data_request`.
 *
 * @example
 * ```ts
 * import { MemberCreateRequestBody } from './requests.js';
 * MemberCreateRequestBody.is({ member: { institution_code: 'mxbank', credentials: [] } }); // true
 * ```
 */
export const MemberCreateRequestBody = t.intersection(
  [
    t.type({
      member: t.intersection(
        [
          t.type({ institution_code: t.string, credentials: t.array(CredentialRequest) }),
          t.partial({ ...MemberOptions, is_oauth: t.boolean }),
        ],
        'MemberCreateRequest',
      ),
    }),
    t.partial({
      client_redirect_url: t.string,
      data_request: DataRequest,
      enable_app2app: t.boolean,
      referral_source: ReferralSource,
      ui_message_webview_url_scheme: t.string,
    }),
  ],
  'MemberCreateRequestBody',
);
/**
 * A decoded {@link MemberCreateRequestBody}.
 *
 * @example
 * ```ts
 * import type { MemberCreateRequestBody } from './requests.js';
 * const b: MemberCreateRequestBody = { member: { institution_code: 'mxbank', credentials: [] } };
 * ```
 */
export type MemberCreateRequestBody = t.TypeOf<typeof MemberCreateRequestBody>;

/**
 * The body of updateMember: `{ member: { credentials?, id?, metadata?, … } }` (MX refuses an empty one).
 *
 * @example
 * ```ts
 * import { MemberUpdateRequestBody } from './requests.js';
 * MemberUpdateRequestBody.is({ member: { credentials: [{ guid: 'CRD-2', value: 'challenge' }] } }); // true
 * ```
 */
export const MemberUpdateRequestBody = t.type(
  { member: t.partial({ ...MemberOptions, credentials: t.array(CredentialRequest) }, 'MemberUpdateRequest') },
  'MemberUpdateRequestBody',
);
/**
 * A decoded {@link MemberUpdateRequestBody}.
 *
 * @example
 * ```ts
 * import type { MemberUpdateRequestBody } from './requests.js';
 * const b: MemberUpdateRequestBody = { member: { metadata: 'x' } };
 * ```
 */
export type MemberUpdateRequestBody = t.TypeOf<typeof MemberUpdateRequestBody>;

/**
 * The body of resumeAggregation: `{ member: { challenges: [{ guid, value }] } }`, one answer per challenge.
 *
 * @example
 * ```ts
 * import { MemberResumeRequestBody } from './requests.js';
 * MemberResumeRequestBody.is({ member: { challenges: [{ guid: 'CRD-9', value: 'correct' }] } }); // true
 * ```
 */
export const MemberResumeRequestBody = t.type(
  { member: t.type({ challenges: t.array(CredentialRequest) }, 'MemberResumeRequest') },
  'MemberResumeRequestBody',
);
/**
 * A decoded {@link MemberResumeRequestBody}.
 *
 * @example
 * ```ts
 * import type { MemberResumeRequestBody } from './requests.js';
 * const b: MemberResumeRequestBody = { member: { challenges: [{ guid: 'CRD-9', value: 'correct' }] } };
 * ```
 */
export type MemberResumeRequestBody = t.TypeOf<typeof MemberResumeRequestBody>;

// -------------------------------------------------------------------------------------
// builder inputs (the API layer's `…Fields`)
// -------------------------------------------------------------------------------------

/**
 * One MFA answer: the challenge's `guid` and the answer text (or the chosen option's `value`).
 *
 * @example
 * ```ts
 * import type { ChallengeAnswer } from 'mx-statements-rx';
 * const a: ChallengeAnswer = { guid: 'CRD-9', value: 'correct' };
 * ```
 */
export interface ChallengeAnswer {
  readonly guid: string;
  readonly value: string;
}

/**
 * Input of `userCreateBody`.
 *
 * @example
 * ```ts
 * import type { UserCreateFields } from 'mx-statements-rx';
 * const input: UserCreateFields = { id: 'customer-42' };
 * ```
 */
export interface UserCreateFields {
  readonly id?: string | undefined;
  readonly email?: string | undefined;
  readonly metadata?: string | undefined;
  readonly is_disabled?: boolean | undefined;
}

/**
 * The optional member fields shared by `memberCreateBody` and `memberUpdateBody`.
 *
 * @example
 * ```ts
 * import type { MemberOptionFields } from 'mx-statements-rx';
 * const o: MemberOptionFields = { skip_aggregation: true };
 * ```
 */
export interface MemberOptionFields {
  readonly id?: string | undefined;
  readonly metadata?: string | undefined;
  readonly skip_aggregation?: boolean | undefined;
  readonly background_aggregation_is_disabled?: boolean | undefined;
  readonly use_cases?: ReadonlyArray<UseCase> | undefined;
}

/**
 * Input of `memberCreateBody`'s `member`.
 *
 * @example
 * ```ts
 * import type { MemberCreateFields } from 'mx-statements-rx';
 * const m: MemberCreateFields = { institution_code: 'mxbank', credentials: [{ guid: 'CRD-1', value: 'mxuser' }] };
 * ```
 */
export interface MemberCreateFields extends MemberOptionFields {
  readonly institution_code: string;
  readonly credentials: ReadonlyArray<Readonly<CredentialRequest>>;
  readonly is_oauth?: boolean | undefined;
}

/**
 * The optional top-level fields of createMember: OAuth behaviour, and v20250224's `data_request` (not sent in
 * v20111101, which has no such field).
 *
 * @example
 * ```ts
 * import type { MemberCreateExtras } from 'mx-statements-rx';
 * const x: MemberCreateExtras = { referral_source: 'APP', enable_app2app: false, data_request: { products: ['statements'] } };
 * ```
 */
export interface MemberCreateExtras {
  readonly client_redirect_url?: string | undefined;
  readonly data_request?: { readonly products: ReadonlyArray<SupportedProduct> } | undefined;
  readonly enable_app2app?: boolean | undefined;
  readonly referral_source?: ReferralSource | undefined;
  readonly ui_message_webview_url_scheme?: string | undefined;
}

/**
 * Input of `memberUpdateBody`.
 *
 * @example
 * ```ts
 * import type { MemberUpdateFields } from 'mx-statements-rx';
 * const u: MemberUpdateFields = { credentials: [{ guid: 'CRD-2', value: 'password' }] };
 * ```
 */
export interface MemberUpdateFields extends MemberOptionFields {
  readonly credentials?: ReadonlyArray<Readonly<CredentialRequest>> | undefined;
}

// -------------------------------------------------------------------------------------
// builders
// -------------------------------------------------------------------------------------

/** Copies the listed keys of `o` whose value is not `undefined`. */
const pick = <O extends object, K extends keyof O>(o: O, keys: ReadonlyArray<K>): { [P in K]?: Exclude<O[P], undefined> } => {
  const out: { [P in K]?: Exclude<O[P], undefined> } = {};
  for (const k of keys) {
    const v = o[k];
    if (v !== undefined) out[k] = v as Exclude<O[K], undefined>;
  }
  return out;
};

const guidValues = (xs: ReadonlyArray<Readonly<CredentialRequest>>): CredentialRequest[] =>
  xs.map(({ guid, value }) => ({ guid, value }));

/** The option fields each dialect has, per body. */
const OPTION_KEYS: Readonly<Record<'create' | 'update', Readonly<Record<MxApiVersion, ReadonlyArray<keyof MemberOptionFields>>>>> = {
  create: {
    v20111101: ['id', 'metadata', 'skip_aggregation', 'background_aggregation_is_disabled', 'use_cases'],
    v20250224: ['id', 'metadata', 'use_cases'],
  },
  update: {
    v20111101: ['id', 'metadata', 'skip_aggregation', 'background_aggregation_is_disabled', 'use_cases'],
    v20250224: ['id', 'metadata', 'background_aggregation_is_disabled', 'use_cases'],
  },
};

const memberOptions = (m: MemberOptionFields, keys: ReadonlyArray<keyof MemberOptionFields>): Omit<MemberUpdateRequestBody['member'], 'credentials'> => {
  const { use_cases, ...rest } = pick(m, keys);
  return use_cases === undefined ? rest : { ...rest, use_cases: [...use_cases] };
};

/**
 * Builds createUser's body, dropping `undefined` fields.
 *
 * @example
 * ```ts
 * import { userCreateBody } from './requests.js';
 * userCreateBody({ id: 'customer-42', email: undefined }); // { user: { id: 'customer-42' } }
 * ```
 */
export const userCreateBody = (user: UserCreateFields): UserCreateRequestBody => ({
  user: pick(user, ['id', 'email', 'metadata', 'is_disabled']),
});

/**
 * Builds createMember's body for an API version: `{ member: { institution_code, credentials, … }, …extras }`,
 * dropping `undefined` fields and copying only `guid`/`value` of each credential. Fields the version does not
 * have are left out: `skip_aggregation` and `background_aggregation_is_disabled` in v20250224, `data_request`
 * in v20111101.
 *
 * @example
 * ```ts
 * import { memberCreateBody } from './requests.js';
 * const credentials = [{ guid: 'CRD-1', value: 'mxuser' }];
 * memberCreateBody({ institution_code: 'mxbank', credentials, skip_aggregation: true });
 * // { member: { institution_code: 'mxbank', credentials, skip_aggregation: true } }
 * memberCreateBody({ institution_code: 'mxbank', credentials, skip_aggregation: true }, { data_request: { products: ['statements'] } }, 'v20250224');
 * // { member: { institution_code: 'mxbank', credentials }, data_request: { products: ['statements'] } }
 * ```
 */
export const memberCreateBody = (
  member: MemberCreateFields,
  extras: MemberCreateExtras = {},
  version: MxApiVersion = DEFAULT_API_VERSION,
): MemberCreateRequestBody => {
  const dataRequest = version === 'v20250224' && extras.data_request !== undefined
    ? { data_request: { products: [...extras.data_request.products] } }
    : {};
  return {
    member: {
      institution_code: member.institution_code,
      credentials: guidValues(member.credentials),
      ...memberOptions(member, OPTION_KEYS.create[version]),
      ...pick(member, ['is_oauth']),
    },
    ...pick(extras, ['client_redirect_url', 'enable_app2app', 'referral_source', 'ui_message_webview_url_scheme']),
    ...dataRequest,
  };
};

/**
 * Builds updateMember's body for an API version, dropping `undefined` fields (MX refuses an empty `member`;
 * the caller decides) and `skip_aggregation` in v20250224, which has no such field.
 *
 * @example
 * ```ts
 * import { memberUpdateBody } from './requests.js';
 * memberUpdateBody({ credentials: [{ guid: 'CRD-2', value: 'challenge' }] });
 * // { member: { credentials: [{ guid: 'CRD-2', value: 'challenge' }] } }
 * ```
 */
export const memberUpdateBody = (member: MemberUpdateFields, version: MxApiVersion = DEFAULT_API_VERSION): MemberUpdateRequestBody => ({
  member: {
    ...memberOptions(member, OPTION_KEYS.update[version]),
    ...(member.credentials === undefined ? {} : { credentials: guidValues(member.credentials) }),
  },
});

/**
 * Builds resumeAggregation's body from MFA answers (one `{ guid, value }` per challenge).
 *
 * @example
 * ```ts
 * import { memberResumeBody } from './requests.js';
 * memberResumeBody([{ guid: 'CRD-9', value: 'correct' }]); // { member: { challenges: [{ guid: 'CRD-9', value: 'correct' }] } }
 * ```
 */
export const memberResumeBody = (answers: ReadonlyArray<ChallengeAnswer>): MemberResumeRequestBody => ({
  member: { challenges: guidValues(answers) },
});

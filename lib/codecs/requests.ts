/**
 * Request bodies MX accepts (`…RequestBody` in the spec): codecs (the sandbox decodes incoming requests with
 * them) and the pure builders the API layer calls. Builders copy only the known fields and drop `undefined`
 * ones, so nothing extra (and no caller object) leaks onto the wire. They never throw.
 *
 * @module
 */
import * as t from 'io-ts';

// -------------------------------------------------------------------------------------
// codecs
// -------------------------------------------------------------------------------------

/**
 * A member use case; opt-in only (`PFM` and/or `MONEY_MOVEMENT`).
 *
 * @example
 * ```ts
 * import { UseCase } from 'mx-statements-rx';
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
 * import { ReferralSource } from 'mx-statements-rx';
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
 * import { CredentialRequest } from 'mx-statements-rx';
 * CredentialRequest.is({ guid: 'CRD-1', value: 'mxuser' }); // true
 * ```
 */
export const CredentialRequest = t.type({ guid: t.string, value: t.string }, 'CredentialRequest');
/**
 * A decoded {@link CredentialRequest}.
 *
 * @example
 * ```ts
 * import type { CredentialRequest } from 'mx-statements-rx';
 * const c: CredentialRequest = { guid: 'CRD-1', value: 'mxuser' };
 * ```
 */
export type CredentialRequest = t.TypeOf<typeof CredentialRequest>;

/**
 * The body of createUser: `{ user: { id?, email?, metadata?, is_disabled? } }` (MX refuses an empty `user`).
 *
 * @example
 * ```ts
 * import { UserCreateRequestBody } from 'mx-statements-rx';
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
 * import type { UserCreateRequestBody } from 'mx-statements-rx';
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
 * The body of createMember: `member` (with required `institution_code` and `credentials`) plus the optional
 * top-level OAuth fields.
 *
 * @example
 * ```ts
 * import { MemberCreateRequestBody } from 'mx-statements-rx';
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
 * import type { MemberCreateRequestBody } from 'mx-statements-rx';
 * const b: MemberCreateRequestBody = { member: { institution_code: 'mxbank', credentials: [] } };
 * ```
 */
export type MemberCreateRequestBody = t.TypeOf<typeof MemberCreateRequestBody>;

/**
 * The body of updateMember: `{ member: { credentials?, id?, metadata?, … } }` (MX refuses an empty one).
 *
 * @example
 * ```ts
 * import { MemberUpdateRequestBody } from 'mx-statements-rx';
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
 * import type { MemberUpdateRequestBody } from 'mx-statements-rx';
 * const b: MemberUpdateRequestBody = { member: { metadata: 'x' } };
 * ```
 */
export type MemberUpdateRequestBody = t.TypeOf<typeof MemberUpdateRequestBody>;

/**
 * The body of resumeAggregation: `{ member: { challenges: [{ guid, value }] } }`, one answer per challenge.
 *
 * @example
 * ```ts
 * import { MemberResumeRequestBody } from 'mx-statements-rx';
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
 * import type { MemberResumeRequestBody } from 'mx-statements-rx';
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
 * Input of {@link userCreateBody}.
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
 * The optional member fields shared by {@link memberCreateBody} and {@link memberUpdateBody}.
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
 * Input of {@link memberCreateBody}'s `member`.
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
 * The optional top-level fields of createMember (OAuth behaviour).
 *
 * @example
 * ```ts
 * import type { MemberCreateExtras } from 'mx-statements-rx';
 * const x: MemberCreateExtras = { referral_source: 'APP', enable_app2app: false };
 * ```
 */
export interface MemberCreateExtras {
  readonly client_redirect_url?: string | undefined;
  readonly enable_app2app?: boolean | undefined;
  readonly referral_source?: ReferralSource | undefined;
  readonly ui_message_webview_url_scheme?: string | undefined;
}

/**
 * Input of {@link memberUpdateBody}.
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

const memberOptions = (m: MemberOptionFields): Omit<MemberUpdateRequestBody['member'], 'credentials'> => {
  const { use_cases, ...rest } = pick(m, ['id', 'metadata', 'skip_aggregation', 'background_aggregation_is_disabled', 'use_cases']);
  return use_cases === undefined ? rest : { ...rest, use_cases: [...use_cases] };
};

/**
 * Builds createUser's body, dropping `undefined` fields.
 *
 * @example
 * ```ts
 * import { userCreateBody } from 'mx-statements-rx';
 * userCreateBody({ id: 'customer-42', email: undefined }); // { user: { id: 'customer-42' } }
 * ```
 */
export const userCreateBody = (user: UserCreateFields): UserCreateRequestBody => ({
  user: pick(user, ['id', 'email', 'metadata', 'is_disabled']),
});

/**
 * Builds createMember's body: `{ member: { institution_code, credentials, … }, …extras }`, dropping
 * `undefined` fields and copying only `guid`/`value` of each credential.
 *
 * @example
 * ```ts
 * import { memberCreateBody } from 'mx-statements-rx';
 * memberCreateBody({ institution_code: 'mxbank', credentials: [{ guid: 'CRD-1', value: 'mxuser' }], skip_aggregation: true });
 * // { member: { institution_code: 'mxbank', credentials: [{ guid: 'CRD-1', value: 'mxuser' }], skip_aggregation: true } }
 * ```
 */
export const memberCreateBody = (member: MemberCreateFields, extras: MemberCreateExtras = {}): MemberCreateRequestBody => ({
  member: {
    institution_code: member.institution_code,
    credentials: guidValues(member.credentials),
    ...memberOptions(member),
    ...pick(member, ['is_oauth']),
  },
  ...pick(extras, ['client_redirect_url', 'enable_app2app', 'referral_source', 'ui_message_webview_url_scheme']),
});

/**
 * Builds updateMember's body, dropping `undefined` fields (MX refuses an empty `member`; the caller decides).
 *
 * @example
 * ```ts
 * import { memberUpdateBody } from 'mx-statements-rx';
 * memberUpdateBody({ credentials: [{ guid: 'CRD-2', value: 'challenge' }] });
 * // { member: { credentials: [{ guid: 'CRD-2', value: 'challenge' }] } }
 * ```
 */
export const memberUpdateBody = (member: MemberUpdateFields): MemberUpdateRequestBody => ({
  member: {
    ...memberOptions(member),
    ...(member.credentials === undefined ? {} : { credentials: guidValues(member.credentials) }),
  },
});

/**
 * Builds resumeAggregation's body from MFA answers (one `{ guid, value }` per challenge).
 *
 * @example
 * ```ts
 * import { memberResumeBody } from 'mx-statements-rx';
 * memberResumeBody([{ guid: 'CRD-9', value: 'correct' }]); // { member: { challenges: [{ guid: 'CRD-9', value: 'correct' }] } }
 * ```
 */
export const memberResumeBody = (answers: ReadonlyArray<ChallengeAnswer>): MemberResumeRequestBody => ({
  member: { challenges: guidValues(answers) },
});

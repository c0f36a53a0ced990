/**
 * MFA challenges (`ChallengeResponse`, `OptionResponse`, `ImageOptionResponse` in the spec), as returned by
 * listMemberChallenges and in the `challenges` of readMemberStatus.
 *
 * @module
 */
import * as t from 'io-ts';
import { nullable } from './nullable.js';
import { knownGuard, openStringEnum } from './open-enum.js';

// -------------------------------------------------------------------------------------
// type
// -------------------------------------------------------------------------------------

/**
 * The documented challenge types (the spec itself has no enum).
 *
 * @example
 * ```ts
 * import { KNOWN_CHALLENGE_TYPES } from './challenge.js';
 * KNOWN_CHALLENGE_TYPES.length; // 5
 * ```
 */
export const KNOWN_CHALLENGE_TYPES = ['TEXT', 'TOKEN', 'OPTIONS', 'IMAGE_DATA', 'IMAGE_OPTIONS'] as const;

/**
 * One of the documented challenge types.
 *
 * @example
 * ```ts
 * import type { KnownChallengeType } from 'mx-statements-rx';
 * const k: KnownChallengeType = 'OPTIONS';
 * ```
 */
export type KnownChallengeType = (typeof KNOWN_CHALLENGE_TYPES)[number];

/**
 * A challenge `type` as MX sends it: a known type or any other string (e.g. `IMAGE`), kept as is.
 *
 * @example
 * ```ts
 * import type { ChallengeType } from 'mx-statements-rx';
 * const ty: ChallengeType = 'TEXT';
 * ```
 */
export type ChallengeType = KnownChallengeType | (string & {});

/**
 * Decodes any string as a {@link ChallengeType}; non-strings (such as the legacy integer `0`) fail.
 *
 * @example
 * ```ts
 * import { ChallengeType } from './challenge.js';
 * ChallengeType.decode('IMAGE'); // right('IMAGE')
 * ```
 */
export const ChallengeType = openStringEnum<KnownChallengeType>('ChallengeType', KNOWN_CHALLENGE_TYPES);

/**
 * Whether a value is one of the {@link KNOWN_CHALLENGE_TYPES}.
 *
 * @example
 * ```ts
 * import { isKnownChallengeType } from './challenge.js';
 * isKnownChallengeType('TOKEN'); // true
 * ```
 */
export const isKnownChallengeType: (u: unknown) => u is KnownChallengeType = knownGuard(KNOWN_CHALLENGE_TYPES);

// -------------------------------------------------------------------------------------
// options
// -------------------------------------------------------------------------------------

/**
 * A choice of an OPTIONS challenge. `value` is required (it is what the answer sends back); `guid` and `label`
 * are optional and nullable.
 *
 * @example
 * ```ts
 * import { ChallengeOption } from './challenge.js';
 * ChallengeOption.decode({ label: 'Text me', value: 'sms' }); // right({ … })
 * ```
 */
export const ChallengeOption = t.intersection(
  [t.type({ value: t.string }), t.partial({ guid: nullable(t.string), label: nullable(t.string) })],
  'ChallengeOption',
);
/**
 * A decoded {@link ChallengeOption}.
 *
 * @example
 * ```ts
 * import type { ChallengeOption } from 'mx-statements-rx';
 * const o: ChallengeOption = { label: 'Text me', value: 'sms' };
 * ```
 */
export type ChallengeOption = t.TypeOf<typeof ChallengeOption>;

/**
 * A choice of an IMAGE_OPTIONS challenge: like {@link ChallengeOption} plus an optional `data_uri` image.
 *
 * @example
 * ```ts
 * import { ChallengeImageOption } from './challenge.js';
 * ChallengeImageOption.decode({ label: 'IMAGE_1', value: 'img1', data_uri: 'data:image/png;base64,AAAA' });
 * ```
 */
export const ChallengeImageOption = t.intersection(
  [
    t.type({ value: t.string }),
    t.partial({ guid: nullable(t.string), label: nullable(t.string), data_uri: nullable(t.string) }),
  ],
  'ChallengeImageOption',
);
/**
 * A decoded {@link ChallengeImageOption}.
 *
 * @example
 * ```ts
 * import type { ChallengeImageOption } from 'mx-statements-rx';
 * const o: ChallengeImageOption = { value: 'img1', data_uri: null };
 * ```
 */
export type ChallengeImageOption = t.TypeOf<typeof ChallengeImageOption>;

// -------------------------------------------------------------------------------------
// challenge
// -------------------------------------------------------------------------------------

/**
 * An MFA challenge: `guid` is required (the answer is sent with it); `label`, `field_name`, `type`,
 * `image_data`, `options` and `image_options` are optional and nullable.
 *
 * @example
 * ```ts
 * import { Challenge } from './challenge.js';
 * Challenge.decode({ guid: 'CRD-1', type: 'TEXT', label: 'What city were you born in?' }); // right({ … })
 * ```
 */
export const Challenge = t.intersection(
  [
    t.type({ guid: t.string }),
    t.partial({
      label: nullable(t.string),
      field_name: nullable(t.string),
      type: nullable(ChallengeType),
      image_data: nullable(t.string),
      options: nullable(t.array(ChallengeOption)),
      image_options: nullable(t.array(ChallengeImageOption)),
    }),
  ],
  'Challenge',
);
/**
 * A decoded {@link Challenge}.
 *
 * @example
 * ```ts
 * import type { Challenge } from 'mx-statements-rx';
 * const c: Challenge = { guid: 'CRD-9', type: 'TEXT', label: 'Who?' };
 * ```
 */
export type Challenge = t.TypeOf<typeof Challenge>;

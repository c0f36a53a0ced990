/**
 * MFA challenges: building the ones MX Bank asks, and judging the answers sent to `/resume`.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import type { IdFactory } from './ids.js';
import {
  CORRECT_ANSWER,
  FOLLOW_UP_ANSWER,
  MAX_CHALLENGE_ROUNDS,
  ONE_TIME_CODE,
  errorRuleForAnswer,
  type ChallengeKind,
  type PasswordRule,
} from './passwords.js';
import { renderWordPng, wordPngDataUri } from './png/index.js';
import type { ChallengeOption, ChallengeRecord } from './state.js';

/**
 * The words the image challenges draw. IMAGE_DATA shows one of them (picked by the challenge's guid) and takes
 * it as the answer (any case); IMAGE_OPTIONS names one in its question and shows it on the correct picture,
 * two others on the wrong ones.
 *
 * @example
 * ```ts
 * import { IMAGE_WORDS } from './challenges.js';
 *
 * IMAGE_WORDS.includes('harbor'); // true
 * ```
 */
export const IMAGE_WORDS: ReadonlyArray<string> = ['maple', 'harbor', 'falcon', 'copper', 'lantern', 'meadow', 'orchid', 'summit', 'violet', 'willow'];

/** The n-th word after the one a guid picks (n = 0, 1, 2: three different words). */
const wordFor = (guid: string, n = 0): string => {
  const start = createHash('sha256').update(guid).digest().readUInt32LE(0) % IMAGE_WORDS.length;
  return IMAGE_WORDS[(start + n) % IMAGE_WORDS.length] ?? 'maple';
};

/**
 * The choices of an OPTIONS or IMAGE_OPTIONS challenge, one labelled "Correct" between two wrong ones, and the
 * value that passes.
 */
const choices = (ids: IdFactory, prefix: string): { options: ChallengeOption[]; correct: string } => ({
  options: ['Wrong (A)', 'Correct', 'Wrong (B)'].map((label, i) => ({ guid: ids.next('CRD'), label, value: `${prefix}-${i + 1}` })),
  correct: `${prefix}-2`,
});

/**
 * Builds the challenge of a round: round 1 is the password's type, later rounds are TEXT follow-ups.
 *
 * @example
 * ```ts
 * import { buildChallenge } from './challenges.js';
 * import { createIdFactory } from './ids.js';
 *
 * buildChallenge(createIdFactory('seed'), 'OPTIONS', 1).options?.length; // 3
 * ```
 */
export function buildChallenge(ids: IdFactory, kind: ChallengeKind, round: number): ChallengeRecord {
  const guid = ids.next('CRD');
  if (kind === 'OPTIONS') {
    const { options, correct } = choices(ids, 'option');
    return {
      guid,
      type: 'OPTIONS',
      label: 'Where should we send your one-time code? (choose "Correct")',
      field_name: 'MFA_OPTIONS',
      round,
      options,
      accepted: [CORRECT_ANSWER, correct],
    };
  }
  if (kind === 'IMAGE_OPTIONS') {
    const { options, correct } = choices(ids, 'image');
    const target = wordFor(guid);
    // the correct option (the 2nd) shows the word the question names; the others show two other words
    const shown = [wordFor(guid, 1), target, wordFor(guid, 2)];
    const image_options = options.map((o, i) => ({ ...o, data_uri: wordPngDataUri(shown[i] ?? target, { seed: o.guid }) }));
    return {
      guid,
      type: 'IMAGE_OPTIONS',
      label: `Which picture shows the word "${target}"? (the one labelled "Correct")`,
      field_name: 'MFA_IMAGE_OPTIONS',
      round,
      image_options,
      accepted: [CORRECT_ANSWER, correct],
    };
  }
  if (kind === 'TOKEN') {
    return {
      guid,
      type: 'TOKEN',
      label: `Enter the one-time code we sent to your phone (it is ${ONE_TIME_CODE})`,
      field_name: 'MFA_TOKEN',
      round,
      accepted: [ONE_TIME_CODE, CORRECT_ANSWER],
    };
  }
  if (kind === 'IMAGE_DATA') {
    const word = wordFor(guid);
    return {
      guid,
      type: 'IMAGE_DATA',
      label: 'What word is shown in the image?',
      field_name: 'MFA_IMAGE',
      round,
      image_data: renderWordPng(word, { seed: guid }).toString('base64'),
      accepted: [word, CORRECT_ANSWER],
    };
  }
  return {
    guid,
    type: 'TEXT',
    label:
      round === 1
        ? 'What city were you born in? (answer "correct", or "challenge" for a follow-up question)'
        : `Follow-up question ${round}: what was the name of your first pet? (answer "correct")`,
    field_name: round === 1 ? 'MFA_TEXT' : `MFA_TEXT_${round}`,
    round,
    accepted: [CORRECT_ANSWER],
  };
}

/** What a set of answers leads to. */
export type Verdict =
  | { readonly kind: 'pass' }
  | { readonly kind: 'follow-up' }
  | { readonly kind: 'wrong' }
  | { readonly kind: 'error'; readonly rule: PasswordRule };

/**
 * Judges the answers to the current challenges (every challenge must have an answer; the caller checks that).
 *
 * @example
 * ```ts
 * import { buildChallenge, judgeAnswers } from './challenges.js';
 * import { createIdFactory } from './ids.js';
 *
 * const challenge = buildChallenge(createIdFactory('seed'), 'TEXT', 1);
 * judgeAnswers([challenge], new Map([[challenge.guid, 'correct']])); // { kind: 'pass' }
 * ```
 */
export function judgeAnswers(challenges: ReadonlyArray<ChallengeRecord>, answers: ReadonlyMap<string, string>): Verdict {
  let followUp = false;
  for (const c of challenges) {
    const value = answers.get(c.guid) ?? '';
    const error = errorRuleForAnswer(value);
    if (error) return { kind: 'error', rule: error };
    // a word read off a picture may be typed in any case, with stray spaces
    const typed = c.type === 'IMAGE_DATA' ? value.trim().toLowerCase() : value;
    if (c.accepted.includes(typed)) continue;
    if (c.type === 'TEXT' && value === FOLLOW_UP_ANSWER && c.round < MAX_CHALLENGE_ROUNDS) {
      followUp = true;
      continue;
    }
    return { kind: 'wrong' };
  }
  return followUp ? { kind: 'follow-up' } : { kind: 'pass' };
}

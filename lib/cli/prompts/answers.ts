/**
 * The values the run needs from a person: credential values the flags did not give (hidden input for secrets),
 * and MFA answers (TEXT/TOKEN typed, OPTIONS and IMAGE_OPTIONS picked from a numbered list, IMAGE_DATA shown
 * inline or saved as a file whose path is printed). Without a terminal nothing is asked: a missing value is a
 * usage error naming its flag, and a challenge with no `--mfa-answer` left is reported at once.
 *
 * Each question is printed once: by its prompt, or as a note when `--mfa-answer` answers it. Every value
 * entered or given becomes a secret of the {@link Redactor} before anything else is printed.
 *
 * @module
 */
import type { Challenge, ChallengeAnswer, Credential } from '../../codecs/index.js';
import type { CredentialValues } from '../../workflow/input.js';
import type { Line } from '../render/describe.js';
import type { Redactor } from '../redact.js';
import { UsageError } from '../usage-error.js';
import { askChoice, askLine, type Choice, type Echo, type PromptTerminal } from './ask.js';
import { terminalSafe, wrapLine } from '../render/text.js';
import { decodeImageData, inlineImageProtocol, inlineImageSequence, savedImages, type SavedImages } from './image.js';

/** What asking needs: the terminal, the redactor, the screen to pause, and where notes go. */
export interface PromptContext extends PromptTerminal {
  /** Whether there is a terminal to ask on (stdin and stderr are TTYs). */
  readonly interactive: boolean;
  readonly redactor: Redactor;
  /** The environment (to tell whether the terminal shows pictures inline). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Pauses and resumes the live display around a prompt. */
  readonly pause: () => void;
  readonly resume: () => void;
  /** Prints a line through the renderer (a question answered by `--mfa-answer`, where a picture was saved). */
  readonly note: (line: Line) => void;
}

/** The prompts, injectable for tests. */
export interface PromptFns {
  readonly line: (t: PromptTerminal, question: string, options?: { readonly echo?: Echo }) => Promise<string>;
  readonly choice: (t: PromptTerminal, question: string, choices: ReadonlyArray<Choice>) => Promise<string>;
}

/** The real prompts, on node:readline. */
export const READLINE_PROMPTS: PromptFns = { line: askLine, choice: askChoice };

const withPause = async <A>(ctx: PromptContext, ask: () => Promise<A>): Promise<A> => {
  ctx.pause();
  try {
    return await ask();
  } finally {
    ctx.resume();
  }
};

// -------------------------------------------------------------------------------------
// credentials
// -------------------------------------------------------------------------------------

/**
 * Whether a credential field holds a secret (its type says PASSWORD, or its name looks like one).
 *
 * @example
 * ```ts
 * import { isSecretField } from './answers.js';
 *
 * isSecretField({ guid: 'CRD-2', field_name: 'PASSWORD' }); // true
 * ```
 */
export const isSecretField = (c: Credential): boolean =>
  /password|secret/i.test(`${c.type ?? ''} ${c.field_type ?? ''}`) || /pass|pin|secret/i.test(c.field_name ?? '');

/** The values given by flags (or the demo defaults). */
export interface KnownCredentials {
  readonly username?: string;
  readonly password?: string;
}

const fieldTitle = (c: Credential) => c.label ?? c.field_name ?? c.guid;

/**
 * Fills the institution's credential fields: the first non-secret field gets `--username`, the first secret
 * field `--password`; any other field (or a missing one) is asked for on a terminal (hidden input for secrets),
 * or is a {@link UsageError} without one.
 *
 * @example
 * ```ts
 * import { gatherCredentials, type PromptContext } from './answers.js';
 * declare const ctx: PromptContext;
 *
 * await gatherCredentials([{ guid: 'CRD-1', field_name: 'LOGIN' }, { guid: 'CRD-2', field_name: 'PASSWORD' }],
 *   { username: 'mxuser', password: 'password' }, ctx); // { LOGIN: 'mxuser', PASSWORD: 'password' }
 * ```
 */
export const gatherCredentials = async (
  fields: ReadonlyArray<Credential>,
  known: KnownCredentials,
  ctx: PromptContext,
  fns: PromptFns = READLINE_PROMPTS,
): Promise<CredentialValues> => {
  const ordered = [...fields].sort((a, b) => (a.display_order ?? 0) - (b.display_order ?? 0));
  const firstPlain = ordered.find((f) => !isSecretField(f));
  const firstSecret = ordered.find(isSecretField);
  const values: Record<string, string> = {};
  for (const f of ordered) {
    const name = f.field_name ?? f.guid;
    const secret = isSecretField(f);
    let value = f === firstPlain ? known.username : f === firstSecret ? known.password : undefined;
    if (value === undefined || value === '') {
      if (!ctx.interactive) {
        const flag = f === firstPlain ? '--username' : f === firstSecret ? '--password' : undefined;
        throw new UsageError(
          flag
            ? `the institution asks for ${fieldTitle(f)}: pass ${flag} (there is no terminal to ask on)`
            : `the institution asks for ${fieldTitle(f)} (${name}), which can only be typed on a terminal`,
          flag,
        );
      }
      value = await withPause(ctx, () => fns.line(ctx, `${fieldTitle(f)}:`, { echo: secret ? 'hidden' : 'visible' }));
    }
    if (secret) ctx.redactor.add(value);
    values[name] = value;
  }
  return values;
};

// -------------------------------------------------------------------------------------
// MFA
// -------------------------------------------------------------------------------------

/**
 * Maps a given answer onto a challenge: for a list challenge, an answer equal to an option's label (any case)
 * becomes that option's `value`; anything else is sent as is.
 *
 * @example
 * ```ts
 * import { answerValue } from './answers.js';
 *
 * answerValue({ guid: 'CRD-1', type: 'OPTIONS', options: [{ label: 'Blue', value: 'opt-2' }] }, 'blue'); // 'opt-2'
 * ```
 */
export const answerValue = (c: Challenge, given: string): string => {
  const options = [...(c.options ?? []), ...(c.image_options ?? [])];
  if (options.some((o) => o.value === given)) return given;
  const byLabel = options.find((o) => (o.label ?? '').toLowerCase() === given.toLowerCase());
  return byLabel ? byLabel.value : given;
};

/**
 * The question of a challenge as one line: its label (or its type) and what kind of answer it wants.
 *
 * @example
 * ```ts
 * import { challengeQuestion } from './answers.js';
 *
 * challengeQuestion({ guid: 'CRD-1', type: 'TOKEN', label: 'Enter the code we sent' }); // 'Enter the code we sent (one-time code)'
 * ```
 */
export const challengeQuestion = (c: Challenge): string => {
  const type = c.type ?? 'TEXT';
  const label = c.label ?? 'Security question';
  const kind = type === 'TOKEN' ? ' (one-time code)' : c.options?.length ? ` (${c.options.length} choices)` : c.image_options?.length ? ` (${c.image_options.length} pictures)` : '';
  return `${label}${kind}`;
};

/** The outcome of answering one round: the answers, or the first challenge nobody could answer. */
export type RoundAnswers =
  | { readonly kind: 'answers'; readonly answers: ChallengeAnswer[] }
  | { readonly kind: 'unanswered'; readonly challenge: Challenge };

/** Writes `text` to the prompt's terminal, escaped and wrapped (continuation lines indented by `indent`). */
const say = (ctx: PromptContext, text: string, indent = '  '): void => {
  const columns = ctx.output.columns !== undefined && ctx.output.columns > 0 ? ctx.output.columns - 1 : 0;
  for (const l of wrapLine(terminalSafe(text), columns, { indent })) ctx.output.write(`${l}\n`);
};

/**
 * Shows a picture inline when the terminal can, else saves it: returns the saved file's path, `'inline'`, or
 * `undefined` when the data is not a picture.
 */
const showPicture = async (ctx: PromptContext, data: string | null | undefined, name: string, images: SavedImages): Promise<string | undefined> => {
  const image = data ? decodeImageData(data) : undefined;
  if (!image) return undefined;
  const protocol = inlineImageProtocol(ctx.env);
  const sequence = protocol && inlineImageSequence(protocol, image);
  if (sequence) {
    ctx.output.write(sequence);
    return 'inline';
  }
  return images.save(image, name);
};

const askOne = async (c: Challenge, ctx: PromptContext, fns: PromptFns, images: SavedImages): Promise<string> => {
  // The list shows the choices, so the question is the label alone (with "(one-time code)" for a TOKEN).
  const question = `? ${c.label ?? 'Security question'}${c.type === 'TOKEN' ? ' (one-time code)' : ''}`;
  const options = c.options ?? [];
  if (options.length > 0) {
    return fns.choice(ctx, question, options.map((o) => ({ label: o.label ?? o.value, value: o.value })));
  }
  const imageOptions = c.image_options ?? [];
  if (imageOptions.length > 0) {
    const choices: Choice[] = [];
    const inline = inlineImageProtocol(ctx.env) !== undefined;
    if (inline) say(ctx, question);
    for (const [i, o] of imageOptions.entries()) {
      const label = o.label ?? `Picture ${i + 1}`;
      if (inline) say(ctx, `  ${i + 1}) ${label}:`, '     ');
      const where = await showPicture(ctx, o.data_uri, `choice-${i + 1}`, images);
      const detail = where === undefined ? 'the picture could not be decoded' : where === 'inline' ? undefined : `picture: ${where}`;
      choices.push({ label, value: o.value, ...(detail ? { detail } : {}) });
    }
    return fns.choice(ctx, inline ? '  Which one?' : question, choices);
  }
  if (c.image_data !== undefined && c.image_data !== null) {
    say(ctx, question);
    const where = await showPicture(ctx, c.image_data, 'picture', images);
    if (where === undefined) say(ctx, '  (the picture could not be decoded)');
    else if (where !== 'inline') say(ctx, `  The picture is saved at ${where}: open it to answer.`, '    ');
    return fns.line(ctx, '  Answer:', { echo: 'concealed' });
  }
  return fns.line(ctx, `${question}:`, { echo: 'concealed' });
};

/**
 * Answers one challenge round: each challenge takes the next `--mfa-answer` from `queue` (mutated), else is
 * asked on the terminal, else the round is `unanswered`. Pictures saved for the round are deleted once it is
 * answered.
 *
 * @example
 * ```ts
 * import { answerRound, type PromptContext } from './answers.js';
 * declare const ctx: PromptContext;
 *
 * const queue = ['correct'];
 * await answerRound([{ guid: 'CRD-1', type: 'TEXT', label: 'Pet?' }], queue, ctx);
 * // { kind: 'answers', answers: [{ guid: 'CRD-1', value: 'correct' }] }
 * ```
 */
export const answerRound = async (
  challenges: ReadonlyArray<Challenge>,
  queue: string[],
  ctx: PromptContext,
  fns: PromptFns = READLINE_PROMPTS,
): Promise<RoundAnswers> => {
  const answers: ChallengeAnswer[] = [];
  const images = savedImages();
  try {
    for (const c of challenges) {
      const given = queue.shift();
      if (given !== undefined) {
        ctx.redactor.add(given);
        ctx.note({ kind: 'question', text: `${challengeQuestion(c)}: answered with --mfa-answer` });
        answers.push({ guid: c.guid, value: answerValue(c, given) });
        continue;
      }
      if (!ctx.interactive) {
        ctx.note({ kind: 'question', text: `${challengeQuestion(c)}: no --mfa-answer left to answer it` });
        return { kind: 'unanswered', challenge: c };
      }
      const value = await withPause(ctx, () => askOne(c, ctx, fns, images));
      ctx.redactor.add(value);
      answers.push({ guid: c.guid, value });
    }
    return { kind: 'answers', answers };
  } finally {
    await images.dispose();
  }
};

/**
 * Asking the person at the terminal: credential values the flags did not give (hidden input for secrets), and
 * MFA answers (TEXT/TOKEN typed, OPTIONS picked from a list, IMAGE_DATA shown as a temp PNG whose path is
 * printed). Without a terminal nothing is asked: a missing value is a usage error naming its flag, and a
 * challenge with no `--mfa-answer` left is reported at once.
 *
 * Every value entered or given becomes a secret of the {@link Redactor} before anything else is printed.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { input, password, select } from '@inquirer/prompts';
import type { Challenge, ChallengeAnswer, Credential } from '../codecs/index.js';
import type { CredentialValues } from '../workflow/input.js';
import { UsageError } from './options.js';
import type { Redactor } from './redact.js';

/** What prompting needs: the terminal's streams, a way to cancel, the redactor, and the screen to pause. */
export interface PromptContext {
  /** Whether there is a terminal to ask on (stdin and stderr are TTYs). */
  readonly interactive: boolean;
  readonly input: NodeJS.ReadableStream;
  /** Prompts draw here (stderr, so `--json` stdout stays clean). */
  readonly output: NodeJS.WritableStream;
  /** Aborts an open prompt (`--timeout`, SIGINT). */
  readonly signal: AbortSignal;
  readonly redactor: Redactor;
  /** Pauses and resumes live progress around a prompt. */
  readonly pause: () => void;
  readonly resume: () => void;
}

/** The prompt functions, injectable for tests. */
export interface PromptFns {
  readonly input: typeof input;
  readonly password: typeof password;
  readonly select: typeof select;
}

/** The real prompts from @inquirer/prompts. */
export const INQUIRER: PromptFns = { input, password, select };

const withPause = async <A>(ctx: PromptContext, ask: () => Promise<A>): Promise<A> => {
  ctx.pause();
  try {
    return await ask();
  } finally {
    ctx.resume();
  }
};

const promptContext = (ctx: PromptContext) => ({ input: ctx.input, output: ctx.output, signal: ctx.signal, clearPromptOnDone: false });

// -------------------------------------------------------------------------------------
// credentials
// -------------------------------------------------------------------------------------

/**
 * Whether a credential field holds a secret (its type says PASSWORD, or its name looks like one).
 *
 * @example
 * ```ts
 * import { isSecretField } from './prompts.js';
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
 * import { gatherCredentials, type PromptContext } from './prompts.js';
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
  fns: PromptFns = INQUIRER,
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
            ? `the institution asks for ${fieldTitle(f)}: pass ${flag} (no terminal to ask on)`
            : `the institution asks for ${fieldTitle(f)} (${name}), which can only be entered on a terminal`,
          flag,
        );
      }
      const message = `${fieldTitle(f)}:`;
      const validate = (v: string) => (v.trim() !== '' ? true : `${fieldTitle(f)} is required`);
      value = await withPause(ctx, () =>
        secret ? fns.password({ message, mask: false, validate }, promptContext(ctx)) : fns.input({ message, validate }, promptContext(ctx)),
      );
    }
    if (secret) ctx.redactor.add(value);
    values[name] = value;
  }
  return values;
};

// -------------------------------------------------------------------------------------
// MFA
// -------------------------------------------------------------------------------------

/** A decoded challenge image. */
export interface DecodedImage {
  readonly bytes: Buffer;
  readonly extension: string;
}

/**
 * Decodes MX's `image_data` (a `data:` URI or bare base64) into bytes and a file extension.
 * `undefined` when it is not base64 at all.
 *
 * @example
 * ```ts
 * import { decodeImageData } from './prompts.js';
 *
 * decodeImageData('data:image/png;base64,iVBORw0KGgo=')?.extension; // 'png'
 * ```
 */
export const decodeImageData = (data: string): DecodedImage | undefined => {
  const m = /^data:([\w.+-]+\/[\w.+-]+)?(;[^,]*)?,(.*)$/s.exec(data.trim());
  const mime = m?.[1] ?? 'image/png';
  const b64 = (m ? (m[3] ?? '') : data).replace(/\s+/g, '');
  if (b64 === '' || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(b64)) return undefined;
  const bytes = Buffer.from(b64, 'base64');
  if (bytes.length === 0) return undefined;
  const sub = mime.split('/')[1] ?? 'png';
  const extension = sub === 'jpeg' ? 'jpg' : sub.replace(/[^a-z0-9]/gi, '') || 'png';
  return { bytes, extension };
};

/** Writes an image to a private temp file and returns its path. */
const saveImage = async (image: DecodedImage, hint: string): Promise<string> => {
  const file = path.join(os.tmpdir(), `mx-statements-mfa-${hint.replace(/[^\w-]/g, '').slice(0, 40)}-${randomBytes(4).toString('hex')}.${image.extension}`);
  await writeFile(file, image.bytes, { mode: 0o600 });
  return file;
};

/**
 * Maps a given answer onto a challenge: for a list challenge, an answer equal to an option's label (any case)
 * becomes that option's `value`; anything else is sent as is.
 *
 * @example
 * ```ts
 * import { answerValue } from './prompts.js';
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

/** The outcome of answering one round: the answers, or the first challenge nobody could answer. */
export type RoundAnswers =
  | { readonly kind: 'answers'; readonly answers: ChallengeAnswer[] }
  | { readonly kind: 'unanswered'; readonly challenge: Challenge };

const askOne = async (c: Challenge, ctx: PromptContext, fns: PromptFns, temp: string[]): Promise<string> => {
  const type = c.type ?? 'TEXT';
  const label = c.label ?? 'Security question';
  const hidden = (value: string, { isFinal }: { isFinal: boolean }) => (isFinal ? '(answered)' : value);
  const options = c.options ?? [];
  if (options.length > 0) {
    return fns.select({ message: label, choices: options.map((o) => ({ name: o.label ?? o.value, value: o.value })) }, promptContext(ctx));
  }
  const imageOptions = c.image_options ?? [];
  if (imageOptions.length > 0) {
    const choices = [];
    for (const [i, o] of imageOptions.entries()) {
      const image = o.data_uri ? decodeImageData(o.data_uri) : undefined;
      const file = image ? await saveImage(image, `${c.guid}-${i + 1}`) : undefined;
      if (file) temp.push(file);
      choices.push({ name: `${o.label ?? `Image ${i + 1}`}${file ? ` — ${file}` : ''}`, value: o.value });
    }
    return fns.select({ message: `${label} (open the image files to compare)`, choices }, promptContext(ctx));
  }
  if (c.image_data) {
    const image = decodeImageData(c.image_data);
    const file = image ? await saveImage(image, c.guid) : undefined;
    if (file) temp.push(file);
    const where = file ? ` — the image is at ${file}` : ' — (the image could not be decoded)';
    return fns.input({ message: `${label}${where}:`, required: true, transformer: hidden }, promptContext(ctx));
  }
  const kind = type === 'TOKEN' ? ' (one-time code)' : '';
  return fns.input({ message: `${label}${kind}:`, required: true, transformer: hidden }, promptContext(ctx));
};

/**
 * Answers one challenge round: each challenge takes the next `--mfa-answer` from `queue` (mutated), else is
 * asked on the terminal, else the round is `unanswered`. Temp images are deleted once the round is answered.
 *
 * @example
 * ```ts
 * import { answerRound, type PromptContext } from './prompts.js';
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
  fns: PromptFns = INQUIRER,
): Promise<RoundAnswers> => {
  const answers: ChallengeAnswer[] = [];
  const temp: string[] = [];
  try {
    for (const c of challenges) {
      const given = queue.shift();
      if (given !== undefined) {
        ctx.redactor.add(given);
        answers.push({ guid: c.guid, value: answerValue(c, given) });
        continue;
      }
      if (!ctx.interactive) return { kind: 'unanswered', challenge: c };
      const value = await withPause(ctx, () => askOne(c, ctx, fns, temp));
      ctx.redactor.add(value);
      answers.push({ guid: c.guid, value });
    }
    return { kind: 'answers', answers };
  } finally {
    await Promise.all(temp.map((f) => rm(f, { force: true })));
  }
};

import { existsSync, readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { expect } from 'chai';
import { answerRound, answerValue, decodeImageData, gatherCredentials, isSecretField, type PromptContext, type PromptFns } from '../../lib/cli/prompts.js';
import { UsageError } from '../../lib/cli/options.js';
import { createRedactor } from '../../lib/cli/redact.js';

const PNG_1PX =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

const context = (interactive: boolean) => {
  const calls: string[] = [];
  const redactor = createRedactor();
  const ctx: PromptContext = {
    interactive,
    input: new PassThrough(),
    output: new PassThrough(),
    signal: new AbortController().signal,
    redactor,
    pause: () => calls.push('pause'),
    resume: () => calls.push('resume'),
  };
  return { ctx, calls, redactor };
};

/** Fake prompts: record the config, answer from a script. */
const fakePrompts = (answers: Record<string, string>) => {
  const asked: Array<{ kind: string; message: string; choices?: Array<{ name: string; value: string }> }> = [];
  const answer = (kind: string) => async (config: { message: string; choices?: Array<{ name: string; value: string }> }) => {
    asked.push({ kind, message: config.message, ...(config.choices ? { choices: config.choices } : {}) });
    const key = Object.keys(answers).find((k) => config.message.includes(k));
    return key !== undefined ? answers[key] : 'unscripted';
  };
  return { fns: { input: answer('input'), password: answer('password'), select: answer('select') } as unknown as PromptFns, asked };
};

const MXBANK = [
  { guid: 'CRD-2', field_name: 'PASSWORD', label: 'Password', type: 'PASSWORD', display_order: 2 },
  { guid: 'CRD-1', field_name: 'LOGIN', label: 'Username', type: 'LOGIN', display_order: 1 },
];

describe('cli: prompts', () => {
  it('tells secret credential fields apart', () => {
    expect(isSecretField({ guid: 'a', field_name: 'PASSWORD' })).to.equal(true);
    expect(isSecretField({ guid: 'a', field_name: 'LOGIN', type: 'LOGIN' })).to.equal(false);
    expect(isSecretField({ guid: 'a', field_name: 'X', field_type: 'PASSWORD' })).to.equal(true);
  });

  it('fills credentials from flags without asking, and registers the password as a secret', async () => {
    const { ctx, redactor } = context(false);
    const values = await gatherCredentials(MXBANK, { username: 'mxuser', password: 'pw-7781-x' }, ctx, fakePrompts({}).fns);
    expect(values).to.deep.equal({ LOGIN: 'mxuser', PASSWORD: 'pw-7781-x' });
    expect(redactor.scrub('pw-7781-x')).to.equal('[redacted]');
  });

  it('asks on a terminal for what is missing: the password with hidden input, pausing the progress', async () => {
    const { ctx, calls, redactor } = context(true);
    const { fns, asked } = fakePrompts({ Password: 'typed-pw-991' });
    const values = await gatherCredentials(MXBANK, { username: 'mxuser' }, ctx, fns);
    expect(values).to.deep.equal({ LOGIN: 'mxuser', PASSWORD: 'typed-pw-991' });
    expect(asked).to.deep.equal([{ kind: 'password', message: 'Password:' }]);
    expect(calls).to.deep.equal(['pause', 'resume']);
    expect(redactor.scrub('typed-pw-991')).to.equal('[redacted]');
  });

  it('without a terminal, a missing value is a usage error naming its flag', async () => {
    const { ctx } = context(false);
    let thrown: unknown;
    await gatherCredentials(MXBANK, { username: 'mxuser' }, ctx, fakePrompts({}).fns).catch((e: unknown) => (thrown = e));
    expect(thrown).to.be.instanceOf(UsageError);
    expect((thrown as UsageError).flag).to.equal('--password');
    expect((thrown as UsageError).message).to.contain('no terminal');
  });

  it('decodes image data from a data URI or bare base64', () => {
    expect(decodeImageData(`data:image/png;base64,${PNG_1PX}`)?.extension).to.equal('png');
    expect(decodeImageData(`data:image/jpeg;base64,${PNG_1PX}`)?.extension).to.equal('jpg');
    expect(decodeImageData(PNG_1PX)?.bytes.subarray(1, 4).toString()).to.equal('PNG');
    expect(decodeImageData('not base64 !!')).to.equal(undefined);
  });

  it('maps an answer given as an option label onto its value', () => {
    const c = { guid: 'CRD-1', type: 'OPTIONS', options: [{ label: 'Text me', value: 'opt-1' }, { label: 'Correct', value: 'opt-2' }] };
    expect(answerValue(c, 'correct')).to.equal('opt-2');
    expect(answerValue(c, 'opt-1')).to.equal('opt-1');
    expect(answerValue(c, 'other')).to.equal('other');
  });

  it('answers a round from --mfa-answer values first, in order, registering them as secrets', async () => {
    const { ctx, redactor } = context(false);
    const queue = ['first-ans', 'second-ans'];
    const round = await answerRound([{ guid: 'CRD-1', type: 'TEXT' }], queue, ctx, fakePrompts({}).fns);
    expect(round).to.deep.equal({ kind: 'answers', answers: [{ guid: 'CRD-1', value: 'first-ans' }] });
    expect(queue).to.deep.equal(['second-ans']);
    expect(redactor.scrub('first-ans')).to.equal('[redacted]');
  });

  it('without answers or a terminal, reports the round unanswered at once', async () => {
    const { ctx } = context(false);
    const round = await answerRound([{ guid: 'CRD-1', type: 'TEXT' }], [], ctx, fakePrompts({}).fns);
    expect(round).to.deep.equal({ kind: 'unanswered', challenge: { guid: 'CRD-1', type: 'TEXT' } });
  });

  it('on a terminal: TEXT typed, OPTIONS picked from a list, IMAGE_DATA shown as a temp PNG removed afterwards', async () => {
    const { ctx } = context(true);
    let imagePath = '';
    const { fns, asked } = fakePrompts({ 'Pet?': 'rex', 'Send code': 'opt-2', 'What word': 'correct' });
    const wrapped: PromptFns = {
      ...fns,
      input: (async (config: { message: string }, c: unknown) => {
        const m = /the image is at (\S+?):$/.exec(config.message);
        if (m?.[1]) {
          imagePath = m[1];
          expect(readFileSync(imagePath).subarray(1, 4).toString()).to.equal('PNG');
        }
        return (fns.input as unknown as (a: unknown, b: unknown) => Promise<string>)(config, c);
      }) as unknown as PromptFns['input'],
    };
    const round = await answerRound(
      [
        { guid: 'CRD-1', type: 'TEXT', label: 'Pet?' },
        { guid: 'CRD-2', type: 'OPTIONS', label: 'Send code', options: [{ label: 'SMS', value: 'opt-1' }, { label: 'Email', value: 'opt-2' }] },
        { guid: 'CRD-3', type: 'IMAGE_DATA', label: 'What word', image_data: `data:image/png;base64,${PNG_1PX}` },
      ],
      [],
      ctx,
      wrapped,
    );
    expect(round).to.deep.equal({
      kind: 'answers',
      answers: [{ guid: 'CRD-1', value: 'rex' }, { guid: 'CRD-2', value: 'opt-2' }, { guid: 'CRD-3', value: 'correct' }],
    });
    expect(asked.map((a) => a.kind)).to.deep.equal(['input', 'select', 'input']);
    expect(asked[1]?.choices).to.deep.equal([{ name: 'SMS', value: 'opt-1' }, { name: 'Email', value: 'opt-2' }]);
    expect(imagePath).to.match(/mx-statements-mfa-.*\.png$/);
    expect(existsSync(imagePath)).to.equal(false);
  });
});

import { existsSync, readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { expect } from 'chai';
import type { Line } from '../../../lib/cli/render/describe.js';
import {
  answerRound, answerValue, challengeQuestion, gatherCredentials, isSecretField, type PromptContext, type PromptFns,
} from '../../../lib/cli/prompts/answers.js';
import { UsageError } from '../../../lib/cli/usage-error.js';
import { createRedactor } from '../../../lib/cli/redact.js';

const PNG_1PX = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

const context = (interactive: boolean, env: Record<string, string> = {}) => {
  const calls: string[] = [];
  const notes: Line[] = [];
  const output = new PassThrough();
  let drawn = '';
  output.on('data', (c: Buffer) => (drawn += c.toString()));
  const ctx: PromptContext = {
    interactive,
    input: new PassThrough(),
    output,
    signal: new AbortController().signal,
    interrupt: () => calls.push('interrupt'),
    redactor: createRedactor(),
    env,
    pause: () => calls.push('pause'),
    resume: () => calls.push('resume'),
    note: (l) => notes.push(l),
  };
  return { ctx, calls, notes, drawn: () => drawn };
};

interface Asked {
  readonly kind: 'line' | 'choice';
  readonly question: string;
  readonly echo?: string;
  readonly choices?: ReadonlyArray<{ label: string; value: string; detail?: string }>;
}

/** Fake prompts: record what was asked, answer from a script keyed by a part of the question. */
const fakePrompts = (answers: Record<string, string>, onAsk?: (a: Asked) => void) => {
  const asked: Asked[] = [];
  const answer = (question: string) => answers[Object.keys(answers).find((k) => question.includes(k)) ?? ''] ?? 'unscripted';
  const fns: PromptFns = {
    line: async (_t, question, options) => {
      const a: Asked = { kind: 'line', question, ...(options?.echo ? { echo: options.echo } : {}) };
      asked.push(a);
      onAsk?.(a);
      return answer(question);
    },
    choice: async (_t, question, choices) => {
      const a: Asked = { kind: 'choice', question, choices };
      asked.push(a);
      onAsk?.(a);
      return answer(question);
    },
  };
  return { fns, asked };
};

const MXBANK = [
  { guid: 'CRD-2', field_name: 'PASSWORD', label: 'Password', type: 'PASSWORD', display_order: 2 },
  { guid: 'CRD-1', field_name: 'LOGIN', label: 'Username', type: 'LOGIN', display_order: 1 },
];

describe('cli: prompts/answers', () => {
  it('tells secret credential fields apart', () => {
    expect(isSecretField({ guid: 'a', field_name: 'PASSWORD' })).to.equal(true);
    expect(isSecretField({ guid: 'a', field_name: 'LOGIN', type: 'LOGIN' })).to.equal(false);
    expect(isSecretField({ guid: 'a', field_name: 'X', field_type: 'PASSWORD' })).to.equal(true);
  });

  it('fills credentials from flags without asking, and registers the password as a secret', async () => {
    const { ctx } = context(false);
    const values = await gatherCredentials(MXBANK, { username: 'mxuser', password: 'pw-7781-x' }, ctx, fakePrompts({}).fns);
    expect(values).to.deep.equal({ LOGIN: 'mxuser', PASSWORD: 'pw-7781-x' });
    expect(ctx.redactor.scrub('pw-7781-x')).to.equal('[redacted]');
  });

  it('asks on a terminal for what is missing: the password hidden, the live display paused around it', async () => {
    const { ctx, calls } = context(true);
    const { fns, asked } = fakePrompts({ Password: 'typed-pw-991' });
    expect(await gatherCredentials(MXBANK, { username: 'mxuser' }, ctx, fns)).to.deep.equal({ LOGIN: 'mxuser', PASSWORD: 'typed-pw-991' });
    expect(asked).to.deep.equal([{ kind: 'line', question: 'Password:', echo: 'hidden' }]);
    expect(calls).to.deep.equal(['pause', 'resume']);
    expect(ctx.redactor.scrub('typed-pw-991')).to.equal('[redacted]');
  });

  it('without a terminal, a missing value is a usage error naming its flag', async () => {
    const { ctx } = context(false);
    let thrown: unknown;
    await gatherCredentials(MXBANK, { username: 'mxuser' }, ctx, fakePrompts({}).fns).catch((e: unknown) => (thrown = e));
    expect(thrown).to.be.instanceOf(UsageError);
    expect((thrown as UsageError).flag).to.equal('--password');
    expect((thrown as UsageError).message).to.contain('no terminal');
  });

  it('maps an answer given as an option label onto its value', () => {
    const c = { guid: 'CRD-1', type: 'OPTIONS', options: [{ label: 'Text me', value: 'opt-1' }, { label: 'Correct', value: 'opt-2' }] };
    expect(answerValue(c, 'correct')).to.equal('opt-2');
    expect(answerValue(c, 'opt-1')).to.equal('opt-1');
    expect(answerValue(c, 'other')).to.equal('other');
    expect(challengeQuestion(c)).to.equal('Security question (2 choices)');
  });

  it('answers from --mfa-answer first, in order, printing each question once as a note', async () => {
    const { ctx, notes } = context(false);
    const queue = ['first-ans', 'second-ans'];
    const round = await answerRound([{ guid: 'CRD-1', type: 'TEXT', label: 'Pet?' }], queue, ctx, fakePrompts({}).fns);
    expect(round).to.deep.equal({ kind: 'answers', answers: [{ guid: 'CRD-1', value: 'first-ans' }] });
    expect(queue).to.deep.equal(['second-ans']);
    expect(ctx.redactor.scrub('first-ans')).to.equal('[redacted]');
    expect(notes).to.deep.equal([{ kind: 'question', text: 'Pet?: answered with --mfa-answer' }]);
  });

  it('without answers or a terminal, reports the round unanswered at once, naming the question', async () => {
    const { ctx, notes } = context(false);
    const round = await answerRound([{ guid: 'CRD-1', type: 'TOKEN', label: 'Code?' }], [], ctx, fakePrompts({}).fns);
    expect(round).to.deep.equal({ kind: 'unanswered', challenge: { guid: 'CRD-1', type: 'TOKEN', label: 'Code?' } });
    expect(notes).to.deep.equal([{ kind: 'question', text: 'Code? (one-time code): no --mfa-answer left to answer it' }]);
  });

  it('on a terminal: TEXT and TOKEN typed (concealed afterwards), OPTIONS numbered, IMAGE_DATA saved as a file removed afterwards', async () => {
    const { ctx, notes, drawn } = context(true);
    let picture = '';
    const { fns, asked } = fakePrompts({ 'Pet?': 'rex', 'Send code': 'opt-2', Answer: 'correct', 'Code?': '123456' }, (a) => {
      const m = /saved at (\S+): open it/.exec(drawn().replace(/\n +/g, ' '));
      if (a.question === '  Answer:' && m?.[1]) {
        picture = m[1];
        expect(readFileSync(picture).subarray(1, 4).toString()).to.equal('PNG');
      }
    });
    const round = await answerRound(
      [
        { guid: 'CRD-1', type: 'TEXT', label: 'Pet?' },
        { guid: 'CRD-2', type: 'OPTIONS', label: 'Send code', options: [{ label: 'SMS', value: 'opt-1' }, { label: 'Email', value: 'opt-2' }] },
        { guid: 'CRD-3', type: 'IMAGE_DATA', label: 'What word', image_data: `data:image/png;base64,${PNG_1PX}` },
        { guid: 'CRD-4', type: 'TOKEN', label: 'Code?' },
      ],
      [],
      ctx,
      fns,
    );
    expect(round).to.deep.equal({
      kind: 'answers',
      answers: [{ guid: 'CRD-1', value: 'rex' }, { guid: 'CRD-2', value: 'opt-2' }, { guid: 'CRD-3', value: 'correct' }, { guid: 'CRD-4', value: '123456' }],
    });
    expect(asked.map((a) => [a.kind, a.question, a.echo])).to.deep.equal([
      ['line', '? Pet?:', 'concealed'],
      ['choice', '? Send code', undefined],
      ['line', '  Answer:', 'concealed'],
      ['line', '? Code? (one-time code):', 'concealed'],
    ]);
    expect(asked[1]?.choices).to.deep.equal([{ label: 'SMS', value: 'opt-1' }, { label: 'Email', value: 'opt-2' }]);
    expect(drawn()).to.contain('? What word\n');
    expect(picture).to.match(/mx-statements-mfa-[^/]+\/picture\.png$/);
    expect(existsSync(picture)).to.equal(false);
    expect(notes).to.deep.equal([]);
    for (const v of ['rex', 'opt-2', 'correct', '123456']) expect(ctx.redactor.scrub(v)).to.equal('[redacted]');
  });

  it('IMAGE_OPTIONS: each picture saved and named under its choice; inline in a terminal that can show it', async () => {
    const image_options = [1, 2].map((n) => ({ label: `Pic ${n}`, value: `img-${n}`, data_uri: `data:image/png;base64,${PNG_1PX}` }));
    const saved = context(true);
    const a = fakePrompts({ 'Which image': 'img-2' });
    await answerRound([{ guid: 'CRD-5', type: 'IMAGE_OPTIONS', label: 'Which image', image_options }], [], saved.ctx, a.fns);
    expect(a.asked[0]?.choices?.map((c) => c.detail)).to.satisfy((d: string[]) => d.every((x, i) => new RegExp(`^picture: .*/choice-${i + 1}\\.png$`).test(x)));
    const inline = context(true, { TERM_PROGRAM: 'iTerm.app' });
    const b = fakePrompts({ 'Which one': 'img-1' });
    await answerRound([{ guid: 'CRD-5', type: 'IMAGE_OPTIONS', label: 'Which image', image_options }], [], inline.ctx, b.fns);
    expect(inline.drawn().match(/\u001b\]1337;File=inline=1;/g)).to.have.length(2);
    expect(inline.drawn()).to.contain('  1) Pic 1:');
    expect(b.asked[0]?.choices?.every((c) => c.detail === undefined)).to.equal(true);
  });
});

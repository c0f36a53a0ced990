import { PassThrough } from 'node:stream';
import { expect } from 'chai';
import { askChoice, askLine, PromptInterrupted, type PromptTerminal } from '../../../lib/cli/prompts/ask.js';

/** A terminal of pipes: what is typed is fed line by line as the prompt asks; what is drawn is kept. */
const pipes = (typed: ReadonlyArray<string>, signal = new AbortController().signal) => {
  const input = new PassThrough();
  const output = new PassThrough();
  let drawn = '';
  output.on('data', (c: Buffer) => (drawn += c.toString()));
  let interrupted = 0;
  const t: PromptTerminal = { input, output, signal, interrupt: () => (interrupted += 1) };
  // Feed every answer up front: readline buffers what it has not consumed yet.
  for (const line of typed) input.write(`${line}\n`);
  return { t, drawn: () => drawn, input, interrupted: () => interrupted };
};

describe('cli: prompts/ask', () => {
  it('asks for a line until one is given, escaping the question', async () => {
    const p = pipes(['', '  ', 'rex']);
    expect(await askLine(p.t, 'Pet\u001b]0;x\u0007?')).to.equal('rex');
    expect(p.drawn()).to.contain('Pet\\e]0;x\\x07? ');
    expect(p.drawn().match(/an answer is required/g)).to.have.length(2);
  });

  it('numbers the choices and takes a number or a label (any case), asking again otherwise', async () => {
    const p = pipes(['7', 'email']);
    const value = await askChoice(p.t, '? Send the code by', [
      { label: 'SMS', value: 'opt-1' },
      { label: 'Email', value: 'opt-2', detail: 'picture: /tmp/x/choice-2.png' },
    ]);
    expect(value).to.equal('opt-2');
    expect(p.drawn()).to.contain('? Send the code by\n  1) SMS\n  2) Email\n     picture: /tmp/x/choice-2.png\n');
    expect(p.drawn()).to.contain('type a number from 1 to 2');
    expect(await askChoice(pipes(['1']).t, 'q', [{ label: 'A', value: 'a' }, { label: 'B', value: 'b' }])).to.equal('a');
  });

  it('ends when the run is aborted (--timeout, Ctrl-C elsewhere), with the abort reason', async () => {
    const controller = new AbortController();
    const p = pipes([], controller.signal);
    const asked = askLine(p.t, 'Password:', { echo: 'hidden' });
    setTimeout(() => controller.abort({ _tag: 'RunTimeout', message: '--timeout', timeoutMs: 1 }), 10);
    let thrown: unknown;
    await asked.catch((e: unknown) => (thrown = e));
    expect(thrown).to.deep.equal({ _tag: 'RunTimeout', message: '--timeout', timeoutMs: 1 });
  });

  it('ends when the input does (Ctrl-D), as an interruption', async () => {
    const p = pipes([]);
    const asked = askLine(p.t, 'Answer:');
    p.input.end();
    let thrown: unknown;
    await asked.catch((e: unknown) => (thrown = e));
    expect(thrown).to.be.instanceOf(PromptInterrupted);
  });

  it('never echoes a hidden answer', async () => {
    const p = pipes(['s3cret-typed']);
    expect(await askLine(p.t, 'Password:', { echo: 'hidden' })).to.equal('s3cret-typed');
    expect(p.drawn()).to.equal('Password: \n');
  });
});

/**
 * Asking the person at the terminal, on node:readline only: a line of text (shown while typed, optionally
 * replaced by "(answered)" once entered), a hidden line (nothing echoed: passwords), and a numbered choice.
 * Ctrl-C in a prompt interrupts the run like SIGINT; Ctrl-D (end of input) and an aborted run end the prompt.
 *
 * @module
 */
import * as readline from 'node:readline';
import { Writable } from 'node:stream';
import { rowsOf, terminalSafe, wrapLine } from '../render/text.js';

/** The terminal a prompt uses. */
export interface PromptTerminal {
  readonly input: NodeJS.ReadableStream & { readonly isTTY?: boolean };
  /** Where questions are drawn (stderr, so `--json` stdout stays clean). */
  readonly output: NodeJS.WritableStream & { readonly isTTY?: boolean; readonly columns?: number };
  /** Aborts an open prompt (`--timeout`, SIGINT). */
  readonly signal: AbortSignal;
  /** Called on Ctrl-C inside a prompt (the terminal is in raw mode then, so no SIGINT reaches the process). */
  readonly interrupt: () => void;
}

/** Thrown when the person pressed Ctrl-C in a prompt, or ended its input (Ctrl-D). */
export class PromptInterrupted extends Error {
  override readonly name = 'PromptInterrupted';
}

/** How a typed answer is shown. */
export type Echo = 'visible' | 'concealed' | 'hidden';

/** Options of {@link askLine}. */
export interface AskLineOptions {
  /**
   * `'visible'` (default): shown while typed and kept; `'concealed'`: shown while typed, then replaced by
   * "(answered)" (MFA answers); `'hidden'`: never echoed (passwords).
   */
  readonly echo?: Echo;
  /** Returns a reason to ask again, or `undefined` to accept. Default: any non-blank line. */
  readonly validate?: (line: string) => string | undefined;
}

const muted = (): Writable => new Writable({ write: (_c, _e, cb) => cb() });

const requireAnswer = (line: string): string | undefined => (line.trim() === '' ? 'an answer is required' : undefined);

const width = (t: PromptTerminal): number => (t.output.columns !== undefined && t.output.columns > 0 ? t.output.columns - 1 : 0);

/**
 * Reads one line; the last line of the question is readline's prompt (so line editing redraws it correctly). A
 * concealed line is replaced by "(answered)" when `validate` accepts it, else by nothing (it is asked again).
 */
const readOnce = (
  t: PromptTerminal,
  questionLines: ReadonlyArray<string>,
  echo: Echo,
  validate: (line: string) => string | undefined,
): Promise<string> =>
  new Promise<string>((resolve, reject) => {
    if (t.signal.aborted) {
      reject(t.signal.reason);
      return;
    }
    const terminal = t.input.isTTY === true && t.output.isTTY === true;
    const last = questionLines.at(-1) ?? '';
    for (const l of questionLines.slice(0, -1)) t.output.write(`${l}\n`);
    const rl = readline.createInterface({
      input: t.input,
      output: echo === 'hidden' ? muted() : t.output,
      terminal,
      historySize: 0,
    });
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      t.signal.removeEventListener('abort', onAbort);
      rl.close();
      fn();
    };
    const onAbort = () => finish(() => {
      t.output.write('\n');
      reject(t.signal.reason);
    });
    t.signal.addEventListener('abort', onAbort, { once: true });
    rl.on('SIGINT', () => finish(() => {
      t.output.write('\n');
      t.interrupt();
      reject(new PromptInterrupted('interrupted by Ctrl-C'));
    }));
    rl.once('close', () => finish(() => {
      t.output.write('\n');
      reject(new PromptInterrupted('the terminal closed its input (Ctrl-D) before an answer'));
    }));
    rl.once('line', (line) => finish(() => {
      if (echo === 'hidden') t.output.write('\n');
      else if (echo === 'concealed' && terminal) {
        // Replace the echoed answer: up over the rows the prompt line and the answer took, then rewrite it.
        const columns = t.output.columns ?? 0;
        const rows = rowsOf(`${last}${line}`, columns);
        const outcome = validate(line) === undefined ? '(answered)' : '';
        const shown = wrapLine(`${last}${outcome}`, columns > 0 ? columns - 1 : 0, { indent: '  ' }).join('\n').trimEnd();
        t.output.write(`\u001b[${rows}A\r\u001b[J${shown}\n`);
      }
      resolve(line);
    }));
    if (echo === 'hidden') t.output.write(last);
    else {
      rl.setPrompt(last);
      rl.prompt();
    }
  });

/**
 * Asks for one line of text until it passes `validate`. The question is escaped (it may come from a server)
 * and wrapped to the terminal.
 *
 * @example
 * ```ts
 * import { askLine, type PromptTerminal } from './ask.js';
 * declare const terminal: PromptTerminal;
 *
 * const password = await askLine(terminal, 'Password:', { echo: 'hidden' });
 * ```
 */
export const askLine = async (t: PromptTerminal, question: string, options: AskLineOptions = {}): Promise<string> => {
  const validate = options.validate ?? requireAnswer;
  const lines = wrapLine(`${terminalSafe(question)} `, width(t), { indent: '  ' });
  lines[lines.length - 1] = `${(lines.at(-1) ?? '').trimEnd()} `;
  for (;;) {
    const line = await readOnce(t, lines, options.echo ?? 'visible', validate);
    const problem = validate(line);
    if (problem === undefined) return line;
    t.output.write(`  ${terminalSafe(problem)}\n`);
  }
};

/** One choice of {@link askChoice}. */
export interface Choice {
  readonly label: string;
  readonly value: string;
  /** A line shown under the label (where its picture was saved, say). */
  readonly detail?: string;
}

/**
 * Lists `choices` numbered from 1 and asks for a number (or a label, any case); returns the chosen `value`.
 *
 * @example
 * ```ts
 * import { askChoice, type PromptTerminal } from './ask.js';
 * declare const terminal: PromptTerminal;
 *
 * const value = await askChoice(terminal, 'Send the code by?', [{ label: 'SMS', value: 'opt-1' }, { label: 'Email', value: 'opt-2' }]);
 * ```
 */
export const askChoice = async (t: PromptTerminal, question: string, choices: ReadonlyArray<Choice>): Promise<string> => {
  const w = width(t);
  const listed = choices.flatMap((c, i) => {
    const head = `  ${String(i + 1).padStart(String(choices.length).length)}) `;
    const indent = ' '.repeat(head.length);
    return [
      ...wrapLine(`${head}${terminalSafe(c.label)}`, w, { indent }),
      ...(c.detail ? wrapLine(`${indent}${terminalSafe(c.detail)}`, w, { indent }) : []),
    ];
  });
  for (const l of [...wrapLine(terminalSafe(question), w, { indent: '  ' }), ...listed]) t.output.write(`${l}\n`);
  const pick = (line: string): Choice | undefined => {
    const text = line.trim();
    if (/^\d+$/.test(text)) return choices[Number(text) - 1];
    return choices.find((c) => c.label.toLowerCase() === text.toLowerCase());
  };
  const answer = await askLine(t, `  Choose 1-${choices.length}:`, {
    validate: (line) => (pick(line) ? undefined : `type a number from 1 to ${choices.length}`),
  });
  const chosen = pick(answer);
  if (!chosen) throw new Error('askChoice: validated answer has no choice'); // unreachable: validate checked it
  return chosen.value;
};

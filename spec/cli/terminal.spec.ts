/**
 * The CLI in a real pseudo-terminal (tmux), at 80 and 120 columns: `fetch` (the demo, MFA of each kind, a host
 * that is down, Ctrl-C in a prompt) and `sync`. The screens are asserted as a person reads them: nothing
 * clipped (the full paths and URL are there), no stray characters (no leftover of the live region, every
 * step line exactly as expected), progress shown while it runs, and one summary no wider than the terminal.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { expect } from 'chai';
import { displayWidth } from '../../lib/cli/render/text.js';
import { CLI } from './helpers.js';
import { startTmuxServer, type Pane, type TmuxServer } from './helpers/tmux.js';

const SPINNER = /^[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] /;
/** Text only the live region shows: none of it may be left on the screen once the run is over. */
const REGION_ONLY = /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏█░]|Waiting:|next poll in|Listing statements|Downloading|members? done|started ·/;
const SHORT = (p: string) => `${p}-[0-9a-f]{4}…[0-9a-f]{4}`;

/** Every line that starts with a step mark, in full: a leftover tail ("startedution") cannot match. */
const STEP_LINES: ReadonlyArray<RegExp> = [
  new RegExp(`^✔ User ${SHORT('USR')} \\(id [\\w-]+\\) (created|ready)$`),
  /^✔ Institution MX Bank \(mxbank\)$/,
  /^✔ The institution asks for Username, Password$/,
  new RegExp(`^✔ Member ${SHORT('MBR')} (created|reused \\(it already existed\\))$`),
  /^✔ Statements job started$/,
  /^✔ Statements job already running: following it$/,
  /^\? MFA round \d: the institution asks 1 question$/,
  /^✔ MFA round \d answered$/,
  /^✔ Connected after \d+ polls?(, 1 MFA round)?$/,
  new RegExp(`^✔ Saved ${SHORT('STA')} \\([\\d.]+ KB\\)$`),
  new RegExp(`^✔ ${SHORT('MBR')} synced: 6 PDFs, 6 new \\([\\d.]+ KB\\)$`),
  /^↻ POST \/users: connection refused; retrying in \d+(\.\d)? m?s, attempt 2 of 2$/,
  /^✖ NetworkError: POST \/users: connection refused — is the host reachable\? Check --base-url or --env$/,
  /^✖ Interrupted: stopped(: interrupted)? by Ctrl-C( \(SIGINT\))?; no partial file kept$/,
];

/** Joins a wrapped message: its continuation lines are indented by two spaces. */
const message = (lines: string[], start: RegExp): string => {
  const i = lines.findIndex((l) => start.test(l));
  if (i === -1) return '';
  let text = lines[i] ?? '';
  for (const l of lines.slice(i + 1)) {
    if (!/^ {2}\S/.test(l)) break;
    text += ` ${l.trim()}`;
  }
  return text;
};

/** Lines indented by two spaces that are rows of their own (choices, prompt lines, summary rows), not continuations. */
const OWN_ROW = /^ {2}(\d+\) |Choose |Answer:|type a number|The picture is saved|STA-)/;

/** The step lines of a screen with their wrapped continuation lines joined back. */
const stepMessages = (lines: string[]): string[] => {
  const out: string[] = [];
  for (const l of lines) {
    if (/^ {2}\S/.test(l) && !OWN_ROW.test(l) && out.length > 0 && /^[✔↷?✖↻•] /.test(out.at(-1) ?? '')) out[out.length - 1] += ` ${l.trim()}`;
    else out.push(l);
  }
  return out.filter((l) => /^[✔↷?✖↻•] /.test(l));
};

/** The checks every final screen passes. */
const expectCleanScreen = (lines: string[], columns: number, rows: string[]): void => {
  for (const l of lines) expect(l, `a leftover of the live region: ${JSON.stringify(l)}`).to.not.match(REGION_ONLY);
  for (const m of stepMessages(lines)) {
    if (/^\? (?!MFA round)/.test(m) || m.startsWith('• Using')) continue; // a question (asked by its prompt) or the target line
    expect(STEP_LINES.some((re) => re.test(m)), `an unexpected step line: ${JSON.stringify(m)}`).to.equal(true);
  }
  // What the CLI itself wrapped is never wider than the terminal; only a single word longer than a line (a
  // path) may wrap, and then it is whole in the joined line.
  for (const r of rows) expect(displayWidth(r), r).to.be.at.most(columns);
};

/** The one summary of a fetch: counts, the folder once, each file; no line of it wider than the terminal. */
const expectFetchSummary = async (lines: string[], cwd: string, columns: number): Promise<void> => {
  expect(lines.filter((l) => /^Done in /.test(l)), 'one summary').to.have.length(1);
  const at = lines.findIndex((l) => /^Done in /.test(l));
  const summary = lines.slice(at).filter((l) => l !== '');
  expect(summary[0]).to.match(/^Done in [\d.]+ m?s: 6 statements, [\d.]+ KB \(6 saved, 0 already saved\)$/);
  const folder = summary[1] ?? '';
  expect(folder).to.match(/^statements\/MBR-[0-9a-f]{32}\/$/);
  const files = (await readdir(path.join(cwd, folder))).filter((f) => f.endsWith('.pdf')).sort();
  expect(files).to.have.length(6);
  const rows = summary.slice(2, 8);
  expect(rows.map((r) => r.trim().split(/\s+/)[0]).sort()).to.deep.equal(files);
  for (const r of rows) expect(r).to.match(/^ {2}STA-[0-9a-f]{32}\.pdf {2}[\d.]+ KB {2}saved$/);
  for (const l of summary) expect(displayWidth(l), l).to.be.below(columns);
};

const closedPort = (): Promise<number> =>
  new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

describe('cli: in a real terminal (tmux)', function () {
  this.timeout(60_000);
  let tmux: TmuxServer;
  let tmp: string;
  before(async () => {
    tmux = await startTmuxServer();
  });
  after(async () => {
    await tmux?.kill();
  });
  beforeEach(async () => {
    tmp = await mkdtemp(path.join(tmpdir(), 'mx-cli-tty-'));
  });
  afterEach(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  const open = (args: string[], columns: number, env: Record<string, string> = {}): Promise<Pane> =>
    tmux.open([process.execPath, CLI, ...args], { columns, rows: 40, cwd: tmp, env });

  for (const columns of [80, 120]) {
    it(`fetch at ${columns} columns: the target at once, live progress, finished steps above it, one summary that fits`, async () => {
      const pane = await open(['fetch', '--aggregation-ms', '1500'], columns);
      const live = await pane.waitFor((l) => l.some((x) => SPINNER.test(x) && /Waiting: /.test(x)), 15_000);
      expect(live[0]).to.match(/^• Using the embedded MX sandbox at /);
      expect(live.filter((l) => SPINNER.test(l)), 'one live line').to.have.length(1);
      expect(await pane.exit()).to.deep.equal({ status: 0 });
      const lines = await pane.lines();
      expectCleanScreen(lines, columns, await pane.rows());
      expect(message(lines, /^• Using/)).to.match(/^• Using the embedded MX sandbox at http:\/\/127\.0\.0\.1:\d+; PDFs go to statements\/$/);
      expect(lines.filter((l) => /^✔ Saved /.test(l))).to.have.length(6);
      await expectFetchSummary(lines, tmp, columns);
    });

    it(`a host that is down, at ${columns} columns: the target and each retry show at once, then one failure line`, async () => {
      const port = await closedPort();
      const pane = await open(['fetch', '--base-url', `http://127.0.0.1:${port}`, '--client-id', 'c', '--username', 'u', '--password', 'tty-pw-1234', '--retries', '1'], columns, { MX_API_KEY: 'tty-key-5678' });
      const early = await pane.waitFor(/↻ POST \/users: connection refused; retrying in/, 8_000);
      expect(early[0]).to.equal(`• Using the MX API at http://127.0.0.1:${port}; PDFs go to statements/`);
      expect(await pane.exit()).to.deep.equal({ status: 5 });
      const lines = await pane.lines();
      expectCleanScreen(lines, columns, await pane.rows());
      expect(stepMessages(lines).at(-1)).to.match(/^✖ NetworkError: POST \/users: connection refused — is the host reachable\? Check --base-url or --env$/);
      expect(lines.join('\n')).to.not.contain('tty-pw-1234').and.not.contain('tty-key-5678');
    });

    it(`sync at ${columns} columns: one live region with members done of all, PDFs and rate; finished members scroll above; one summary`, async () => {
      const pane = await open(['sync', '--seed-users', '6', '--concurrency', '2', '--aggregation-ms', '400'], columns);
      const member = new RegExp(`^ {2}${SHORT('MBR')} `);
      const live = await pane.waitFor((l) => l.some((x) => SPINNER.test(x) && /members done/.test(x)) && l.some((x) => member.test(x)), 15_000);
      const headline = live.find((x) => SPINNER.test(x)) ?? '';
      expect(headline).to.match(/^[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] \d+ members? done, \d+ started · \d+ PDFs?, [\d.]+ K?B( · [\d.]+ members\/s)?/);
      expect(live.filter((l) => SPINNER.test(l)), 'one headline').to.have.length(1);
      expect(await pane.exit()).to.deep.equal({ status: 0 });
      const lines = await pane.lines();
      expectCleanScreen(lines, columns, await pane.rows());
      expect(lines.filter((l) => / synced: 6 PDFs/.test(l))).to.have.length(6);
      const summary = lines.slice(lines.findIndex((l) => /^Done in /.test(l)));
      expect(lines.filter((l) => /^Done in /.test(l))).to.have.length(1);
      expect(summary).to.have.length(2);
      expect(summary[0]).to.match(/^Done in [\d.]+ m?s: 6 members synced, 0 need their user, 0 failed \(6 in all\)$/);
      expect(summary[1]).to.match(/^Statements: 36 PDFs, [\d.]+ KB \(36 downloaded, 0 already saved\) in statements\/$/);
      for (const l of summary) expect(displayWidth(l)).to.be.below(columns);
    });
  }

  /** Runs the demo with an MFA password, answers at the prompt, and checks the question was shown once. */
  const mfa = async (password: string, columns: number, answer: (pane: Pane, screen: string[]) => Promise<void>): Promise<string[]> => {
    const pane = await open(['fetch', '--aggregation-ms', '200', '--password', password], columns);
    const asking = await pane.waitFor(/^\? MFA round 1: the institution asks 1 question$/m, 15_000);
    await answer(pane, asking);
    expect(await pane.exit()).to.deep.equal({ status: 0 });
    const lines = await pane.lines();
    expectCleanScreen(lines, columns, await pane.rows());
    expect(lines.filter((l) => /^\? /.test(l)), 'the round line and the question, each once').to.have.length(2);
    await expectFetchSummary(lines, tmp, columns);
    return lines;
  };

  it('MFA TEXT: the question once, the answer typed and then concealed', async () => {
    const lines = await mfa('challenge', 80, async (pane) => {
      await pane.waitFor(/^\? What city were you born in\?[^]*\): ?$/m);
      await pane.send('-l', 'correct');
      await pane.send('Enter');
    });
    expect(stepMessages(lines).find((m) => m.startsWith('? What city'))).to.match(/^\? What city were you born in\? .*\): \(answered\)$/);
    expect(lines.join('\n')).to.not.match(/\bcorrect$/m);
  });

  it('MFA TEXT at 120 columns, with a wrong choice first: the prompt asks again', async () => {
    await mfa('challenge', 120, async (pane) => {
      await pane.waitFor(/\(answer "correct"/);
      await pane.send('-l', 'correct');
      await pane.send('Enter');
    });
  });

  it('MFA OPTIONS: a numbered list, a wrong number refused, the right one taken', async () => {
    const lines = await mfa('options', 80, async (pane) => {
      const screen = await pane.waitFor(/Choose 1-3: ?$/m);
      const correct = screen.find((l) => /^ {2}\d\) Correct$/.test(l))?.trim()[0] ?? '';
      expect(correct).to.match(/^[1-3]$/);
      await pane.send('-l', '9');
      await pane.send('Enter');
      await pane.waitFor(/type a number from 1 to 3/);
      await pane.send('-l', correct);
      await pane.send('Enter');
    });
    expect(lines.filter((l) => /^ {2}[1-3]\) /.test(l))).to.have.length(3);
  });

  it('MFA TOKEN: the one-time code', async () => {
    await mfa('token', 80, async (pane) => {
      await pane.waitFor(/\(one-time code\): ?$/m);
      await pane.send('-l', '123456');
      await pane.send('Enter');
    });
  });

  it('MFA IMAGE_DATA: the picture saved where the screen says (tmux shows none inline), removed once answered', async () => {
    let picture = '';
    await mfa('image', 80, async (pane) => {
      const screen = await pane.waitFor(/Answer: ?$/m);
      picture = /The picture is saved at (\S+): open it to answer\./.exec(screen.join(' ').replace(/\s{2,}/g, ' '))?.[1] ?? '';
      expect(picture).to.match(/mx-statements-mfa-[^/]+\/picture\.(png|jpg|gif|bin)$/);
      expect(existsSync(picture)).to.equal(true);
      await pane.send('-l', 'correct');
      await pane.send('Enter');
    });
    expect(existsSync(picture)).to.equal(false);
  });

  it('MFA IMAGE_OPTIONS: each picture saved under its numbered choice', async () => {
    await mfa('image_options', 80, async (pane) => {
      const screen = await pane.waitFor(/Choose 1-3: ?$/m);
      const pictures = screen.filter((l) => /^ {5}picture: /.test(l)).map((l) => l.trim().slice('picture: '.length));
      expect(pictures).to.have.length(3);
      for (const p of pictures) expect(existsSync(p), p).to.equal(true);
      const correct = screen.find((l) => /^ {2}\d\) Correct$/.test(l))?.trim()[0] ?? '';
      await pane.send('-l', correct);
      await pane.send('Enter');
    });
  });

  it('Ctrl-C in a prompt ends the run at once with 130 and a visible cursor', async () => {
    const pane = await open(['fetch', '--aggregation-ms', '200', '--password', 'challenge'], 80);
    await pane.waitFor(/What city were you born in\?/);
    await pane.send('C-c');
    expect(await pane.exit(5_000)).to.deep.equal({ status: 130 });
    const lines = await pane.lines();
    expectCleanScreen(lines, 80, await pane.rows());
    expect(stepMessages(lines).at(-1)).to.match(/^✖ Interrupted: stopped(: interrupted)? by Ctrl-C( \(SIGINT\))?; no partial file kept$/);
    expect(await readdir(tmp)).to.deep.equal([]);
  });
});

/**
 * The CLI in a real pseudo-terminal (tmux), at 80 and 120 columns: `fetch` (the demo, MFA of each kind, a host
 * that is down, Ctrl-C in a prompt) and `sync`. The screens are asserted as a person reads them: nothing
 * clipped (the full paths and URL are there), no stray characters (no leftover of the live region, every
 * step line exactly as expected), progress shown while it runs, and one summary no wider than the terminal.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { unusedPort } from '../helpers/ports.js';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { expect } from 'chai';
import { displayWidth } from '../../lib/cli/render/text.js';
import { CLI } from './helpers.js';
import { startTmuxServer, type Pane, type TmuxServer } from './helpers/tmux.js';
import { pressWindowButton } from './helpers/oauth-window.js';

const SPINNER = /^[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] /;
/** Text only the live region shows: none of it may be left on the screen once the run is over. */
const REGION_ONLY = /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏█░]|Waiting:|Waiting for your sign-in|next poll in|Listing statements|Downloading|members? done|started ·/;
const SHORT = (p: string) => `${p}-[0-9a-f]{4}…[0-9a-f]{4}`;

/** Every line that starts with a step mark, in full: a leftover tail ("startedution") cannot match. */
const STEP_LINES: ReadonlyArray<RegExp> = [
  new RegExp(`^✔ User ${SHORT('USR')} \\(id [\\w-]+\\) (created|ready)$`),
  /^✔ Institution MX Bank \(mxbank\)$/,
  /^✔ Institution MX Bank \(OAuth\) \(mx_bank_oauth\)$/,
  /^✔ Opened it with fake-browser: finish signing in there$/,
  /^✖ ConnectionFailed: member MBR-[0-9a-f]{4}…[0-9a-f]{4}: the sign-in at the bank was denied — run again for a new link$/,
  /^✔ Authorized at MX Bank \(OAuth\) after \d+(\.\d)? m?s$/,
  /^• Listed every member: \d+ members? in all$/,
  /^✔ The institution asks for Username, Password$/,
  new RegExp(`^✔ Member ${SHORT('MBR')} (created|reused \\(it already existed\\))$`),
  /^✔ Statements job started$/,
  /^✔ User id [\w-]+ (created|ready)$/,
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
    if (/^\? (?!MFA round)/.test(m) || /^• (Using|Webhooks: receiving)/.test(m)) continue; // a question (asked by its prompt) or the target line
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

  const runs = [{ columns: 80, version: 'v20111101' }, { columns: 80, version: 'v20250224' }, { columns: 120, version: 'v20111101' }] as const;
  for (const { columns, version } of runs) {
    it(`fetch in ${version} at ${columns} columns: the target at once, live progress, finished steps above it, one summary that fits`, async () => {
      const pane = await open(['fetch', '--aggregation-ms', '1500', '--api-version', version], columns);
      const live = await pane.waitFor((l) => l.some((x) => SPINNER.test(x) && /Waiting: /.test(x)), 15_000);
      expect(live[0]).to.match(/^• Using the embedded MX sandbox at /);
      expect(live.filter((l) => SPINNER.test(l)), 'one live line').to.have.length(1);
      expect(await pane.exit()).to.deep.equal({ status: 0 });
      const lines = await pane.lines();
      expectCleanScreen(lines, columns, await pane.rows());
      expect(message(lines, /^• Using/)).to.equal(`• Using the embedded MX sandbox at ${/http:\/\/127\.0\.0\.1:\d+/.exec(message(lines, /^• Using/))?.[0] ?? '?'}, API ${version}; PDFs go to statements/`);
      expect(lines.filter((l) => /^✔ Saved /.test(l))).to.have.length(6);
      await expectFetchSummary(lines, tmp, columns);
    });
  }

  for (const columns of [80, 120]) {
    it(`a host that is down, at ${columns} columns: the target and each retry show at once, then one failure line`, async () => {
      const port = await unusedPort();
      const pane = await open(['fetch', '--base-url', `http://127.0.0.1:${port}`, '--client-id', 'c', '--username', 'u', '--password', 'tty-pw-1234', '--retries', '1'], columns, { MX_API_KEY: 'tty-key-5678' });
      const early = await pane.waitFor(/↻ POST \/users: connection refused; retrying in/, 8_000);
      expect(early[0]).to.equal(`• Using the MX API at http://127.0.0.1:${port}, v20111101; PDFs go to statements/`);
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
      // Once the lazy listing ended, the run's size is known: members done of all, and the ETA.
      await pane.waitFor((l) => l.some((x) => SPINNER.test(x) && /^. [1-5]\/6 members done · .* · ETA \d/.test(x)), 15_000);
      expect(await pane.exit()).to.deep.equal({ status: 0 });
      const lines = await pane.lines();
      expectCleanScreen(lines, columns, await pane.rows());
      expect(lines.filter((l) => / synced: 6 PDFs/.test(l))).to.have.length(6);
      expect(lines.filter((l) => l === '• Listed every member: 6 members in all')).to.have.length(1);
      const summary = lines.slice(lines.findIndex((l) => /^Done in /.test(l)));
      expect(lines.filter((l) => /^Done in /.test(l))).to.have.length(1);
      expect(summary).to.have.length(2);
      expect(summary[0]).to.match(/^Done in [\d.]+ m?s, 1 pass: 6 of 6 members synced, 0 need their user, 0 failed$/);
      expect(summary[1]).to.match(/^Statements: 36 PDFs, [\d.]+ KB \(36 downloaded, 0 already saved\) in statements\/$/);
      for (const l of summary) expect(displayWidth(l)).to.be.below(columns);
    });
  }

  /** Runs the demo with an MFA password, answers at the prompt, and checks the question was shown once. */
  const mfa = async (password: string, columns: number, answer: (pane: Pane, screen: string[]) => Promise<void>, asked = 1): Promise<string[]> => {
    const pane = await open(['fetch', '--aggregation-ms', '200', '--password', password], columns);
    const asking = await pane.waitFor(/^\? MFA round 1: the institution asks 1 question$/m, 15_000);
    await answer(pane, asking);
    expect(await pane.exit()).to.deep.equal({ status: 0 });
    const lines = await pane.lines();
    expectCleanScreen(lines, columns, await pane.rows());
    expect(lines.filter((l) => /^\? /.test(l)), 'the round line once, the question once per time asked').to.have.length(1 + asked);
    await expectFetchSummary(lines, tmp, columns);
    return lines;
  };

  for (const columns of [80, 120]) {
    it(`MFA TEXT at ${columns} columns: an empty answer asked again (not marked answered), the answer typed and then concealed`, async () => {
      const lines = await mfa('challenge', columns, async (pane) => {
        await pane.waitFor(/^\? What city were you born in\?[^]*\): ?$/m);
        await pane.send('Enter');
        await pane.waitFor(/an answer is required/);
        await pane.send('-l', 'correct');
        await pane.send('Enter');
      }, 2);
      // asked twice: the empty answer is not marked answered, the typed one is
      expect(stepMessages(lines).filter((m) => m.startsWith('? What city')).map((m) => m.endsWith('): (answered)'))).to.deep.equal([false, true]);
      expect(lines.join('\n')).to.not.match(/\bcorrect$/m);
    });

    it(`MFA OPTIONS at ${columns} columns: a numbered list, a wrong number refused, the right one taken`, async () => {
      const lines = await mfa('options', columns, async (pane) => {
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

    it(`MFA TOKEN at ${columns} columns: the one-time code`, async () => {
      const lines = await mfa('token', columns, async (pane) => {
        await pane.waitFor(/\(one-time code\): ?$/m);
        await pane.send('-l', '123456');
        await pane.send('Enter');
      });
      expect(lines.join('\n')).to.not.match(/\b123456$/m);
    });

    it(`MFA IMAGE_DATA at ${columns} columns: the picture saved where the screen says (tmux shows none inline), removed once answered`, async () => {
      let picture = '';
      await mfa('image', columns, async (pane) => {
        const screen = await pane.waitFor(/Answer: ?$/m);
        picture = /The picture is saved at (\S+): open it to answer\./.exec(screen.join(' ').replace(/\s{2,}/g, ' '))?.[1] ?? '';
        expect(picture).to.match(/mx-statements-mfa-[^/]+\/picture\.(png|jpg|gif|bin)$/);
        expect(existsSync(picture)).to.equal(true);
        await pane.send('-l', 'correct');
        await pane.send('Enter');
      });
      expect(existsSync(picture)).to.equal(false);
    });

    it(`MFA IMAGE_OPTIONS at ${columns} columns: each picture saved under its numbered choice`, async () => {
      await mfa('image_options', columns, async (pane) => {
        const screen = await pane.waitFor(/Choose 1-3: ?$/m);
        const pictures = screen.filter((l) => /^ {5}picture: /.test(l)).map((l) => l.trim().slice('picture: '.length));
        expect(pictures).to.have.length(3);
        for (const p of pictures) expect(existsSync(p), p).to.equal(true);
        const correct = screen.find((l) => /^ {2}\d\) Correct$/.test(l))?.trim()[0] ?? '';
        await pane.send('-l', correct);
        await pane.send('Enter');
      });
    });
  }

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
  describe('OAuth (MX Bank OAuth in the embedded sandbox)', () => {
    /** The window's URL as the screen shows it: whole on a line of its own (the joined lines undo a soft wrap). */
    const urlOnScreen = (lines: string[]): string => {
      const at = lines.findIndex((l) => /^\? Sign in to MX Bank \(OAuth\) in your browser:$/.test(l));
      const url = (lines[at + 1] ?? '').trim();
      expect(url).to.match(/^http:\/\/127\.0\.0\.1:\d+\/oauth\/window\/[0-9a-f]+$/);
      return url;
    };

    for (const columns of [80, 120]) {
      it(`at ${columns} columns: the URL whole with the institution, a calm live wait (time waited, the deadline), then Authorize pressed in "the browser" (a form post): PDFs`, async () => {
        const pane = await open(['fetch', '--institution-code', 'mx_bank_oauth', '--aggregation-ms', '300'], columns);
        // The live line, its wrapped rows joined back: how long so far, and when it gives up.
        const live = (l: string[]) => message(l, /^[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] Waiting for your sign-in/);
        const waiting = await pane.waitFor((l) => /^. Waiting for your sign-in at MX Bank \(OAuth\) · PENDING until you authorize · \d+(\.\d)? s so far, gives up in 29 min \d+ s \(at \d\d:\d\d\)$/.test(live(l)), 15_000);
        const url = urlOnScreen(waiting);
        // No display in tmux: nothing to open it with, so the screen says to open it anywhere (and why).
        expect(message(waiting, /^\? Open it in a browser/)).to.equal('? Open it in a browser on any device (nothing to open it with here: DISPLAY is not set); the run goes on by itself once you authorize');
        expect(waiting.filter((l) => SPINNER.test(l)), 'one live line').to.have.length(1);
        expect(await pressWindowButton(url, 'authorize')).to.equal(200);
        expect(await pane.exit()).to.deep.equal({ status: 0 });
        const lines = await pane.lines();
        expectCleanScreen(lines, columns, await pane.rows());
        expect(lines.join('\n')).to.not.match(/PENDING/);
        await expectFetchSummary(lines, tmp, columns);
      });

      it(`Deny at ${columns} columns: exit 3 and one line saying the sign-in was denied`, async () => {
        const pane = await open(['fetch', '--institution-code', 'mx_bank_oauth', '--aggregation-ms', '300'], columns);
        const url = urlOnScreen(await pane.waitFor(/Waiting for your sign-in/));
        expect(await pressWindowButton(url, 'deny')).to.equal(200);
        expect(await pane.exit()).to.deep.equal({ status: 3 });
        const lines = await pane.lines();
        expectCleanScreen(lines, columns, await pane.rows());
        expect(stepMessages(lines).at(-1)).to.match(/^✖ ConnectionFailed: member MBR-[0-9a-f]{4}…[0-9a-f]{4}: the sign-in at the bank was denied — run again for a new link$/);
      });
    }

    it('Enter opens it with the system\'s opener ($BROWSER here): the exact URL, said once; a failing opener only says so, the run goes on', async () => {
      const bin = path.join(tmp, 'bin');
      await mkdir(bin);
      const record = path.join(tmp, 'opened.txt');
      const fake = path.join(bin, 'fake-browser');
      await writeFile(fake, `#!/bin/sh\nprintf '%s' "$1" > '${record}'\nexit 0\n`, { mode: 0o755 });
      const pane = await open(['fetch', '--institution-code', 'mx_bank_oauth', '--aggregation-ms', '300'], 80, { BROWSER: fake });
      const offered = await pane.waitFor(/Press Enter to open it with fake-browser/);
      expect(message(offered, /^\? Press Enter/)).to.equal('? Press Enter to open it with fake-browser, or copy it into a browser; the run goes on by itself once you authorize');
      const url = urlOnScreen(offered);
      await pane.send('Enter');
      await pane.waitFor(/^✔ Opened it with fake-browser: finish signing in there$/m);
      expect(await readFile(record, 'utf8')).to.equal(url);
      expect(await pressWindowButton(url, 'authorize')).to.equal(200);
      expect(await pane.exit()).to.deep.equal({ status: 0 });
      expectCleanScreen(await pane.lines(), 80, await pane.rows());

      const broken = path.join(bin, 'broken-browser');
      await writeFile(broken, '#!/bin/sh\nexit 3\n', { mode: 0o755 });
      await rm(path.join(tmp, 'statements'), { recursive: true, force: true });
      const second = await open(['fetch', '--institution-code', 'mx_bank_oauth', '--aggregation-ms', '300'], 80, { BROWSER: broken });
      const url2 = urlOnScreen(await second.waitFor(/Press Enter to open it with broken-browser/));
      await second.send('Enter');
      const said = await second.waitFor(/Could not open it/);
      expect(message(said, /^\? Could not open it/)).to.equal('? Could not open it (broken-browser ended with exit code 3): copy the link into a browser');
      expect(await pressWindowButton(url2, 'authorize')).to.equal(200);
      expect(await second.exit()).to.deep.equal({ status: 0 });
    });
  });

  it('OAuth: Ctrl-C while the Enter key is read (raw mode) still interrupts: 130, the terminal given back', async () => {
    const fake = path.join(tmp, 'fake-browser');
    await writeFile(fake, '#!/bin/sh\nexit 0\n', { mode: 0o755 });
    const pane = await open(['fetch', '--institution-code', 'mx_bank_oauth', '--aggregation-ms', '300'], 80, { BROWSER: fake });
    await pane.waitFor(/Press Enter to open it with fake-browser/);
    await pane.send('C-c');
    expect(await pane.exit(5_000)).to.deep.equal({ status: 130 });
    const lines = await pane.lines();
    expectCleanScreen(lines, 80, await pane.rows());
    expect(stepMessages(lines).at(-1)).to.match(/^✖ Interrupted: stopped(: interrupted)? by Ctrl-C( \(SIGINT\))?; no partial file kept$/);
  });

  it('sync --webhook-port at 80 columns: the receiver announced, about one poll per member, a webhooks line in the summary that fits', async () => {
    const pane = await open(['sync', '--seed-users', '4', '--aggregation-ms', '400', '--webhook-port', '0'], 80);
    expect(await pane.exit()).to.deep.equal({ status: 0 });
    const lines = await pane.lines();
    expectCleanScreen(lines, 80, await pane.rows());
    expect(message(lines, /^• Webhooks/)).to.match(/^• Webhooks: receiving at http:\/\/127\.0\.0\.1:\d+\/mx\/webhooks; the embedded sandbox delivers there$/);
    const summary = lines.slice(lines.findIndex((l) => /^Done in /.test(l)));
    expect(summary[0]).to.match(/^Done in [\d.]+ m?s, 1 pass: 4 of 4 members synced, 0 need their user, 0 failed$/);
    expect(summary[2]).to.match(/^Webhooks: \d+ received, \d+ redelivered, 0 refused; 1(\.\d)? status polls per member$/);
    for (const l of summary) expect(displayWidth(l)).to.be.below(80);
  });
});

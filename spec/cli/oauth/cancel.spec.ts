/**
 * Cancel in the OAuth window ends a `fetch` at once. MX leaves a member whose person cancelled (or closed) the
 * window as it was — PENDING — so no status poll would ever tell: the run learns it from the window's page (the
 * embedded sandbox's `onOAuthComplete`, fed to the workflow's `oauth.completions`). Before, the run waited out its
 * 30-minute `--oauth-timeout`. Cancel is pressed as a browser does (the page's form post); the run must end with
 * exit 3 and a line saying the sign-in was cancelled, within seconds of the press, in a real terminal (tmux, 80
 * columns) and in a log (a child process, stderr piped).
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { expect } from 'chai';
import { displayWidth } from '../../../lib/cli/render/text.js';
import { CLI, killChildren, startCli } from '../helpers.js';
import { pressWindowButton } from '../helpers/oauth-window.js';
import { startTmuxServer, type TmuxServer } from '../helpers/tmux.js';

/** Well under the 30-minute default `--oauth-timeout` the run waited before; generous for a loaded machine. */
const PROMPTLY_MS = 10_000;

const URL_OF_WINDOW = /(http:\/\/127\.0\.0\.1:\d+\/oauth\/window\/[0-9a-f]+)/;

const windowUrl = (text: string): string => {
  const m = URL_OF_WINDOW.exec(text);
  if (!m?.[1]) throw new Error(`no OAuth window URL in:\n${text}`);
  return m[1];
};

describe('cli: Cancel in the OAuth window ends fetch at once', function () {
  this.timeout(60_000);
  let tmp: string;
  let tmux: TmuxServer | undefined;
  beforeEach(async () => {
    tmp = await mkdtemp(path.join(tmpdir(), 'mx-cli-oauth-cancel-'));
  });
  afterEach(async () => {
    killChildren();
    await tmux?.kill();
    tmux = undefined;
    await rm(tmp, { recursive: true, force: true });
  });

  it('in a terminal (tmux, 80 columns): exit 3 within seconds of the press, one line saying it was cancelled, nothing left of the live wait', async () => {
    tmux = await startTmuxServer();
    const pane = await tmux.open([process.execPath, CLI, 'fetch', '--institution-code', 'mx_bank_oauth', '--aggregation-ms', '300'], { columns: 80, rows: 40, cwd: tmp });
    const waiting = await pane.waitFor(/Waiting for your sign-in at MX Bank \(OAuth\)/, 20_000);
    const url = windowUrl(waiting.join('\n'));
    expect(await pressWindowButton(url, 'cancel')).to.equal(200);
    // the bounded wait is the proof: without the window's report the run would wait 30 minutes
    expect(await pane.exit(PROMPTLY_MS)).to.deep.equal({ status: 3 });
    const lines = await pane.lines();
    // The failure line, its wrapped rows joined back.
    const at = lines.findIndex((l) => l.startsWith('✖ '));
    let failure = lines[at] ?? '';
    for (const l of lines.slice(at + 1)) {
      if (!/^ {2}\S/.test(l)) break;
      failure += ` ${l.trim()}`;
    }
    expect(failure).to.match(/^✖ ConnectionFailed: member MBR-[0-9a-f]{4}…[0-9a-f]{4}: the sign-in at the bank was cancelled \(its window was closed, or Cancel pressed\) — run again for a new link$/);
    expect(lines.filter((l) => l.startsWith('✖ ')), 'said once').to.have.length(1);
    expect(lines.join('\n')).to.not.match(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]|Waiting for your sign-in|Authorized/);
    for (const r of await pane.rows()) expect(displayWidth(r), r).to.be.at.most(80);
    expect(await readdir(tmp), 'no folder left').to.deep.equal([]);
  });

  it('in a log (stderr piped): exit 3 within seconds of the press, the "!!" line says it was cancelled; Deny likewise says denied', async () => {
    const child = startCli(['fetch', '--institution-code', 'mx_bank_oauth', '--aggregation-ms', '300'], { cwd: tmp });
    await child.waitFor(/^\.\. Waiting for your sign-in at MX Bank \(OAuth\)/m, 20_000);
    expect(await pressWindowButton(windowUrl(child.stderr()), 'cancel')).to.equal(200);
    const r = await child.done(PROMPTLY_MS); // bounded: without the window's report it would wait 30 minutes
    expect(r.code, r.stderr).to.equal(3);
    expect(r.stderr).to.match(/^!! ConnectionFailed: member MBR-[0-9a-f]{32}: the sign-in at the bank was cancelled \(its window was closed, or Cancel pressed\) — run again for a new link$/m);
    expect(r.stdout).to.equal('');

    const json = startCli(['fetch', '--institution-code', 'mx_bank_oauth', '--aggregation-ms', '300', '--json'], { cwd: tmp });
    await json.waitFor(/"type":"oauth-required"/, 20_000);
    expect(await pressWindowButton(windowUrl(json.stdout()), 'deny')).to.equal(200);
    const denied = await json.done(PROMPTLY_MS + 5_000);
    expect(denied.code).to.equal(3);
    const error = denied.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { type: string; error?: Record<string, unknown> }).at(-1);
    expect(error?.type).to.equal('error');
    expect(error?.error).to.include({ _tag: 'ConnectionFailed', oauthErrorReason: 'DENIED' });
  });
});

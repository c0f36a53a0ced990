/**
 * `mx-statements sandbox` in a real terminal (tmux, 80 columns), as a person starts it: the lines for people are
 * wrapped at word boundaries (the terminal never breaks one mid-word: "Ctrl-C stops\n it." before), the command
 * to paste is left whole (it soft-wraps and still copies as one), and the request log shortens guids in the middle
 * so a line fits (they broke across rows mid-guid). In a pipe the log keeps full guids. Ctrl-C stops it (exit 0).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { expect } from 'chai';
import { displayWidth } from '../../../lib/cli/render/text.js';
import { CLI, killChildren, runCli, startCli } from '../helpers.js';
import { startTmuxServer, type TmuxServer } from '../helpers/tmux.js';

const REQUEST = /^(GET|POST|PUT|DELETE) \/\S* \d{3} \d+ms$/;

describe('cli: sandbox on a terminal and in a pipe', function () {
  this.timeout(60_000);
  let tmp: string;
  let tmux: TmuxServer | undefined;
  beforeEach(async () => {
    tmp = await mkdtemp(path.join(tmpdir(), 'mx-cli-sandbox-'));
  });
  afterEach(async () => {
    killChildren();
    await tmux?.kill();
    tmux = undefined;
    await rm(tmp, { recursive: true, force: true });
  });

  it('at 80 columns: wrapped at words, the command whole, request lines with short guids, none broken by the terminal; Ctrl-C stops it (0)', async () => {
    tmux = await startTmuxServer();
    const pane = await tmux.open([process.execPath, CLI, 'sandbox', '--port', '0'], { columns: 80, rows: 60, cwd: tmp });
    const started = await pane.waitFor(/^ {2}MX_API_KEY=sandbox-api-key npx mx-statements fetch --base-url http:\/\/127\.0\.0\.1:\d+ /m, 15_000);
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(started.join('\n'))?.[1] ?? '';
    expect(url).to.not.equal('');
    const fetched = await runCli(['fetch', '--base-url', url, '--client-id', 'sandbox-client-id', '--username', 'mxuser', '--password', 'password', '--out', tmp],
      { env: { MX_API_KEY: 'sandbox-api-key' } });
    expect(fetched.code, fetched.stderr).to.equal(0);
    const lines = await pane.waitFor((l) => l.filter((x) => /\.pdf 200( \d+ms)?$/.test(x)).length >= 6 && /^ {2}\d+ms$|ms$/.test(l.at(-1) ?? ''), 10_000);
    expect(lines.slice(0, 4)).to.deep.equal([
      `listening on ${url}`,
      'Client id sandbox-client-id, API key sandbox-api-key (the default). Ctrl-C',
      'stops it.',
      'To fetch from it, run in another terminal:',
    ]);
    const command = lines[4] ?? '';
    expect(command).to.equal(`  MX_API_KEY=sandbox-api-key npx mx-statements fetch --base-url ${url} --client-id sandbox-client-id --username mxuser --password password`);
    // A PDF's line is still a little longer than 80 columns: wrapped by the CLI at a space, its rest indented.
    const log: string[] = [];
    for (const l of lines.slice(5)) {
      if (l.startsWith('  ') && log.length > 0) log[log.length - 1] += ` ${l.trim()}`;
      else log.push(l);
    }
    expect(log.length).to.be.greaterThan(8);
    for (const l of log) expect(l, 'a request line').to.match(REQUEST);
    expect(log.join('\n')).to.match(/^GET \/users\/USR-[0-9a-f]{4}…[0-9a-f]{4}\/members\/MBR-[0-9a-f]{4}…[0-9a-f]{4}\/status 200 \d+ms$/m);
    for (const l of lines.filter((x) => x !== command)) expect(displayWidth(l), `soft-wrapped: ${l}`).to.be.below(80);
    await pane.send('C-c');
    expect(await pane.exit(10_000)).to.deep.equal({ status: 0 });
    expect((await pane.lines()).at(-1)).to.equal('sandbox stopped');
  });

  it('in a pipe: full guids in the request log, the lines for people whole', async () => {
    const child = startCli(['sandbox', '--port', '0']);
    await child.waitFor(/^listening on http:\/\/127\.0\.0\.1:\d+$/m);
    const url = /listening on (http:\S+)/.exec(child.stdout())?.[1] ?? '';
    const fetched = await runCli(['fetch', '--base-url', url, '--client-id', 'sandbox-client-id', '--username', 'mxuser', '--password', 'password', '--out', tmp],
      { env: { MX_API_KEY: 'sandbox-api-key' } });
    expect(fetched.code, fetched.stderr).to.equal(0);
    await child.waitFor(/\.pdf 200 \d+ms$/m);
    child.child.kill('SIGINT');
    const r = await child.done(10_000);
    expect(r.code).to.equal(0);
    expect(r.stderr.split('\n')[0]).to.equal('Client id sandbox-client-id, API key sandbox-api-key (the default). Ctrl-C stops it.');
    expect(r.stdout).to.match(/^GET \/users\/USR-[0-9a-f]{32}\/members\/MBR-[0-9a-f]{32}\/status 200 \d+ms$/m);
    expect(r.stdout).to.not.contain('…');
  });
});

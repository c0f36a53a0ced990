/**
 * Issue 11 §3: server text cannot control the terminal. A lying proxy in front of the sandbox appends every
 * hostile character (ESC/OSC sequences, CR/LF, NUL, C1 controls, bidi overrides, zero-width and tag characters)
 * to the guids, the institution name and the status message of a whole run; the CLI (in process) must show them
 * escaped in plain, TTY and summary output, and keep NDJSON valid JSON that gives the strings back.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { expect } from 'chai';
import { runCli } from '../../lib/cli/program.js';
import { startSandbox, type SandboxHandle } from '../../lib/sandbox/index.js';
import { memoryIo } from './helpers.js';
import { startRecordingProxy, type RecordingProxy } from './helpers/recording-proxy.js';
import { virtualTerminal } from './helpers/virtual-terminal.js';
import { EVIL, UNSAFE_CHAR } from './render/hostile-events.js';

const CLIENT_ID = 'hostile-client';
const API_KEY = 'hostile-key-0a9f';
/** Line feeds end lines; anything else that acts on a terminal must not be there. */
const UNSAFE_BUT_LF = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\p{Cf}\u2028\u2029]/u;
const OWN_SEQUENCES = /\u001b\[[0-9;]*m|\u001b\[\d*A|\u001b\[J|\u001b\[\?25[lh]|\r(?=\u001b\[)/g;

describe('cli: hostile server text (a lying proxy in front of the sandbox)', function () {
  this.timeout(30_000);
  let sandbox: SandboxHandle;
  let proxy: RecordingProxy;
  let tmp: string;

  before(async () => {
    sandbox = await startSandbox({ clientId: CLIENT_ID, apiKey: API_KEY, aggregationMs: 20 });
    proxy = await startRecordingProxy(sandbox.url, EVIL);
  });
  after(async () => {
    await proxy.close();
    await sandbox.close();
  });
  beforeEach(async () => {
    tmp = await mkdtemp(path.join(tmpdir(), 'mx-cli-hostile-'));
  });
  afterEach(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  const args = (userId: string, password = 'password', ...more: string[]) => [
    'node', 'mx-statements', 'fetch', '--base-url', proxy.url, '--client-id', CLIENT_ID, '--api-key', API_KEY,
    '--user-id', userId, '--username', 'mxuser', '--password', password, '--out', tmp, ...more,
  ];

  it('plain mode and the summary: every hostile character shows escaped, one line per step', async () => {
    const { io, stdout, stderr } = memoryIo({ cwd: tmp });
    const code = await runCli(args('hostile-plain'), io);
    expect(code, stderr.text()).to.equal(0);
    for (const out of [stdout.text(), stderr.text()]) {
      expect(out).to.not.match(UNSAFE_BUT_LF);
      for (const line of out.trimEnd().split('\n')) expect(line).to.not.match(UNSAFE_CHAR);
    }
    expect(stderr.text()).to.contain('Institution MX Bank\\e]0;pwned\\x07\\e[2J\\e[H\\r!! forged line\\nok forged line');
    expect(stderr.text()).to.not.match(/^(ok|!!) forged line/m);
    expect(stdout.text()).to.match(/^Done in .*: 6 statements/m);
    expect(stdout.text()).to.match(/^  STA-\w+__0_pwned_.*\.pdf  /m); // the sink's safe file names
  });

  it('TTY mode: the screen shows the escapes, and nothing but the renderer\'s own sequences reaches the terminal', async () => {
    const vt = virtualTerminal(100, 40);
    const writes: string[] = [];
    const { io, stdout } = memoryIo({ cwd: tmp, tty: true });
    const stderr = { ...vt, write: (c: string) => (writes.push(c), vt.write(c)) };
    const code = await runCli(args('hostile-tty'), { ...io, stderr: stderr as unknown as typeof io.stderr });
    expect(code, vt.lines().join('\n')).to.equal(0);
    expect(writes.join('').replace(OWN_SEQUENCES, '')).to.not.match(UNSAFE_BUT_LF);
    expect(vt.unknown()).to.deep.equal([]);
    expect(vt.lines().join('\n')).to.contain('MX Bank\\e]0;pwned');
    for (const line of stdout.text().trimEnd().split('\n')) expect(line).to.not.match(UNSAFE_CHAR);
  });

  it('a failure message from the server is escaped too (DENIED with a hostile status message)', async () => {
    const { io, stderr } = memoryIo({ cwd: tmp });
    const code = await runCli(args('hostile-denied', 'UNAUTHORIZED'), io);
    expect(code).to.equal(3);
    const last = stderr.text().trimEnd().split('\n').at(-1) ?? '';
    expect(last).to.match(/^!! ConnectionFailed: member MBR-.*\\e\]0;pwned.* ended DENIED: .*\\e\]0;pwned/);
    expect(stderr.text()).to.not.match(UNSAFE_BUT_LF);
  });

  it('--json: every line is valid JSON, gives the hostile strings back exactly, and holds nothing a terminal acts on', async () => {
    const { io, stdout } = memoryIo({ cwd: tmp });
    const code = await runCli(args('hostile-json', 'password', '--json'), io);
    expect(code).to.equal(0);
    const lines = stdout.text().trimEnd().split('\n');
    const events = lines.map((l) => {
      expect(l).to.not.match(UNSAFE_CHAR);
      return JSON.parse(l) as { type: string; name?: string; memberGuid?: string };
    });
    expect(events.find((e) => e.type === 'institution-found')?.name).to.equal(`MX Bank${EVIL}`);
    expect(events.find((e) => e.type === 'member-ready')?.memberGuid?.endsWith(EVIL)).to.equal(true);
  });
});

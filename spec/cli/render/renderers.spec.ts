import { expect } from 'chai';
import type { RetryNotice } from '../../../lib/core/config.js';
import { createJsonRenderer, jsonLine } from '../../../lib/cli/render/json.js';
import { createPlainRenderer } from '../../../lib/cli/render/plain.js';
import { createTtyRenderer } from '../../../lib/cli/render/tty.js';
import { recorder, SAMPLE_EVENTS } from '../helpers.js';
import { virtualTerminal } from '../helpers/virtual-terminal.js';
import { EVIL, HOSTILE_EVENTS, HOSTILE_FAILURE, UNSAFE_CHAR } from './hostile-events.js';

const RETRY: RetryNotice = {
  method: 'POST', path: '/users', attempt: 1, maxAttempts: 4, delayMs: 2000,
  error: { _tag: 'NetworkError', method: 'POST', path: '/users', code: 'ECONNREFUSED', message: 'POST /users failed: x' },
};

/** {@link UNSAFE_CHAR} but the line feed (the renderers end their lines with one). */
const UNSAFE_BUT_LF = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\p{Cf}\u2028\u2029]/u;

/** What is left of TTY output once the renderer's own sequences (SGR, cursor up, clear below, cursor visibility, CR) are removed. */
const withoutOwnSequences = (s: string) => s.replace(/\u001b\[[0-9;]*m|\u001b\[\d*A|\u001b\[J|\u001b\[\?25[lh]|\r(?=\u001b\[)/g, '');

describe('cli: renderers', () => {
  describe('json', () => {
    it('writes one parseable object per line, each with its type; retries and failures too', () => {
      const out = recorder();
      const err = recorder();
      const r = createJsonRenderer(out, err, 'fetch');
      for (const ev of SAMPLE_EVENTS) r.event(ev);
      r.note({ kind: 'progress', text: 'dropped in JSON mode' });
      r.retry(RETRY);
      r.failure({ _tag: 'ConnectionFailed', method: 'GET', path: '/x', message: 'ended DENIED', memberGuid: 'MBR-1', connectionStatus: 'DENIED' });
      r.close();
      const parsed = out.text().trimEnd().split('\n').map((l) => JSON.parse(l) as { type: string; error?: { _tag: string } });
      expect(parsed.map((p) => p.type)).to.deep.equal([...SAMPLE_EVENTS.map((e) => e.type), 'retry', 'error']);
      expect(parsed.at(-2)).to.deep.include({ type: 'retry', attempt: 1, maxAttempts: 4, delayMs: 2000 });
      expect(err.text()).to.equal('ConnectionFailed: ended DENIED — check --username and --password\n');
    });

    it('keeps hostile server text inside valid JSON, equal to what was sent, with nothing a terminal acts on', () => {
      const out = recorder();
      const r = createJsonRenderer(out, recorder());
      for (const ev of HOSTILE_EVENTS) r.event(ev);
      r.failure(HOSTILE_FAILURE);
      const lines = out.text().trimEnd().split('\n');
      for (const l of lines) expect(l).to.not.match(UNSAFE_CHAR);
      expect(lines).to.have.length(HOSTILE_EVENTS.length + 1);
      expect(lines.map((l) => JSON.parse(l) as unknown).slice(0, -1)).to.deep.equal(HOSTILE_EVENTS);
      expect(jsonLine({ type: 'x', bytes: new Uint8Array([1]) } as { type: string }, { label: 'MBR-1', fields: { target: 'U/M' } })).to.equal('{"type":"x","target":"U/M"}\n');
    });

    it('prints a usage error on stderr in the usage format', () => {
      const err = recorder();
      createJsonRenderer(recorder(), err, 'sync').failure({ _tag: 'UsageError', message: '--members must name a file' });
      expect(err.text()).to.equal('mx-statements sync: --members must name a file\nRun "mx-statements sync --help" for the flags.\n');
    });
  });

  describe('plain', () => {
    it('writes one marked line per step with full guids and paths, nothing for ticks and no "Done" line', () => {
      const out = recorder();
      const r = createPlainRenderer(out, { cwd: '/out' });
      for (const ev of SAMPLE_EVENTS) r.event(ev);
      r.retry(RETRY);
      r.failure({ _tag: 'Interrupted', message: 'stopped by Ctrl-C (SIGINT); no partial file kept' });
      const lines = out.text().trimEnd().split('\n');
      expect(lines).to.have.length(SAMPLE_EVENTS.length - 2 + 2); // no statement-progress, no done; + retry + failure
      expect(lines[1]).to.equal('ok Institution MX Bank (mxbank)');
      expect(lines).to.include('?? MFA round 1: the institution asks 1 question');
      expect(lines).to.include('ok Saved STA-1 (2.0 KB) → MBR-1/STA-1.pdf');
      expect(lines).to.include('-- Already saved and verified: STA-2 at MBR-1/STA-2.pdf');
      expect(lines).to.include('.. POST /users: connection refused; retrying in 2 s, attempt 2 of 4');
      expect(lines.at(-1)).to.equal('!! Interrupted: stopped by Ctrl-C (SIGINT); no partial file kept');
      expect(out.text()).to.not.match(/\u001b/);
    });

    it("says MX's \"too soon\" plainly, and marks a PDF kept without a content_hash", () => {
      const out = recorder();
      const r = createPlainRenderer(out, { cwd: '/out' });
      r.event({ type: 'statements-job-unconfirmed', memberGuid: 'MBR-1', connectionStatus: 'CONNECTED', successfullyAggregatedAt: '2026-12-01T08:00:13Z', waitedMs: 9000 });
      r.event({ type: 'statement-downloaded', memberGuid: 'MBR-1', statementGuid: 'STA-1', bytes: 2048, sha256: 'ab'.repeat(32), location: '/out/MBR-1/STA-1.pdf', unverified: true });
      r.event({ type: 'statement-skipped', memberGuid: 'MBR-1', statementGuid: 'STA-2', bytes: 2048, sha256: 'cd'.repeat(32), location: '/out/MBR-1/STA-2.pdf', unverified: true });
      expect(out.text().split('\n').slice(0, 3)).to.deep.equal([
        '-- MX started no new job: too soon after the last one (2026-12-01 08:00 UTC); listing what MX has',
        'ok Saved STA-1 (2.0 KB) → MBR-1/STA-1.pdf, unverified: MX sent no content_hash',
        '-- Already saved: STA-2 at MBR-1/STA-2.pdf, unverified: MX sent no content_hash',
      ]);
    });

    it('escapes hostile server text: one line per event, nothing a terminal acts on', () => {
      const out = recorder();
      const r = createPlainRenderer(out, { cwd: '/out' });
      for (const ev of HOSTILE_EVENTS) r.event(ev, { label: `MBR-1${EVIL}`, fields: {} });
      r.failure(HOSTILE_FAILURE, { label: `MBR-1${EVIL}`, fields: {} });
      const text = out.text();
      const lines = text.trimEnd().split('\n');
      expect(lines).to.have.length(HOSTILE_EVENTS.length); // - progress tick + failure
      for (const l of lines) {
        expect(l, l).to.match(/^(ok|\.\.|--|\?\?|!!) \[MBR-1/);
        expect(l, l).to.not.match(UNSAFE_CHAR);
      }
      expect(text).to.contain('\\e]0;pwned\\x07');
    });
  });

  describe('tty', () => {
    it('logs finished steps above a live line, draws download bars, and leaves a clean screen and a visible cursor', () => {
      const vt = virtualTerminal(80, 30);
      let t = 0;
      const r = createTtyRenderer(vt, { cwd: '/out', color: true, compact: true, now: () => t, frameMs: 60_000 });
      for (const ev of SAMPLE_EVENTS.slice(0, 5)) r.event(ev);
      r.event({ type: 'status', memberGuid: 'MBR-1', connectionStatus: 'SYNCING', isBeingAggregated: true, attempt: 3, nextDelayMs: 2500 });
      t = 1000;
      r.event({ type: 'status', memberGuid: 'MBR-1', connectionStatus: 'SYNCING', isBeingAggregated: true, attempt: 4, nextDelayMs: 2500 });
      expect(vt.lines().at(-1)).to.match(/^⠋ Waiting: SYNCING, aggregating · poll 4 · next poll in 2\.5 s$/);
      r.suspend();
      expect(vt.cursorVisible()).to.equal(true);
      r.resume();
      for (const ev of SAMPLE_EVENTS.slice(10, 13)) r.event(ev);
      r.event(SAMPLE_EVENTS[12]!); // a repeated progress tick redraws nothing new
      const live = vt.lines();
      expect(live.at(-2)).to.equal('⠋ Listing statements: 2 found');
      expect(live.at(-1)).to.match(/^ {2}STA-1 █+░+ +50% 1\.0 KB \/ 2\.0 KB$/);
      for (const ev of SAMPLE_EVENTS.slice(13)) r.event(ev);
      r.retry(RETRY);
      r.close();
      expect(vt.lines()).to.deep.equal([
        '✔ User USR-1 (id demo) created',
        '✔ Institution MX Bank (mxbank)',
        '✔ The institution asks for Username, Password',
        '✔ Member MBR-1 created',
        '✔ Statements job started',
        '✔ Saved STA-1 (2.0 KB)',
        '↷ Already saved and verified: STA-2',
        '↻ POST /users: connection refused; retrying in 2 s, attempt 2 of 4',
      ]);
      expect(vt.cursorVisible()).to.equal(true);
      expect(vt.unknown()).to.deep.equal([]);
      r.event(SAMPLE_EVENTS[0]!); // after close: ignored, no throw
    });

    it('wraps long lines to the terminal instead of cutting them', () => {
      const vt = virtualTerminal(40, 20);
      const r = createTtyRenderer(vt, { cwd: '/', color: false, frameMs: 60_000 });
      r.note({ kind: 'progress', text: 'Using the embedded MX sandbox at http://127.0.0.1:45678; PDFs go to statements/' });
      r.failure({ _tag: 'NetworkError', method: 'POST', path: '/users', code: 'ECONNREFUSED', message: 'x' });
      r.close();
      const lines = vt.lines();
      for (const l of lines) expect(l.length, l).to.be.below(40);
      const joined = lines.map((l) => l.replace(/^ {2}/, '')).join(' ');
      expect(joined).to.contain('http://127.0.0.1:45678; PDFs go to statements/');
      expect(joined).to.contain('connection refused — is the host reachable? Check --base-url or --env');
    });

    it('a batch: one headline with members done of all, PDFs, rate and ETA; a line per member; finished members scroll above', () => {
      const vt = virtualTerminal(80, 20);
      let t = 0;
      const r = createTtyRenderer(vt, { cwd: '/', color: false, batch: true, now: () => t, frameMs: 60_000 });
      const m1 = { label: 'MBR-59be1d3c63c09a47ca3d9a1489551b71', fields: {} };
      const m2 = { label: 'MBR-a8ee00000000000000000000000f3e6d', fields: {} };
      r.progress({ total: 4, started: 2, synced: 0, needsUser: 0, failed: 0, statements: 0, bytes: 0, startedAt: 0 });
      r.event(SAMPLE_EVENTS[4]!, m1);
      r.event({ type: 'status', memberGuid: 'M', connectionStatus: 'SYNCING', isBeingAggregated: true, attempt: 2, nextDelayMs: 1000 }, m2);
      t = 2000;
      r.record({ type: 'member-done' }, { kind: 'done', text: 'synced: 6 PDFs, 6 new (30.1 KB)' }, m1);
      r.progress({ total: 4, started: 2, synced: 1, needsUser: 0, failed: 0, statements: 6, bytes: 30_822, startedAt: 0 });
      r.retry(RETRY);
      const screen = vt.lines();
      expect(screen[0]).to.equal('✔ MBR-59be…1b71 synced: 6 PDFs, 6 new (30.1 KB)');
      expect(screen[1]).to.equal('⠋ 1/4 members done · 6 PDFs, 30.1 KB · 0.5 members/s · ETA 6 s · 1 retry');
      expect(screen[2]).to.equal('  ↻ POST /users: connection refused; retrying in 2 s, attempt 2 of 4');
      expect(screen[3]).to.match(/^ {2}MBR-a8ee…3e6d Waiting: SYNCING, aggregating · poll 2 · next poll in 0 ms$/);
      expect(screen).to.have.length(4);
      r.close();
      expect(vt.lines()).to.deep.equal(['✔ MBR-59be…1b71 synced: 6 PDFs, 6 new (30.1 KB)']);
    });

    it('escapes hostile server text: nothing but its own sequences reaches the terminal', () => {
      const vt = virtualTerminal(80, 30);
      const writes: string[] = [];
      const stream = { ...vt, write: (c: string) => (writes.push(c), vt.write(c)) };
      const r = createTtyRenderer(stream, { cwd: '/out', color: true, frameMs: 60_000 });
      for (const ev of HOSTILE_EVENTS) r.event(ev);
      r.failure(HOSTILE_FAILURE);
      r.close();
      expect(withoutOwnSequences(writes.join(''))).to.not.match(UNSAFE_BUT_LF);
      expect(vt.unknown()).to.deep.equal([]);
      expect(vt.lines().join('\n')).to.contain('MX Bank\\e]0;pwned\\x07');
    });

    it('a usage error closes the live display and uses the usage format', () => {
      const vt = virtualTerminal(80, 10);
      const r = createTtyRenderer(vt, { cwd: '/', color: true, command: 'fetch', frameMs: 60_000 });
      r.event(SAMPLE_EVENTS[0]!);
      r.failure({ _tag: 'UsageError', message: '--username is needed: there is no terminal to ask on' });
      expect(vt.lines()).to.deep.equal([
        '✔ User USR-1 (id demo) created',
        'mx-statements fetch: --username is needed: there is no terminal to ask on',
        'Run "mx-statements fetch --help" for the flags.',
      ]);
      expect(vt.cursorVisible()).to.equal(true);
    });
  });
});

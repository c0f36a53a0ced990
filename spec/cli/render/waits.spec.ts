/**
 * Long waits as people see them: in plain mode a line when the status changes and a heartbeat every 30 s (never a
 * line per poll), for every wait and every member of a batch; an OAuth sign-in with how long it has waited and
 * when it gives up, on a terminal's live line too. The clock is injected: no real waiting.
 */
import { expect } from 'chai';
import { createPlainRenderer } from '../../../lib/cli/render/plain.js';
import { createTtyRenderer } from '../../../lib/cli/render/tty.js';
import { createWaitTracker, HEARTBEAT_MS, oauthWaitText } from '../../../lib/cli/render/waits.js';
import type { StatementEvent, StatusEvent } from '../../../lib/workflow/events.js';
import { recorder } from '../helpers.js';
import { virtualTerminal } from '../helpers/virtual-terminal.js';

const status = (connectionStatus: string, attempt: number, isBeingAggregated = false): StatusEvent =>
  ({ type: 'status', memberGuid: 'MBR-1', connectionStatus, isBeingAggregated, attempt, nextDelayMs: 1000 });

const OAUTH_START: StatementEvent[] = [
  { type: 'institution-found', code: 'mx_bank_oauth', name: 'MX Bank (OAuth)' },
  { type: 'member-ready', userGuid: 'USR-1', memberGuid: 'MBR-1', institutionCode: 'mx_bank_oauth', reused: false },
  { type: 'oauth-required', userGuid: 'USR-1', memberGuid: 'MBR-1', institutionCode: 'mx_bank_oauth', url: 'https://int-widgets.example/oauth/abc' },
];

describe('cli: long waits (render/waits)', () => {
  it('the tracker: a change is shown, the same status again is not, until the heartbeat is due; another step starts afresh', () => {
    let now = 0;
    const waits = createWaitTracker(() => now);
    expect(waits.status('m', status('CREATED', 1)).show).to.equal('change');
    now = 1_000;
    expect(waits.status('m', status('CREATED', 2)).show).to.equal('nothing');
    now = HEARTBEAT_MS;
    expect(waits.status('m', status('CREATED', 3))).to.deep.equal({ show: 'heartbeat', inStateMs: HEARTBEAT_MS });
    now += 1_000;
    expect(waits.status('m', status('CREATED', 4)).show).to.equal('nothing');
    expect(waits.status('m', status('CREATED', 5, true)).show, 'aggregating is another status').to.equal('change');
    expect(waits.status('other', status('CREATED', 1)).show, 'each member apart').to.equal('change');
    waits.step('m');
    expect(waits.status('m', status('CREATED', 6, true)).show, 'a new phase shows its first status').to.equal('change');
  });

  it('plain: 10 minutes of PENDING polls every 3 s make the start line and a heartbeat every 30 s, with how long and until when', () => {
    let now = Date.parse('2026-12-01T10:00:00Z');
    const out = recorder();
    const r = createPlainRenderer(out, { cwd: '/', now: () => now, oauthTimeoutMs: 30 * 60_000 });
    for (const ev of OAUTH_START) r.event(ev);
    for (let poll = 1; poll <= 200; poll++) {
      r.event(status('PENDING', poll));
      now += 3_000;
    }
    r.event(status('CONNECTED', 201, true));
    const lines = out.text().trimEnd().split('\n');
    expect(lines[2]).to.equal('?? Sign in to MX Bank (OAuth) in your browser: https://int-widgets.example/oauth/abc');
    expect(lines[3]).to.match(/^\.\. Waiting for your sign-in at MX Bank \(OAuth\): PENDING until you authorize; gives up in 30 min \(at \d\d:\d\d\)$/);
    const heartbeats = lines.filter((l) => l.startsWith('.. Still waiting'));
    expect(heartbeats).to.have.length(19); // 600 s of polls: one every 30 s after the first line
    expect(heartbeats[0]).to.match(/^\.\. Still waiting for your sign-in at MX Bank \(OAuth\): PENDING for 30 s; gives up in 29 min 30 s \(at \d\d:\d\d\)$/);
    expect(heartbeats.at(-1)).to.match(/PENDING for 9 min 30 s; gives up in 20 min 30 s/);
    expect(lines.at(-1)).to.equal('.. Status CONNECTED, aggregating (poll 201, next in 1 s)');
    expect(lines.filter((l) => /PENDING \(poll/.test(l)), 'no line per poll').to.deep.equal([]);
  });

  it('plain: every long wait is coalesced, per member of a batch too, and an unlimited --oauth-timeout says so', () => {
    let now = 0;
    const out = recorder();
    const r = createPlainRenderer(out, { cwd: '/', now: () => now, oauthTimeoutMs: Infinity });
    const a = { label: 'MBR-A', fields: {} };
    const b = { label: 'MBR-B', fields: {} };
    for (let poll = 1; poll <= 40; poll++) {
      r.event(status('CONNECTED', poll, true), a);
      r.event(status('CONNECTED', poll, true), b);
      now += 2_000;
    }
    const lines = out.text().trimEnd().split('\n');
    expect(lines.filter((l) => l.startsWith('.. [MBR-A]'))).to.deep.equal([
      '.. [MBR-A] Status CONNECTED, aggregating (poll 1, next in 1 s)',
      '.. [MBR-A] Still CONNECTED, aggregating after 30 s (poll 16)',
      '.. [MBR-A] Still CONNECTED, aggregating after 1 min (poll 31)',
    ]);
    expect(lines.filter((l) => l.startsWith('.. [MBR-B]'))).to.have.length(3);
    const unlimited = recorder();
    const u = createPlainRenderer(unlimited, { cwd: '/', now: () => 0, oauthTimeoutMs: Infinity });
    for (const ev of OAUTH_START) u.event(ev);
    u.event(status('PENDING', 1));
    expect(unlimited.text()).to.contain('.. Waiting for your sign-in at MX Bank (OAuth): PENDING until you authorize; no time limit\n');
  });

  it("plain: a batch's overall progress as a heartbeat line every 30 s, never more often", () => {
    let now = 0;
    const out = recorder();
    const r = createPlainRenderer(out, { cwd: '/', now: () => now });
    const p = { total: 40, started: 0, synced: 0, needsUser: 0, failed: 0, statements: 0, bytes: 0, startedAt: 0 };
    for (let t = 1; t <= 90; t++) {
      now = t * 1_000;
      r.progress({ ...p, started: t, synced: Math.floor(t / 3), statements: t, bytes: t * 1024 });
    }
    expect(out.text().trimEnd().split('\n')).to.deep.equal([
      '.. 10/40 members done · 30 PDFs, 30.0 KB · 0.3 members/s · ETA 1 min 30 s',
      '.. 20/40 members done · 60 PDFs, 60.0 KB · 0.3 members/s · ETA 1 min',
      '.. 30/40 members done · 90 PDFs, 90.0 KB · 0.3 members/s · ETA 30 s',
    ]);
  });

  it('terminal: the URL whole on its own line, and a live line that counts up and names the deadline; gone once the person authorized', () => {
    let now = Date.parse('2026-12-01T10:00:00Z');
    const term = virtualTerminal(80, 30);
    const r = createTtyRenderer(term, { cwd: '/', color: false, now: () => now, frameMs: 1_000_000, oauthTimeoutMs: 10 * 60_000 });
    const long = `https://int-widgets.example/oauth/${'a'.repeat(90)}`;
    for (const ev of OAUTH_START) r.event(ev.type === 'oauth-required' ? { ...ev, url: long } : ev);
    r.event(status('PENDING', 1));
    now += 42_000;
    r.event(status('PENDING', 15));
    const screen = term.lines();
    const at = screen.findIndex((l) => l === '? Sign in to MX Bank (OAuth) in your browser:');
    expect(at).to.be.greaterThan(-1);
    // Longer than the terminal: left whole for the terminal to soft-wrap (copies as one), never broken by us.
    expect(screen[at + 1]?.startsWith(`  ${long.slice(0, 40)}`)).to.equal(true);
    expect(screen.slice(at + 1, at + 3).join('')).to.contain(long);
    const live = screen.slice(screen.findIndex((l) => l.includes('Waiting for your sign-in'))).join(' ').replace(/\s+/g, ' ');
    expect(live).to.match(/Waiting for your sign-in at MX Bank \(OAuth\) · PENDING until you authorize · 42 s so far, gives up in 9 min 18 s \(at \d\d:\d\d\)/);
    r.event(status('CONNECTED', 16, true));
    expect(term.lines().join('\n')).to.not.contain('Waiting for your sign-in');
    r.close();
  });

  it('once the person authorized, the next step says so, with how long it took (plain and terminal); a failure does not', () => {
    let now = 0;
    const job = { type: 'statements-job-started', userGuid: 'USR-1', memberGuid: 'MBR-1', joined: false, waitedForOtherJobs: 0 } as const;
    const out = recorder();
    const plain = createPlainRenderer(out, { cwd: '/', now: () => now });
    for (const ev of OAUTH_START) plain.event(ev);
    plain.event(status('PENDING', 1));
    now = 12_000;
    plain.event(status('CONNECTED', 5, true));
    plain.event(job);
    plain.event({ type: 'connected', memberGuid: 'MBR-1', polls: 8, mfaRounds: 0 });
    const lines = out.text().trimEnd().split('\n');
    expect(lines.slice(-3)).to.deep.equal(['ok Authorized at MX Bank (OAuth) after 12 s', 'ok Statements job started', 'ok Connected after 8 polls']);
    expect(lines.filter((l) => l.includes('Authorized'))).to.have.length(1);

    now = 0;
    const term = virtualTerminal(80, 30);
    const tty = createTtyRenderer(term, { cwd: '/', color: false, now: () => now, frameMs: 1_000_000 });
    for (const ev of OAUTH_START) tty.event(ev);
    tty.event(status('PENDING', 1));
    now = 3_500;
    tty.event(job);
    tty.close();
    expect(term.lines().slice(-2)).to.deep.equal(['✔ Authorized at MX Bank (OAuth) after 3.5 s', '✔ Statements job started']);

    const denied = recorder();
    const d = createPlainRenderer(denied, { cwd: '/', now: () => 0 });
    for (const ev of OAUTH_START) d.event(ev);
    d.failure({ _tag: 'ConnectionFailed', method: 'GET', path: '/s', memberGuid: 'MBR-1', connectionStatus: 'PENDING', oauthErrorReason: 'CANCELLED', message: 'm' });
    expect(denied.text()).to.not.contain('Authorized');
    expect(denied.text()).to.contain('!! ConnectionFailed: member MBR-1: the sign-in at the bank was cancelled (its window was closed, or Cancel pressed) — run again for a new link\n');
  });

  it('oauthWaitText: no limit with Infinity', () => {
    expect(oauthWaitText({ institution: 'X', since: 0, deadline: Infinity }, 61_000)).to.equal('Waiting for your sign-in at X · PENDING until you authorize · 1 min 1 s so far, no time limit');
  });
});

/**
 * A batch's items on the renderers: once the 'all-members' listing ended (`listing-done`) the progress has its
 * total, so the live headline and the plain heartbeat say members done of all and the ETA (as a `--members` file
 * or the fleet does); a user the listing skipped is shown in every mode, escaped like all server text, and in the
 * summary; it makes the sync's exit code 9.
 */
import { expect } from 'chai';
import { syncExitCode } from '../../../lib/cli/commands/sync-inputs.js';
import { renderBatchSummary } from '../../../lib/cli/render/batch.js';
import { createBatchTracker, showBatchItem } from '../../../lib/cli/render/batch-view.js';
import { createJsonRenderer } from '../../../lib/cli/render/json.js';
import { createPlainRenderer } from '../../../lib/cli/render/plain.js';
import type { Renderer } from '../../../lib/cli/render/renderer.js';
import { displayWidth } from '../../../lib/cli/render/text.js';
import { createTtyRenderer } from '../../../lib/cli/render/tty.js';
import type { MxError } from '../../../lib/core/errors.js';
import type { BatchItem, BatchSummary, BatchTarget } from '../../../lib/workflow/index.js';
import { recorder } from '../helpers.js';
import { virtualTerminal } from '../helpers/virtual-terminal.js';
import { EVIL, UNSAFE_CHAR } from './hostile-events.js';

const target = (i: number): BatchTarget => ({ index: i, key: `USR-${i}/MBR-${i}`, userGuid: `USR-${i}`, memberGuid: `MBR-${String(i).padStart(32, '0')}` });
const done = (i: number): BatchItem => ({ type: 'member-done', target: target(i), outcome: 'synced', pass: 1, fresh: false });
const started = (i: number): BatchItem => ({
  type: 'member', target: target(i),
  event: { _tag: 'Right', right: { type: 'statements-job-started', userGuid: `USR-${i}`, memberGuid: `MBR-${i}`, joined: false, waitedForOtherJobs: 0 } },
});
const gone: MxError = { _tag: 'NotFound', method: 'GET', path: `/users/USR-9${EVIL}/members`, status: 404, message: `GET /users/USR-9/members: user not found${EVIL}` };
const skippedItem: BatchItem = { type: 'listing-skipped', userGuid: `USR-9${EVIL}`, error: gone };

const summary = (over: Partial<BatchSummary> = {}): BatchSummary => ({
  type: 'batch-summary', total: 4, synced: 4, needsUserAction: 0, failed: 0, statements: 24, downloaded: 24, skipped: 0, bytes: 90_000,
  listingError: null, needingAction: [], failures: [], passes: 1, retried: 0, fresh: 0, notStarted: 0, deadlineReached: false, skippedUsers: [],
  ...over,
});

/** Feeds `items` through one tracker onto `renderer`, with the clock at `t()`. */
const feed = (renderer: Renderer, mode: 'tty' | 'plain' | 'json', items: BatchItem[], tracker = createBatchTracker(undefined, 0)) => {
  for (const item of items) showBatchItem(item, { renderer, mode, tracker });
  return tracker;
};

describe('cli: render/batch-view (the listing: its end, its skipped users)', () => {
  it('listing-done gives the progress its total: members done of all and the ETA on a terminal, where before it said only "started"', () => {
    const vt = virtualTerminal(80, 20);
    let t = 0;
    const r = createTtyRenderer(vt, { cwd: '/', color: false, batch: true, now: () => t, frameMs: 60_000 });
    const tracker = feed(r, 'tty', [started(0), started(1), started(2), started(3)]);
    t = 2_000;
    feed(r, 'tty', [done(0)], tracker);
    const headline = () => vt.lines().find((l) => /^⠋ /.test(l));
    expect(headline()).to.equal('⠋ 1 member done, 4 started · 0 PDFs, 0 B · 0.5 members/s');
    feed(r, 'tty', [{ type: 'listing-done', total: 4 }], tracker);
    expect(tracker.progress().total).to.equal(4);
    expect(headline()).to.equal('⠋ 1/4 members done · 0 PDFs, 0 B · 0.5 members/s · ETA 6 s');
    expect(vt.lines()).to.include('• Listed every member: 4 members in all');
    r.close();
  });

  it('the plain heartbeat says members done of all and the ETA once the listing ended; member lines count of all', () => {
    const err = recorder();
    let t = 0;
    const r = createPlainRenderer(err, { cwd: '/', now: () => t, heartbeatMs: 30_000 });
    const tracker = feed(r, 'plain', [started(0), started(1)]);
    t = 10_000;
    feed(r, 'plain', [done(0)], tracker);
    t = 31_000;
    feed(r, 'plain', [{ type: 'listing-done', total: 3 }], tracker);
    t = 40_000;
    feed(r, 'plain', [done(1)], tracker);
    // Each member's steps are logged too (plain mode logs every step); the counts are what matters here.
    const lines = err.text().trimEnd().split('\n').filter((l) => !l.endsWith('Statements job started'));
    expect(lines).to.deep.equal([
      `ok [${target(0).memberGuid}] synced: no statements (1 member done)`,
      '.. Listed every member: 3 members in all',
      '.. 1/3 members done · 0 PDFs, 0 B · 0.0 members/s · ETA 1 min 2 s',
      `ok [${target(1).memberGuid}] synced: no statements (2 of 3 members done)`,
    ]);
  });

  it('a user the listing skipped: one line on a terminal and in a log, the item in JSON, hostile text escaped; counted in the listing line', () => {
    const vt = virtualTerminal(400, 20);
    const tty = createTtyRenderer(vt, { cwd: '/', color: false, batch: true, now: () => 0, frameMs: 60_000 });
    feed(tty, 'tty', [skippedItem, { type: 'listing-done', total: 0 }]);
    tty.close();
    for (const l of vt.lines()) expect(l).to.not.match(UNSAFE_CHAR);
    const screen = vt.lines().join('\n');
    expect(screen).to.match(/^✖ USR-9\\e\]0;pwned\\x07.* skipped: its members could not be listed: NotFound: GET \/users\/USR-9\/members: user not found\\e\]0;pwned/m);
    expect(screen).to.match(/^• Listed every member: 0 members in all \(1 user skipped\)$/m);

    const err = recorder();
    feed(createPlainRenderer(err, { cwd: '/' }), 'plain', [skippedItem]);
    expect(err.text()).to.not.match(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\p{Cf}\u2028\u2029]/u);
    expect(err.text()).to.match(/^!! \[USR-9\\e\]0;pwned\\x07.*\] skipped: its members could not be listed: NotFound: /);
    expect(err.text().trimEnd().split('\n')).to.have.length(1);

    const out = recorder();
    feed(createJsonRenderer(out, recorder()), 'json', [skippedItem, { type: 'listing-done', total: 0 }]);
    const lines = out.text().trimEnd().split('\n');
    for (const l of lines) expect(l).to.not.match(UNSAFE_CHAR);
    expect(lines.map((l) => JSON.parse(l) as unknown)).to.deep.equal([skippedItem, { type: 'listing-done', total: 0 }]);
  });

  it('the summary lists the skipped users (escaped, fitting 80 columns), and the exit code is 9: their members were not synced', () => {
    const s = summary({ skippedUsers: [{ key: `USR-9${EVIL}`, userGuid: `USR-9${EVIL}`, memberGuid: null, errorTag: 'NotFound', message: gone.message }] });
    const lines = renderBatchSummary(s, { out: 'statements', cwd: '/' }).split('\n');
    for (const l of lines) expect(l).to.not.match(UNSAFE_CHAR);
    const at = lines.indexOf('Users skipped: their members could not be listed (1):');
    expect(at, lines.join('\n')).to.be.greaterThan(0);
    expect(lines[at + 1]).to.match(/^ {2}USR-9\\e\]0;pwned\\x07.* {2}NotFound: GET \/users\/USR-9\/members: user not found/);
    const real = summary({ skippedUsers: [{ key: 'USR-7e9f529a0c631497c1d77b952732e7d9', userGuid: 'USR-7e9f529a0c631497c1d77b952732e7d9', memberGuid: null, errorTag: 'NotFound', message: 'GET /users/USR-7e9f529a0c631497c1d77b952732e7d9/members: 404 user not found' }] });
    for (const l of renderBatchSummary(real, { out: 'statements', cwd: '/', columns: 80 }).split('\n')) expect(displayWidth(l), l).to.be.below(80);
    expect(syncExitCode(s)).to.equal(9);
    expect(syncExitCode(summary())).to.equal(0);
    expect(renderBatchSummary(summary(), { out: 'statements', cwd: '/' })).to.not.match(/skipped:/);
  });
});

import { expect } from 'chai';
import { createJsonRenderer, jsonLine } from '../../lib/cli/render/json.js';
import { createPlainRenderer } from '../../lib/cli/render/plain.js';
import { createTtyRenderer } from '../../lib/cli/render/tty.js';
import { describeEvent, nextStep } from '../../lib/cli/render/describe.js';
import { createSummaryCollector, renderSummaryTable } from '../../lib/cli/render/summary-table.js';
import { displayPath, formatBytes, formatDuration } from '../../lib/cli/render/format.js';
import { memberDoneLine, renderBatchSummary } from '../../lib/cli/render/batch.js';
import { recorder, SAMPLE_EVENTS } from './helpers.js';

const strip = (s: string) => s.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');

describe('cli: renderers', () => {
  describe('format', () => {
    it('formats sizes, durations and paths', () => {
      expect(formatBytes(812)).to.equal('812 B');
      expect(formatBytes(46285)).to.equal('45.2 KB');
      expect(formatBytes(3 * 1024 * 1024)).to.equal('3.0 MB');
      expect(formatDuration(40)).to.equal('40 ms');
      expect(formatDuration(1500)).to.equal('1.5 s');
      expect(formatDuration(125_000)).to.equal('2 min 5 s');
      expect(displayPath('/home/me/statements/a.pdf', '/home/me')).to.equal('statements/a.pdf');
      expect(displayPath('/elsewhere/a.pdf', '/home/me')).to.equal('/elsewhere/a.pdf');
    });
  });

  describe('json', () => {
    it('writes one parseable object per line, each with its type; failures as type error', () => {
      const out = recorder();
      const err = recorder();
      const r = createJsonRenderer(out, err);
      for (const ev of SAMPLE_EVENTS) r.event(ev);
      r.info('ignored in JSON mode');
      r.failure({ _tag: 'ConnectionFailed', method: 'GET', path: '/x', message: 'ended DENIED', memberGuid: 'MBR-1', connectionStatus: 'DENIED' });
      r.close();
      const lines = out.text().trimEnd().split('\n');
      expect(lines).to.have.length(SAMPLE_EVENTS.length + 1);
      const parsed = lines.map((l) => JSON.parse(l) as { type: string; error?: { _tag: string; message: string } });
      expect(parsed.map((p) => p.type)).to.deep.equal([...SAMPLE_EVENTS.map((e) => e.type), 'error']);
      expect(parsed.at(-1)?.error).to.include({ _tag: 'ConnectionFailed', message: 'ended DENIED' });
      expect(err.text()).to.contain('ConnectionFailed: ended DENIED');
    });
    it('drops bytes and merges a scope', () => {
      const line = jsonLine({ type: 'x', bytes: new Uint8Array([1, 2]) } as { type: string }, { label: 'MBR-1', fields: { target: 'USR-1/MBR-1' } });
      expect(JSON.parse(line)).to.deep.equal({ type: 'x', target: 'USR-1/MBR-1' });
    });
  });

  describe('plain', () => {
    it('writes one marked line per step, nothing for progress ticks', () => {
      const out = recorder();
      const r = createPlainRenderer(out, { cwd: '/out' });
      for (const ev of SAMPLE_EVENTS) r.event(ev, ev.type === 'done' ? { label: 'MBR-1', fields: {} } : undefined);
      r.failure({ _tag: 'Interrupted', message: 'interrupted' });
      const lines = out.text().trimEnd().split('\n');
      expect(lines).to.have.length(SAMPLE_EVENTS.length - 1 + 1); // no line for statement-progress, one for the failure
      expect(lines[1]).to.equal('ok Institution MX Bank (mxbank)');
      expect(lines).to.include('?? MFA round 1: TEXT "Pet name?"');
      expect(lines).to.include('ok Saved STA-1 2.0 KB → MBR-1/STA-1.pdf');
      expect(lines).to.include('-- Skipped STA-2: already saved and verified at MBR-1/STA-2.pdf');
      expect(lines.at(-2)).to.equal('ok [MBR-1] Done: 2 statements, 1 downloaded (2.0 KB), 1 already saved');
      expect(lines.at(-1)).to.equal('!! Interrupted: interrupted');
      expect(out.text()).to.not.match(/\u001b\[/);
    });
  });

  describe('tty', () => {
    it('logs finished steps with check marks, draws bars, and leaves the cursor visible after close', async () => {
      const out = recorder(true, 120);
      let t = 0;
      const r = createTtyRenderer(out, { cwd: '/out', color: false, now: () => t });
      for (const ev of SAMPLE_EVENTS.slice(0, 5)) r.event(ev);
      r.event({ type: 'status', memberGuid: 'MBR-1', connectionStatus: 'SYNCING', isBeingAggregated: true, attempt: 3, nextDelayMs: 2500 });
      t = 1000;
      await new Promise((res) => setTimeout(res, 150)); // let cli-progress redraw (it runs on its own timer)
      r.suspend();
      r.resume();
      for (const ev of SAMPLE_EVENTS.slice(10, 13)) r.event(ev);
      await new Promise((res) => setTimeout(res, 150));
      for (const ev of SAMPLE_EVENTS.slice(13)) r.event(ev);
      r.close();
      const text = strip(out.text());
      expect(text).to.contain('✔ User USR-1 (id demo) created');
      expect(text).to.contain('✔ Institution MX Bank (mxbank)');
      expect(text).to.match(/Status SYNCING, aggregating · poll 3 · next poll in 1\.5 s/);
      expect(text).to.match(/STA-1 █+░+ +50% 1\.0 KB \/ 2\.0 KB/);
      expect(text).to.contain('Listing statements: 2 found');
      expect(text).to.contain('✔ Saved STA-1 2.0 KB → MBR-1/STA-1.pdf');
      expect(text).to.contain('↷ Skipped STA-2');
      expect(text).to.contain('✔ Done: 2 statements');
      expect(out.text().lastIndexOf('\u001b[?25h')).to.be.greaterThan(out.text().lastIndexOf('\u001b[?25l'));
      r.event(SAMPLE_EVENTS[0]!); // after close: ignored, no throw
    });
  });

  describe('describe', () => {
    it('names the next step for the spinner', () => {
      expect(nextStep(undefined)).to.equal('Preparing the user');
      expect(nextStep({ type: 'connected', memberGuid: 'MBR-1', polls: 3, mfaRounds: 0 })).to.equal('Listing statements');
      expect(nextStep(SAMPLE_EVENTS.at(-1))).to.equal(undefined);
    });
    it('describes a listing-only run', () => {
      const l = describeEvent({ type: 'done', summary: { userGuid: 'U', memberGuid: 'M', statements: 3, downloaded: 0, skipped: 0, bytes: 0, polls: 1, mfaRounds: 0, downloadEnabled: false } }, { cwd: '/' });
      expect(l?.text).to.equal('Done: 3 statements (listed only, not downloaded)');
    });
  });

  describe('summary table', () => {
    it('has a row per statement with account, bytes, path and status, and a totals line', () => {
      const c = createSummaryCollector();
      for (const ev of SAMPLE_EVENTS) c.add(ev);
      const text = renderSummaryTable(c.rows(), '/out');
      const lines = text.split('\n');
      expect(lines[0]).to.match(/^statement +account +bytes +path +status$/);
      expect(lines[2]).to.match(/^STA-1 +ACT-1 +2048 +MBR-1\/STA-1\.pdf +saved$/);
      expect(lines[3]).to.match(/^STA-2 +ACT-2 +4096 +MBR-1\/STA-2\.pdf +already saved$/);
      expect(lines.at(-1)).to.equal('2 statements: 1 saved (2.0 KB), 1 already saved');
      expect(renderSummaryTable([], '/')).to.equal('No statements.');
    });
  });

  describe('batch', () => {
    it('describes member outcomes and the sync summary', () => {
      const target = { index: 0, key: 'USR-1/MBR-1', userGuid: 'USR-1', memberGuid: 'MBR-1' };
      expect(memberDoneLine({ type: 'member-done', target, outcome: 'synced' })).to.deep.equal({ kind: 'done', text: 'synced' });
      const mfa = memberDoneLine({
        type: 'member-done', target, outcome: 'needs-user-action',
        error: { _tag: 'MfaRequired', method: 'PUT', path: '/r', message: 'is CHALLENGED', memberGuid: 'MBR-1', challengeTypes: ['TEXT'] },
      });
      expect(mfa.kind).to.equal('question');
      expect(mfa.text).to.contain('needs its user: MfaRequired: is CHALLENGED');
      const text = renderBatchSummary({
        type: 'batch-summary', total: 3, synced: 1, needsUserAction: 1, failed: 1, statements: 6, downloaded: 4, skipped: 2, bytes: 4096,
        listingError: null,
        needingAction: [{ key: 'USR-1/MBR-2', userGuid: 'USR-1', memberGuid: 'MBR-2', errorTag: 'MfaRequired', message: 'challenged' }],
        failures: [{ key: 'USR-2/MBR-3', userGuid: 'USR-2', memberGuid: 'MBR-3', errorTag: 'ServerError', message: '503' }],
      });
      expect(text).to.contain('Members: 1 synced, 1 need their user, 1 failed (3 in all)');
      expect(text).to.contain('  USR-1/MBR-2  MfaRequired: challenged');
      expect(text).to.contain('  USR-2/MBR-3  ServerError: 503');
    });
  });
});

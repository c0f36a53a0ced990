import { expect } from 'chai';
import { memberDoneLine, renderBatchSummary } from '../../../lib/cli/render/batch.js';
import { displayWidth } from '../../../lib/cli/render/text.js';
import type { BatchSummary } from '../../../lib/workflow/index.js';
import { EVIL, UNSAFE_CHAR } from './hostile-events.js';

const target = { index: 0, key: 'USR-1/MBR-1', userGuid: 'USR-1', memberGuid: 'MBR-1' };

const summary = (over: Partial<BatchSummary> = {}): BatchSummary => ({
  type: 'batch-summary', total: 3, synced: 1, needsUserAction: 1, failed: 1, statements: 6, downloaded: 4, skipped: 2, bytes: 4096,
  listingError: null,
  needingAction: [{ key: 'USR-1/MBR-2', userGuid: 'USR-1', memberGuid: 'MBR-2', errorTag: 'MfaRequired', message: 'challenged' }],
  failures: [{ key: 'USR-2/MBR-3', userGuid: 'USR-2', memberGuid: 'MBR-3', errorTag: 'ServerError', message: '503' }],
  ...over,
});

describe('cli: render/batch', () => {
  it('describes how each member ended, with what it saved', () => {
    expect(memberDoneLine({ type: 'member-done', target, outcome: 'synced' }, { downloaded: 6, skipped: 0, bytes: 30_822 })).to.deep.equal({ kind: 'done', text: 'synced: 6 PDFs, 6 new (30.1 KB)' });
    expect(memberDoneLine({ type: 'member-done', target, outcome: 'synced' }, { downloaded: 0, skipped: 6, bytes: 0 }).text).to.equal('synced: 6 PDFs, all already saved');
    expect(memberDoneLine({ type: 'member-done', target, outcome: 'synced' }).text).to.equal('synced: no statements');
    const mfa = memberDoneLine({
      type: 'member-done', target, outcome: 'needs-user-action',
      error: { _tag: 'MfaRequired', method: 'PUT', path: '/r', message: 'member MBR-1 is CHALLENGED', memberGuid: 'MBR-1', challengeTypes: ['TEXT'] },
    });
    // Nobody can answer in an unattended sync: the hint says what its user must do, not a flag sync lacks.
    expect(mfa).to.deep.equal({ kind: 'question', text: 'needs its user: MfaRequired: member MBR-1 is CHALLENGED — its user must answer: run fetch for that user in a terminal' });
    const later = memberDoneLine({ type: 'member-done', target, outcome: 'synced', pass: 2, fresh: true }, { downloaded: 1, skipped: 5, bytes: 2048, unverified: 1 });
    expect(later.text).to.equal('synced: 6 PDFs, 1 new (2.0 KB); fresh: no new job (--max-age), on pass 2, 1 unverified');
  });

  it('says how many passes it took, and what only some runs have: fresh members, unverified PDFs, webhooks, the fleet', () => {
    const lines = renderBatchSummary(summary({ failures: [], failed: 0, needingAction: [], needsUserAction: 0, synced: 3, passes: 2, retried: 1, fresh: 2 }), {
      out: './statements', cwd: '/home/me', elapsedMs: 4_200, unverified: 3,
      webhooks: { received: 6, duplicates: 1, rejected: 0, polls: 4 },
      fleet: { runId: '20261201-030000-ab12cd', workers: 2, duplicates: 0, attempts: 1 },
    }).split('\n');
    expect(lines).to.deep.equal([
      'Done in 4.2 s, 2 passes (1 member tried again): 3 of 3 members synced, 0 need their user, 0 failed',
      'Statements: 6 PDFs, 4.0 KB (4 downloaded, 2 already saved) by the workers',
      'Fresh: 2 members had a statements job younger than --max-age: listed, gaps filled, no new job',
      'Unverified: 3 PDFs kept without a content_hash from MX (--allow-unverified)',
      'Webhooks: 6 received, 1 redelivered, 0 refused; 1.3 status polls per member',
      'Fleet: run 20261201-030000-ab12cd, 2 workers; every member ran once',
    ]);
    expect(renderBatchSummary(summary({ passes: 1, retried: 0 }), { out: 'o', cwd: '/' }).split('\n')[0]).to.match(/^Done, 1 pass: 1 of 3 members synced/);
  });

  it('ends with one summary: counts, PDFs and folder, then the problem members', () => {
    const lines = renderBatchSummary(summary(), { out: './statements', cwd: '/home/me', elapsedMs: 4_200 }).split('\n');
    expect(lines).to.deep.equal([
      'Done in 4.2 s: 1 of 3 members synced, 1 need their user, 1 failed',
      'Statements: 6 PDFs, 4.0 KB (4 downloaded, 2 already saved) in statements/',
      'Need their user (MFA, credentials, locked…) (1):',
      '  USR-1/MBR-2  MfaRequired: challenged',
      'Failed (1):',
      '  USR-2/MBR-3  ServerError: 503',
    ]);
  });

  it('wraps to the terminal and escapes hostile messages', () => {
    const long = `GET /users/USR-${'7'.repeat(32)}/members/MBR-${'5'.repeat(32)}/status answered 503 ${EVIL}`;
    const text = renderBatchSummary(summary({ failures: [{ key: `USR-2/MBR-3${EVIL}`, userGuid: 'USR-2', memberGuid: 'MBR-3', errorTag: 'ServerError', message: long }] }), {
      out: '/srv/statements', cwd: '/home/me', columns: 80,
    });
    for (const l of text.split('\n')) {
      expect(l).to.not.match(UNSAFE_CHAR);
      if (!l.includes('/users/')) expect(displayWidth(l), l).to.be.below(80);
    }
    expect(text).to.contain('in /srv/statements/');
  });
});

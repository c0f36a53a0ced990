import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import {
  MX_BANK_PASSWORDS, SANDBOX_DEFAULTS,
} from '../../lib/sandbox/index.js';
import { resolveOptions } from '../../lib/sandbox/options.js';
import { SANDBOX_JOB_HEADER } from '../../lib/sandbox/routes/jobs.js';
import { SANDBOX_HEADER_VALUE } from '../../lib/sandbox/handler.js';
import { SANDBOX_HEADER } from '../../lib/sandbox/handler.js';
import { FAULT_KINDS } from '../../lib/sandbox/options.js';
import { ACTIONABLE_STATUSES } from '../../lib/sandbox/webhooks/payloads.js';

const doc = readFileSync(new URL('../../docs/sandbox.md', import.meta.url), 'utf8');

describe('sandbox: docs/sandbox.md matches the code', () => {
  it('has a row for every password of the table, with its result', () => {
    for (const rule of MX_BANK_PASSWORDS) {
      const row = doc.split('\n').find((l) => l.startsWith(`| \`${String(rule.password)}\` |`));
      expect(row, String(rule.password)).to.be.a('string');
      expect(row).to.contain(rule.result);
      if (rule.challenge) expect(row).to.contain(rule.challenge);
    }
  });

  it('documents every fault kind and the defaults', () => {
    for (const kind of FAULT_KINDS) expect(doc).to.contain(`\`'${kind}'\``);
    expect(doc).to.contain(`'${SANDBOX_DEFAULTS.clientId}'`);
    expect(doc).to.contain(`'${SANDBOX_DEFAULTS.apiKey}'`);
    expect(doc).to.contain(`| \`aggregationMs\` | \`${SANDBOX_DEFAULTS.aggregationMs}\``);
    expect(doc).to.contain(`| \`statementsPerMember\` | \`${SANDBOX_DEFAULTS.statementsPerMember}\``);
  });

  it('has a row for every option, with the defaults of the new ones', () => {
    const rows = doc.split('\n').filter((l) => l.startsWith('| `'));
    for (const option of Object.keys(resolveOptions())) {
      expect(rows.some((r) => r.startsWith(`| \`${option}\` |`)), option).to.equal(true);
    }
    for (const option of ['jobStartDelayMs', 'tooSoonMs', 'maxConnections', 'headersTimeoutMs'] as const) {
      expect(doc, option).to.contain(`| \`${option}\` | \`${SANDBOX_DEFAULTS[option]}\``);
    }
    expect(doc).to.contain(`| \`legacyAccept\` | \`${String(SANDBOX_DEFAULTS.legacyAccept)}\``);
  });

  it('names the headers, the 406 rule and every status a CONNECTION_STATUS webhook is sent for', () => {
    expect(doc).to.contain(`${SANDBOX_HEADER}: ${SANDBOX_HEADER_VALUE}`);
    expect(doc).to.contain(`${SANDBOX_JOB_HEADER}: started | joined | too-soon`);
    expect(doc).to.contain("The request didn't specify a valid API");
    const webhookRow = doc.split('\n').find((l) => l.startsWith('| `CONNECTION_STATUS` |')) ?? '';
    for (const status of ACTIONABLE_STATUSES) expect(webhookRow, status).to.contain(status);
  });
});

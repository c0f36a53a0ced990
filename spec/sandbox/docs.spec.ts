import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { FAULT_KINDS, MX_BANK_PASSWORDS, SANDBOX_DEFAULTS } from '../../lib/sandbox/index.js';

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
});

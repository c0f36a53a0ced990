/**
 * One check for every numeric option (review 26): the client config, the workflow, the batch, the download
 * bounds and the webhook receiver refuse the same bad values the same way.
 */
import { expect } from 'chai';
import { MxConfigError, resolveConfig } from '../../lib/core/config.js';
import { optionNumber } from '../../lib/core/option-number.js';
import { createWebhookReceiver } from '../../lib/node/webhooks/receiver.js';
import { fetchStatementsForMany$ } from '../../lib/workflow/batch.js';
import { resolveDownloadSafety } from '../../lib/workflow/download-limits.js';
import { resolveContext } from '../../lib/workflow/input.js';
import { fakeClient } from '../helpers/fake-client.js';

describe('core/option-number: optionNumber', () => {
  it('passes a value the rule accepts, and the fallback for undefined', () => {
    expect(optionNumber('n', undefined, 7, { min: 1 })).to.equal(7);
    expect(optionNumber('n', 1, 7, { min: 1, integer: true })).to.equal(1);
    expect(optionNumber('n', 0.5, 7, { min: 0, above: true })).to.equal(0.5);
    expect(optionNumber('n', Infinity, 7, { min: 1, infinite: true })).to.equal(Infinity);
  });

  for (const [value, rule, text] of [
    [0, { min: 1 }, 'n: must be a number ≥ 1, got 0'],
    [0, { min: 0, above: true }, 'n: must be a number > 0, got 0'],
    [1.5, { min: 0, integer: true }, 'n: must be an integer ≥ 0, got 1.5'],
    [NaN, { min: 0 }, 'n: must be a number ≥ 0, got NaN'],
    ['5', { min: 0 }, 'n: must be a number ≥ 0, got "5"'],
    [Infinity, { min: 0 }, 'n: must be a number ≥ 0, got Infinity'],
    [-Infinity, { min: 0, infinite: true }, 'n: must be a number ≥ 0 (or Infinity), got -Infinity'],
    [null, { min: 0 }, 'n: must be a number ≥ 0, got null'],
  ] as const) {
    it(`refuses ${String(value)} for ${JSON.stringify(rule)}`, () => {
      expect(() => optionNumber('n', value, 1, rule)).to.throw(RangeError, text);
    });
  }

  it('raises the error its caller asks for', () => {
    expect(() => optionNumber('timeoutMs', -1, 1, { min: 1 }, (name, reason) => new MxConfigError(name, reason)))
      .to.throw(MxConfigError, 'invalid MX client config: timeoutMs: must be a number ≥ 1, got -1');
  });

  it('is the check of every option family', () => {
    const { client } = fakeClient({});
    expect(() => resolveConfig({ baseUrl: 'https://mx.example', auth: 'none', timeoutMs: 0.5 })).to.throw(MxConfigError, 'timeoutMs: must be a number ≥ 1, got 0.5');
    expect(() => resolveContext(client, { stepRetries: 1.5 })).to.throw(RangeError, 'stepRetries: must be an integer ≥ 0, got 1.5');
    expect(() => resolveContext(client, { mfaTimeoutMs: 0 })).to.throw(RangeError, 'mfaTimeoutMs: must be a number > 0 (or Infinity), got 0');
    expect(() => resolveDownloadSafety({ minBytesPerSecond: Infinity })).to.throw(RangeError, 'download.minBytesPerSecond: must be a number ≥ 0, got Infinity');
    expect(() => createWebhookReceiver({ username: 'u', password: 'p', maxBodyBytes: 0 })).to.throw(RangeError, 'webhooks.maxBodyBytes: must be a number > 0 (or Infinity), got 0');
    let bug: unknown;
    fetchStatementsForMany$(client, [], { maxPasses: 0 }).subscribe({ error: (e: unknown) => { bug = e; } });
    expect(bug).to.be.instanceOf(RangeError).with.property('message', 'maxPasses: must be an integer ≥ 1, got 0');
  });
});

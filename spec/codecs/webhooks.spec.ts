import { expect } from 'chai';
import * as E from 'fp-ts/lib/Either.js';
import { MX_SAMPLES } from './webhook-samples.js';
import { decodeWebhook, parseWebhook, webhookDeliveryKey, webhookWakeup, type WebhookEvent } from '../../lib/codecs/webhooks.js';

const REF = { method: 'POST', path: '/webhooks' };


const right = (r: E.Either<unknown, WebhookEvent>): WebhookEvent => {
  if (E.isLeft(r)) throw new Error(`expected a webhook, got ${JSON.stringify(r.left)}`);
  return r.right;
};

describe('codecs/webhooks', () => {
  it("decodes MX's three sample payloads into typed events", () => {
    const s = right(decodeWebhook(MX_SAMPLES.statement, REF));
    expect(s).to.deep.include({ kind: 'statement', memberGuid: 'MBR-7c6f361b', userGuid: 'USR-fa7537f3' });
    if (s.kind === 'statement') expect(s.payload.statements_created_count).to.equal(3);
    const a = right(decodeWebhook(MX_SAMPLES.aggregation, REF));
    expect(a.kind).to.equal('aggregation');
    if (a.kind === 'aggregation') expect(a.payload.job_guid).to.equal('JOB-1');
    const c = right(decodeWebhook(MX_SAMPLES.connectionStatus, REF));
    expect(c.kind).to.equal('connection-status');
    if (c.kind === 'connection-status') expect(c.payload.connection_status).to.equal('CHALLENGED');
  });

  it('keeps fields it does not know, accepts nulls, and a connection status MX adds later', () => {
    const e = right(decodeWebhook({ ...MX_SAMPLES.connectionStatus, connection_status: 'SOMETHING_NEW', shiny: [1], user_guid: null }, REF));
    expect(e).to.deep.include({ kind: 'connection-status', userGuid: null });
    expect((e.payload as Record<string, unknown>).shiny).to.deep.equal([1]);
  });

  it('reports a type it does not know as an unknown event, never as an error', () => {
    const e = right(parseWebhook('{"type":"HOLDING","member_guid":"MBR-1","user_guid":"USR-1","x":1}', REF));
    expect(e).to.deep.equal({ kind: 'unknown', type: 'HOLDING', memberGuid: 'MBR-1', userGuid: 'USR-1', payload: { type: 'HOLDING', member_guid: 'MBR-1', user_guid: 'USR-1', x: 1 } });
    expect(right(decodeWebhook({ type: 'PING' }, REF))).to.deep.include({ kind: 'unknown', memberGuid: null });
  });

  it('refuses what is not a webhook with a DecodeError naming the problem', () => {
    const bad = (u: unknown) => decodeWebhook(u, REF);
    for (const u of [null, [], 'STATEMENT', 42, {}, { type: 7 }]) expect(E.isLeft(bad(u)), JSON.stringify(u)).to.equal(true);
    const missing = bad({ type: 'STATEMENT', user_guid: 'USR-1' });
    expect(E.isLeft(missing) && missing.left.errors.join()).to.match(/member_guid/);
    const noStatus = bad({ type: 'CONNECTION_STATUS', member_guid: 'MBR-1' });
    expect(E.isLeft(noStatus) && noStatus.left.errors.join()).to.match(/connection_status/);
    const json = parseWebhook('{"type":', REF);
    expect(E.isLeft(json) && json.left._tag).to.equal('DecodeError');
  });

  it('gives a redelivery the same key whatever its field order, and other payloads other keys', () => {
    const reordered = Object.fromEntries(Object.entries(MX_SAMPLES.statement).reverse());
    expect(webhookDeliveryKey(reordered)).to.equal(webhookDeliveryKey(MX_SAMPLES.statement));
    expect(webhookDeliveryKey({ ...MX_SAMPLES.statement, completed_at: 1531947411 })).to.not.equal(webhookDeliveryKey(MX_SAMPLES.statement));
    expect(webhookDeliveryKey({ a: { y: 1, x: [2, { d: 1, c: 2 }] } })).to.equal(webhookDeliveryKey({ a: { x: [2, { c: 2, d: 1 }], y: 1 } }));
  });

  it('turns every event that names a member into a wakeup', () => {
    for (const sample of Object.values(MX_SAMPLES)) expect(webhookWakeup(right(decodeWebhook(sample, REF)))).to.deep.equal({ memberGuid: 'MBR-7c6f361b' });
    expect(webhookWakeup(right(decodeWebhook({ type: 'PING' }, REF)))).to.equal(undefined);
  });
});

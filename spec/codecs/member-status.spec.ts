import { expect } from 'chai';
import { MemberStatus } from '../../lib/codecs/member-status.js';
import { decodeErrors, decodeOk } from './assert.js';

describe('codecs/MemberStatus', () => {
  it('decodes a challenged status with its challenges and keeps unknown fields', () => {
    const s = {
      guid: 'MBR-1',
      connection_status: 'CHALLENGED',
      is_being_aggregated: true,
      is_authenticated: false,
      aggregated_at: '2016-10-13T18:07:57.000Z',
      successfully_aggregated_at: null,
      has_processed_accounts: false,
      has_processed_account_numbers: null,
      has_processed_transactions: false,
      challenges: [{ guid: 'CRD-9', type: 'TEXT', label: 'What city?' }],
      job_type: 'STATEMENTS',
    };
    expect(decodeOk(MemberStatus, s)).to.deep.equal(s);
  });

  it('needs only the guid; null challenges and status are fine', () => {
    expect(decodeOk(MemberStatus, { guid: 'MBR-1', challenges: null, connection_status: null })).to.deep.equal({
      guid: 'MBR-1', challenges: null, connection_status: null,
    });
  });

  it('decodes an unknown connection_status', () => {
    expect(decodeOk(MemberStatus, { guid: 'MBR-1', connection_status: 'RECONNECTING' }).connection_status).to.equal('RECONNECTING');
  });

  it('names the path of a bad challenge inside the status (not the null branch)', () => {
    expect(decodeErrors(MemberStatus, { guid: 'MBR-1', challenges: [{ guid: 'CRD-1' }, { label: 'x' }] })).to.deep.equal([
      'challenges[1].guid: expected string, got undefined',
    ]);
  });

  it('rejects a missing guid and a numeric connection_status together', () => {
    expect(decodeErrors(MemberStatus, { connection_status: 3 })).to.deep.equal([
      'guid: expected string, got undefined',
      'connection_status: expected ConnectionStatus | null, got 3',
    ]);
  });
});

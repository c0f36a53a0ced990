import { expect } from 'chai';
import { Member } from '../../lib/codecs/member.js';
import { decodeErrors, decodeOk } from './assert.js';

const full = {
  guid: 'MBR-7c6f361b-e582-15b6-60c0-358f12466b4b',
  id: 'unique_id',
  name: 'MX Bank',
  user_guid: 'USR-1',
  user_id: 'user123',
  institution_code: 'mxbank',
  institution_guid: 'INST-1',
  connection_status: 'CONNECTED',
  connection_status_message: 'Connected to MX Bank',
  is_being_aggregated: false,
  aggregated_at: '2016-10-13T18:07:57.000Z',
  successfully_aggregated_at: '2016-10-13T17:57:38.000Z',
  background_aggregation_is_disabled: false,
  is_managed_by_user: false,
  is_manual: false,
  is_oauth: false,
  oauth_window_uri: null,
  needs_updated_credentials: false,
  metadata: null,
  most_recent_job_guid: 'JOB-1',
  most_recent_job_detail_code: null,
  most_recent_job_detail_text: null,
  use_cases: ['PFM'],
};

describe('codecs/Member', () => {
  it('decodes a full member', () => {
    expect(decodeOk(Member, full)).to.deep.equal(full);
  });

  it('keeps unknown fields, nested ones included', () => {
    const m = { guid: 'MBR-1', is_aggregating: true, extra: { deep: [1, { x: null }] } };
    expect(decodeOk(Member, m)).to.deep.equal(m);
  });

  it('needs only the guid, and accepts null everywhere else', () => {
    const nulls = Object.fromEntries(Object.keys(full).filter((k) => k !== 'guid').map((k) => [k, null]));
    expect(decodeOk(Member, { guid: 'MBR-1', ...nulls })).to.deep.equal({ guid: 'MBR-1', ...nulls });
    expect(decodeErrors(Member, { ...full, guid: undefined })).to.deep.equal(['guid: expected string, got undefined']);
  });

  it('decodes an unknown connection_status as a string', () => {
    expect(decodeOk(Member, { guid: 'MBR-1', connection_status: 'HALTED' }).connection_status).to.equal('HALTED');
  });

  it('rejects a non-string connection_status, naming the path', () => {
    expect(decodeErrors(Member, { guid: 'MBR-1', connection_status: 42 })).to.deep.equal([
      'connection_status: expected ConnectionStatus | null, got 42',
    ]);
  });

  describe('most_recent_job_guid: a string (v20250224), though v20111101’s spec says boolean', () => {
    it('keeps a JOB- guid and null', () => {
      expect(decodeOk(Member, { guid: 'MBR-1', most_recent_job_guid: 'JOB-12345678-90ab-cdef-1234-567890abcdef' }).most_recent_job_guid)
        .to.equal('JOB-12345678-90ab-cdef-1234-567890abcdef');
      expect(decodeOk(Member, { guid: 'MBR-1', most_recent_job_guid: null }).most_recent_job_guid).to.equal(null);
    });

    for (const v of [true, false]) {
      it(`reads the boolean ${String(v)} of v20111101’s schema as null: it names no job`, () => {
        expect(decodeOk(Member, { guid: 'MBR-1', most_recent_job_guid: v }).most_recent_job_guid).to.equal(null);
      });
    }
  });

  describe('most_recent_job_detail_text (both specs say boolean, MX sends a string)', () => {
    for (const v of ['The institution is down', true, false, null]) {
      it(`accepts ${JSON.stringify(v)}`, () => {
        expect(decodeOk(Member, { guid: 'MBR-1', most_recent_job_detail_text: v }).most_recent_job_detail_text).to.equal(v);
      });
    }
  });

  it('rejects numbers and objects in the job fields', () => {
    expect(decodeErrors(Member, { guid: 'MBR-1', most_recent_job_guid: 7, most_recent_job_detail_text: {} })).to.deep.equal([
      'most_recent_job_guid: expected JobGuid, got 7',
      'most_recent_job_detail_text: expected string | boolean | null, got {}',
    ]);
  });

  it('rejects a use_cases entry that is not a string', () => {
    expect(decodeErrors(Member, { guid: 'MBR-1', use_cases: ['PFM', 1] })).to.deep.equal([
      'use_cases[1]: expected string, got 1',
    ]);
  });

  it('rejects is_being_aggregated as a string', () => {
    expect(decodeErrors(Member, { guid: 'MBR-1', is_being_aggregated: 'false' })).to.deep.equal([
      'is_being_aggregated: expected boolean | null, got "false"',
    ]);
  });
});

import { expect } from 'chai';
import { Statement } from '../../lib/codecs/statement.js';
import { decodeErrors, decodeOk } from './assert.js';

describe('codecs/Statement', () => {
  it('decodes a full statement and keeps unknown fields', () => {
    const s = {
      guid: 'STA-737a344b-caae-0f6e-1384-01f52e75dcb1',
      account_guid: 'ACT-1',
      member_guid: 'MBR-1',
      user_guid: 'USR-1',
      content_hash: 'ca53785b812d00ef821c3d94bfd6e5bbc0020504410589b7ea8552169f021981',
      created_at: '2016-10-13T18:08:00+00:00',
      updated_at: '2016-10-13T18:09:00+00:00',
      uri: 'uri/to/statement',
      period_end_on: '2016-09-30',
    };
    expect(decodeOk(Statement, s)).to.deep.equal(s);
  });

  it('accepts null in every optional field', () => {
    const s = {
      guid: 'STA-1', account_guid: null, member_guid: null, user_guid: null, content_hash: null, created_at: null,
      updated_at: null, uri: null,
    };
    expect(decodeOk(Statement, s)).to.deep.equal(s);
  });

  it('requires the guid and names wrong types', () => {
    expect(decodeErrors(Statement, { content_hash: 1 })).to.deep.equal([
      'guid: expected string, got undefined',
      'content_hash: expected string | null, got 1',
    ]);
  });
});

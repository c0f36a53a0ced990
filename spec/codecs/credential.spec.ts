import { expect } from 'chai';
import { Credential } from '../../lib/codecs/credential.js';
import { decodeErrors, decodeOk } from './assert.js';

describe('codecs/Credential', () => {
  it('decodes an institution credential and keeps unknown fields', () => {
    const login = {
      guid: 'CRD-1ec152cd-e628-e81a-e852-d1e7104624da', field_name: 'LOGIN', label: 'Username', display_order: 1,
      field_type: 'TEXT', type: 'TEXT', optional: false,
    };
    expect(decodeOk(Credential, login)).to.deep.equal(login);
  });

  it('accepts null in every optional field', () => {
    const c = { guid: 'CRD-2', field_name: null, label: null, display_order: null, field_type: null, type: null };
    expect(decodeOk(Credential, c)).to.deep.equal(c);
  });

  it('requires the guid', () => {
    expect(decodeErrors(Credential, { field_name: 'PASSWORD' })).to.deep.equal(['guid: expected string, got undefined']);
  });

  it('rejects a non-numeric display_order', () => {
    expect(decodeErrors(Credential, { guid: 'CRD-1', display_order: '1' })).to.deep.equal([
      'display_order: expected number | null, got "1"',
    ]);
  });
});

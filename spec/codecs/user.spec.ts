import { expect } from 'chai';
import { User } from '../../lib/codecs/user.js';
import { decodeErrors, decodeOk } from './assert.js';

describe('codecs/User', () => {
  it('decodes a full user and keeps unknown fields', () => {
    const input = { guid: 'USR-1', id: 'customer-42', email: 'a@b.c', is_disabled: false, metadata: '{}', new_field: [1] };
    expect(decodeOk(User, input)).to.deep.equal(input);
  });

  it('needs only the guid', () => {
    expect(decodeOk(User, { guid: 'USR-1' })).to.deep.equal({ guid: 'USR-1' });
  });

  it('accepts null in every optional field', () => {
    const input = { guid: 'USR-1', id: null, email: null, is_disabled: null, metadata: null };
    expect(decodeOk(User, input)).to.deep.equal(input);
  });

  it('rejects a missing or null guid, naming the path', () => {
    expect(decodeErrors(User, { id: 'x' })).to.deep.equal(['guid: expected string, got undefined']);
    expect(decodeErrors(User, { guid: null })).to.deep.equal(['guid: expected string, got null']);
  });

  it('rejects wrongly typed optional fields', () => {
    expect(decodeErrors(User, { guid: 'USR-1', is_disabled: 'no', email: 7 })).to.have.members([
      'email: expected string | null, got 7',
      'is_disabled: expected boolean | null, got "no"',
    ]);
  });

  it('rejects non-objects', () => {
    for (const v of [null, 'USR-1', 3, [], undefined]) {
      expect(decodeErrors(User, v)).to.have.length(1);
    }
  });
});

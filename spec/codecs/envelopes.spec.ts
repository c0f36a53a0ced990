import { expect } from 'chai';
import type * as t from 'io-ts';
import {
  ChallengesResponseBody, CredentialsResponseBody, InstitutionResponseBody, InstitutionsResponseBody, MemberResponseBody,
  MemberStatusResponseBody, MembersResponseBody, StatementResponseBody, StatementsResponseBody, UserResponseBody,
  UsersResponseBody,
} from '../../lib/codecs/envelopes.js';
import { decodeErrors, decodeOk } from './assert.js';

const pagination = { current_page: 1, per_page: 25, total_entries: 2, total_pages: 1 };

const expectedName: Record<string, string> = {
  UserResponseBody: 'User', InstitutionResponseBody: 'Institution', MemberResponseBody: 'Member',
  MemberStatusResponseBody: 'MemberStatus', StatementResponseBody: 'Statement',
};

const singles: Array<[t.Decoder<unknown, unknown>, string, Record<string, unknown>]> = [
  [UserResponseBody, 'user', { guid: 'USR-1' }],
  [InstitutionResponseBody, 'institution', { code: 'mxbank' }],
  [MemberResponseBody, 'member', { guid: 'MBR-1', connection_status: 'CREATED' }],
  [MemberStatusResponseBody, 'member', { guid: 'MBR-1', connection_status: 'CHALLENGED', challenges: [] }],
  [StatementResponseBody, 'statement', { guid: 'STA-1' }],
];

const lists: Array<[t.Decoder<unknown, unknown>, string, Record<string, unknown>, string]> = [
  [UsersResponseBody, 'users', { guid: 'USR-1' }, 'guid'],
  [InstitutionsResponseBody, 'institutions', { code: 'mxbank' }, 'code'],
  [CredentialsResponseBody, 'credentials', { guid: 'CRD-1', field_name: 'LOGIN' }, 'guid'],
  [MembersResponseBody, 'members', { guid: 'MBR-1' }, 'guid'],
  [ChallengesResponseBody, 'challenges', { guid: 'CRD-9', type: 'TEXT' }, 'guid'],
  [StatementsResponseBody, 'statements', { guid: 'STA-1' }, 'guid'],
];

describe('codecs/envelopes', () => {
  for (const [codec, key, item] of singles) {
    describe(codec.name, () => {
      it(`decodes { ${key} } and keeps unknown fields at both levels`, () => {
        const body = { [key]: { ...item, extra: 1 }, request_id: 'r-1' };
        expect(decodeOk(codec, body)).to.deep.equal(body);
      });
      it(`rejects a missing ${key}, naming it`, () => {
        const errors = decodeErrors(codec, { other: {} });
        expect(errors).to.deep.equal([`${key}: expected ${expectedName[codec.name]}, got undefined`]);
      });
    });
  }

  for (const [codec, key, item, id] of lists) {
    describe(codec.name, () => {
      it(`decodes { ${key}, pagination } and keeps unknown fields`, () => {
        const body = { [key]: [item, { ...item, extra: true }], pagination, meta: null };
        expect(decodeOk(codec, body)).to.deep.equal(body);
      });
      it('decodes an empty page', () => {
        expect(decodeOk(codec, { [key]: [], pagination: { ...pagination, total_entries: 0, total_pages: 0 } })).to.deep.equal({
          [key]: [], pagination: { ...pagination, total_entries: 0, total_pages: 0 },
        });
      });
      it(`names the index of a bad item (${key}[1].${id})`, () => {
        expect(decodeErrors(codec, { [key]: [item, {}], pagination })).to.deep.equal([`${key}[1].${id}: expected string, got undefined`]);
      });
      it('requires pagination', () => {
        expect(decodeErrors(codec, { [key]: [] })).to.deep.equal(['pagination: expected Pagination, got undefined']);
      });
    });
  }
});

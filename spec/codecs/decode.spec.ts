import { expect } from 'chai';
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { decodeBody, parseJsonBody } from '../../lib/codecs/decode.js';
import { MemberResponseBody, MemberStatusResponseBody, UserResponseBody, UsersResponseBody } from '../../lib/codecs/envelopes.js';

const ref = { method: 'GET', path: '/users/USR-1' };
const pagination = { current_page: 1, per_page: 25, total_entries: 4, total_pages: 1 };

const left = <A>(r: E.Either<import('../../lib/core/errors.js').DecodeError, A>) => {
  if (E.isRight(r)) return expect.fail(`expected a Left, got ${JSON.stringify(r.right)}`);
  return r.left;
};

describe('codecs/decode', () => {
  describe('decodeBody', () => {
    it('returns the decoded value (unknown fields kept) on a match', () => {
      const body = { user: { guid: 'USR-1', is_new: true } };
      expect(decodeBody(UserResponseBody, body, ref)).to.deep.equal(E.right(body));
    });

    it('gives a DecodeError carrying the request, a message with the codec name and problem count, and paths', () => {
      const e = left(decodeBody(UsersResponseBody, { users: [{ guid: 'a' }, { guid: 'b' }, { guid: 'c' }, {}], pagination: { ...pagination, per_page: '25' } }, ref));
      expect(e).to.deep.equal({
        _tag: 'DecodeError',
        method: 'GET',
        path: '/users/USR-1',
        message: 'GET /users/USR-1 → response did not match UsersResponseBody (2 problems)',
        errors: ['users[3].guid: expected string, got undefined', 'pagination.per_page: expected number, got "25"'],
      });
    });

    it('says "1 problem" and names a bad connection_status', () => {
      const e = left(decodeBody(MemberResponseBody, { member: { guid: 'MBR-1', connection_status: 42 } }, { method: 'POST', path: '/x' }));
      expect(e.message).to.equal('POST /x → response did not match MemberResponseBody (1 problem)');
      expect(e.errors).to.deep.equal(['member.connection_status: expected ConnectionStatus | null, got 42']);
    });

    it('keeps at most 20 lines and says how many more there were', () => {
      const users = Array.from({ length: 50 }, (_, i) => ({ guid: i }));
      const e = left(decodeBody(UsersResponseBody, { users, pagination }, ref));
      expect(e.errors).to.have.length(20);
      expect(e.errors[0]).to.equal('users[0].guid: expected string, got 0');
      expect(e.errors[19]).to.equal('… and 31 more problems');
      expect(e.message).to.match(/\(50 problems\)$/);
    });

    it('renders values short (at most 60 characters)', () => {
      const e = left(decodeBody(UserResponseBody, { user: { guid: 'x'.repeat(500), email: { long: 'y'.repeat(500) } } }, ref));
      expect(e.errors).to.have.length(1);
      const got = e.errors[0]?.split(', got ')[1] ?? '';
      expect(got.length).to.be.at.most(60);
      expect(e.errors[0]).to.match(/^user\.email: expected string \| null, got \{"long":"yyy/);
    });

    it('survives cyclic values', () => {
      const cyclic: Record<string, unknown> = { guid: 5 };
      cyclic.self = cyclic;
      const e = left(decodeBody(UserResponseBody, { user: cyclic }, ref));
      expect(e.errors).to.deep.equal(['user.guid: expected string, got 5']);
      const root: unknown[] = [];
      root.push(root);
      expect(left(decodeBody(UserResponseBody, root, ref)).errors).to.deep.equal(['(root): expected UserResponseBody, got [[circular]]']);
    });

    it('survives values whose getters throw, and a decoder that throws', () => {
      const hostile = { get user(): unknown { throw new Error('boom'); } };
      expect(E.isLeft(decodeBody(UserResponseBody, hostile, ref))).to.equal(true);
      const throwing = new t.Type<string, string, unknown>('Throwing', (u): u is string => false, () => { throw new Error('bad codec'); }, String);
      const e = left(decodeBody(throwing, 1, ref));
      expect(e.message).to.equal('GET /users/USR-1 → response could not be decoded as Throwing');
      expect(e.errors).to.deep.equal(['(root): decoder failed: bad codec']);
    });

    it('never throws and always returns an Either, on any value (fast-check)', () => {
      const codecs = [UserResponseBody, UsersResponseBody, MemberResponseBody, MemberStatusResponseBody];
      fc.assert(
        fc.property(fc.anything({ maxDepth: 6, withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: true, withNullPrototype: true, withBoxedValues: true }), fc.constantFrom(...codecs), (value, codec) => {
          const r = decodeBody(codec as t.Decoder<unknown, unknown>, value, ref);
          expect(E.isLeft(r) || E.isRight(r)).to.equal(true);
          if (E.isLeft(r)) {
            expect(r.left._tag).to.equal('DecodeError');
            expect(r.left.errors.length).to.be.within(1, 20);
            for (const line of r.left.errors) expect(line).to.be.a('string');
          }
        }),
        { numRuns: 300 },
      );
    });

    it('never throws on shape-like values built from the codecs\' own keys (fast-check)', () => {
      const leaf = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.constant(undefined), fc.object());
      const member = fc.record({ guid: leaf, connection_status: leaf, challenges: fc.oneof(leaf, fc.array(fc.record({ guid: leaf, type: leaf, options: fc.oneof(leaf, fc.array(fc.record({ value: leaf }))) }))) }, { requiredKeys: [] });
      fc.assert(fc.property(fc.record({ member }, { requiredKeys: [] }), (body) => {
        const r = decodeBody(MemberStatusResponseBody, body, ref);
        if (E.isLeft(r)) for (const line of r.left.errors) expect(line).to.match(/^(\(root\)|member|… and \d+ more problems$)/);
      }), { numRuns: 300 });
    });
  });

  describe('parseJsonBody', () => {
    it('parses valid JSON', () => {
      expect(parseJsonBody('{"user":{"guid":"USR-1"}}', ref)).to.deep.equal(E.right({ user: { guid: 'USR-1' } }));
      expect(parseJsonBody('null', ref)).to.deep.equal(E.right(null));
    });

    for (const text of ['', '<html>', '{"user":', '{user: 1}', 'undefined', '\u0000']) {
      it(`gives a DecodeError for ${JSON.stringify(text)}`, () => {
        const e = left(parseJsonBody(text, { method: 'GET', path: '/users' }));
        expect(e._tag).to.equal('DecodeError');
        expect(e.method).to.equal('GET');
        expect(e.path).to.equal('/users');
        expect(e.message).to.match(/^GET \/users: response is not valid JSON \(.+\)$/);
        expect(e.errors).to.have.length(1);
      });
    }

    it('never throws on any string (fast-check)', () => {
      fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => {
        const r = parseJsonBody(s, ref);
        expect(E.isLeft(r) || E.isRight(r)).to.equal(true);
      }));
    });
  });
});

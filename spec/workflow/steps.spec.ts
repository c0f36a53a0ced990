import { expect } from 'chai';
import * as E from 'fp-ts/lib/Either.js';
import { Subject, map } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { ChallengeAnswer, Credential } from '../../lib/codecs/index.js';
import type { MxError } from '../../lib/core/errors.js';
import type { StatementEvent } from '../../lib/workflow/events.js';
import { fetchStatements$ } from '../../lib/workflow/fetch-statements.js';
import { matchCredentials } from '../../lib/workflow/credentials.js';
import { pickInstitution } from '../../lib/workflow/institution.js';
import type { FetchStatementsInput } from '../../lib/workflow/input.js';
import { fakeClient, httpError, L, R, sequence } from '../helpers/fake-client.js';
import {
  ANSWER, DONE, FIELDS, MEMBER, MXBANK, PASSWORD, POLICY, REF, STATEMENT, TEXT_CHALLENGE, USER, WORKING, status,
} from './fixtures.js';

const base = (ts: TestScheduler) => ({ polling: POLICY, scheduler: ts, random: () => 1 });

describe('workflow steps', () => {
  let ts: TestScheduler;
  beforeEach(() => {
    ts = new TestScheduler((a, b) => { expect(a).to.deep.equal(b); });
  });

  describe('institution', () => {
    it('takes the only result, or the only exact name match (case and spaces ignored)', () => {
      expect(pickInstitution('mx  bank', [MXBANK, { code: 'mxbank_oauth', name: 'MX Bank (OAuth)' }])).to.deep.equal(E.right(MXBANK));
      expect(pickInstitution('MX', [MXBANK])).to.deep.equal(E.right(MXBANK));
    });

    it('several without an exact match → NoInstitution listing the candidates; none → NoInstitution', () => {
      const r = pickInstitution('Bank', [MXBANK, { code: 'b2', name: 'Other Bank' }]);
      expect(E.isLeft(r) && r.left.candidates).to.deep.equal([{ code: 'mxbank', name: 'MX Bank' }, { code: 'b2', name: 'Other Bank' }]);
      expect(E.isLeft(r) && r.left.message).to.match(/matches 2 institutions: MX Bank \(mxbank\), Other Bank \(b2\); give institution.code/);
      const none = pickInstitution('Nope', []);
      expect(E.isLeft(none) && none.left._tag).to.equal('NoInstitution');
    });

    it('a code that does not exist, or an institution without statements, is NoInstitution', () => {
      ts.run(({ cold, expectObservable }) => {
        const { client } = fakeClient({
          users: { create$: () => cold('(u|)', { u: R(USER) }) },
          institutions: { read$: sequence(cold('-(e|)', { e: L(httpError('NotFound', 404, '/institutions/zz')) }), cold('-(i|)', { i: R({ code: 'nostmt', name: 'No Statements', supports_account_statement: false }) })) },
        }, { scheduler: ts });
        const input = (code: string) => ({ ...base(ts), user: { id: 'u' }, institution: { code }, credentials: {} }) as FetchStatementsInput;
        const tags = (code: string) => fetchStatements$(client, input(code)).pipe(map((r) => (E.isLeft(r) ? `${r.left._tag}:${r.left.message}` : r.right.type)));
        expectObservable(tags('zz')).toBe('a(b|)', { a: 'user-ready', b: 'NoInstitution:no institution has the code "zz"' });
        expectObservable(tags('nostmt')).toBe('a(b|)', { a: 'user-ready', b: 'NoInstitution:No Statements (nostmt) does not support statements' });
      });
    });
  });

  describe('credentials', () => {
    it('matches values by field_name and names missing fields (never values)', () => {
      expect(matchCredentials('mxbank', FIELDS, { LOGIN: 'mxuser', PASSWORD })).to.deep.equal(
        E.right([{ guid: 'CRD-PWD', value: PASSWORD }, { guid: 'CRD-LOGIN', value: 'mxuser' }]),
      );
      const r = matchCredentials('mxbank', FIELDS, { LOGN: 'mxuser', PASSWORD: '' });
      expect(E.isLeft(r) && r.left).to.deep.include({ _tag: 'MissingCredentials', missingFields: ['PASSWORD', 'LOGIN'], unknownFields: ['LOGN'] });
      expect(JSON.stringify(r)).not.to.include('mxuser');
    });

    it('a function receives the fields (after credentials-required) and may answer later', () => {
      ts.run(({ cold, expectObservable }) => {
        let seen: ReadonlyArray<Credential> = [];
        const { client } = fakeClient({
          users: { create$: () => cold('(u|)', { u: R(USER) }) },
          institutions: { read$: () => cold('(i|)', { i: R(MXBANK) }), credentials$: () => cold('(c|)', { c: R(FIELDS) }) },
          members: { create$: () => cold('(c|)', { c: L(httpError('BadRequest', 400)) }) },
        }, { scheduler: ts });
        const out = fetchStatements$(client, {
          ...base(ts), user: { id: 'u' }, institution: { code: 'mxbank' },
          credentials: (fields) => {
            seen = fields;
            return cold('5ms (v|)', { v: { LOGIN: 'mxuser', PASSWORD } });
          },
        }).pipe(map((r) => (E.isLeft(r) ? r.left._tag : r.right.type)));
        expectObservable(out).toBe('(abc) (d|)', { a: 'user-ready', b: 'institution-found', c: 'credentials-required', d: 'BadRequest' });
        ts.flush();
        expect(seen.map((f) => f.field_name)).to.deep.equal(['LOGIN', 'PASSWORD']);
      });
    });
  });

  describe('cancellation', () => {
    it('unsubscribing mid-poll cancels the status call in flight, every timer and the mfa subscription', () => {
      ts.run(({ cold, hot, expectObservable, expectSubscriptions }) => {
        const polls = [cold('-(a|)', { a: R(WORKING) }), cold('5ms (a|)', { a: R(DONE) })];
        const mfa = hot<ChallengeAnswer[]>('-');
        const { client, calls } = fakeClient({
          members: { status$: sequence(...polls) },
          statements: { fetch$: () => cold('-(m|)', { m: R(MEMBER) }) },
        }, { scheduler: ts });
        const out = fetchStatements$(client, { ...base(ts), member: REF, mfa }).pipe(map((r) => (E.isRight(r) ? r.right.type : r.left._tag)));
        // job 1; poll 11→12; next poll at 22 (answer due 27): unsubscribe at 24
        expectObservable(out, '^ 23ms !').toBe('-a 10ms b', { a: 'statements-job-started', b: 'status' });
        expectSubscriptions(polls[1]!.subscriptions).toBe('22ms ^ 1ms !');
        expectSubscriptions(mfa.subscriptions).toBe('^ 23ms !');
        ts.flush();
        expect(calls.filter((c) => c.name === 'members.status$')).to.have.length(2);
      });
    });
  });

  describe('events', () => {
    it('are JSON-serialisable and never contain a credential value or an MFA answer', () => {
      ts.run(({ cold }) => {
        const mfa = new Subject<ChallengeAnswer[]>();
        const { client } = fakeClient({
          users: { create$: () => cold('-(u|)', { u: R(USER) }) },
          institutions: { all$: () => cold('-(i|)', { i: R(MXBANK) }), credentials$: () => cold('-(c|)', { c: R(FIELDS) }) },
          members: {
            create$: () => cold('-(m|)', { m: R(MEMBER) }),
            status$: sequence(cold('-(a|)', { a: R(status('CHALLENGED', true, [TEXT_CHALLENGE])) }), cold('-(a|)', { a: R(DONE) })),
            resume$: () => cold('-(m|)', { m: R(MEMBER) }),
          },
          statements: { fetch$: () => cold('-(m|)', { m: R(MEMBER) }), all$: () => cold('-(s|)', { s: R(STATEMENT) }) },
        }, { scheduler: ts });
        const seen: Array<E.Either<MxError, StatementEvent>> = [];
        fetchStatements$(client, {
          ...base(ts), user: { id: 'customer-42' }, institution: { name: 'MX Bank' }, credentials: { LOGIN: 'mxuser', PASSWORD }, mfa,
        }).subscribe((r) => {
          seen.push(r);
          if (E.isRight(r) && r.right.type === 'challenged') mfa.next([{ guid: 'CRD-Q1', value: ANSWER }]);
        });
        ts.flush();
        const types = seen.map((r) => (E.isRight(r) ? r.right.type : r.left._tag));
        expect(types).to.include.members(['credentials-required', 'challenged', 'challenge-answered', 'done']);
        for (const r of seen) {
          const text = JSON.stringify(r);
          expect(JSON.parse(text)).to.deep.equal(r);
          expect(text).not.to.include(PASSWORD);
          expect(text).not.to.include(ANSWER);
          expect(text).not.to.include('mxuser');
        }
      });
    });
  });
});

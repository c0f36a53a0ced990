import { expect } from 'chai';
import * as E from 'fp-ts/lib/Either.js';
import { Subject, map } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { ChallengeAnswer } from '../../lib/codecs/index.js';
import type { MxError } from '../../lib/core/errors.js';
import type { StatementEvent } from '../../lib/workflow/events.js';
import { MX_API_VERSIONS } from '../../lib/core/config.js';
import { fetchStatements$ } from '../../lib/workflow/fetch-statements.js';
import type { FetchStatementsInput, NewMemberInput } from '../../lib/workflow/input.js';
import { fakeClient, httpError, L, R, sequence, type FakeApi } from '../helpers/fake-client.js';
import {
  ACCEPTED, ACCEPTED_RUNNING, ANSWER, DONE, FIELDS, MEMBER, MXBANK, MXBANK_2025, PASSWORD, POLICY, REF, STATEMENT, STATEMENT_2,
  TEXT_CHALLENGE, TEXT_CHALLENGE_2, USER, WORKING, status,
} from './fixtures.js';

type Ev = E.Either<MxError, StatementEvent>;
const ev = (e: StatementEvent): Ev => E.right(e);

const newInput = (ts: TestScheduler, extra: Partial<FetchStatementsInput> = {}): FetchStatementsInput => ({
  user: { id: 'customer-42' },
  institution: { name: 'MX Bank' },
  credentials: { LOGIN: 'mxuser', PASSWORD },
  polling: POLICY,
  scheduler: ts,
  random: () => 1,
  ...extra,
} as FetchStatementsInput);

const existingInput = (ts: TestScheduler, extra: Partial<FetchStatementsInput> = {}): FetchStatementsInput => ({
  member: REF,
  polling: POLICY,
  scheduler: ts,
  random: () => 1,
  ...extra,
} as FetchStatementsInput);

const started = (joined = false, waitedForOtherJobs = 0): StatementEvent =>
  ({ type: 'statements-job-started', userGuid: 'USR-1', memberGuid: 'MBR-1', joined, waitedForOtherJobs });
const polled = (connectionStatus: string, isBeingAggregated: boolean, attempt: number, nextDelayMs: number | null): StatementEvent =>
  ({ type: 'status', memberGuid: 'MBR-1', connectionStatus, isBeingAggregated, attempt, nextDelayMs });
const listed = (statement = STATEMENT): StatementEvent => ({ type: 'statement-listed', memberGuid: 'MBR-1', statement });
const done = (statements: number, polls: number, mfaRounds = 0): StatementEvent => ({
  type: 'done',
  summary: { userGuid: 'USR-1', memberGuid: 'MBR-1', statements, downloaded: 0, skipped: 0, bytes: 0, polls, mfaRounds, downloadEnabled: false },
});

describe('workflow/fetchStatements$ (marbles, fake client)', () => {
  let ts: TestScheduler;
  beforeEach(() => {
    ts = new TestScheduler((a, b) => { expect(JSON.parse(JSON.stringify(a))).to.deep.equal(JSON.parse(JSON.stringify(b))); });
  });

  for (const version of MX_API_VERSIONS) {
    it(`${version}: runs every step in order: user → institution → credentials → member → job → polls → list → done`, () => {
      ts.run(({ cold, expectObservable }) => {
        const { client, calls } = fakeClient({
          users: { create$: () => cold('-(u|)', { u: R(USER) }) },
          institutions: {
            all$: () => cold('-(i|)', { i: R(version === 'v20250224' ? MXBANK_2025 : MXBANK) }),
            credentials$: () => cold('-(c|)', { c: R(FIELDS) }),
          },
          members: {
            create$: () => cold('-(m|)', { m: R(MEMBER) }),
            status$: sequence(cold('-(a|)', { a: R(WORKING) }), cold('-(a|)', { a: R(DONE) })),
          },
          statements: {
            fetch$: () => cold('-(m|)', { m: R(MEMBER) }),
            all$: () => cold('----(st|)', { s: R(STATEMENT), t: R(STATEMENT_2) }),
          },
        }, { scheduler: ts, apiVersion: version });
        // user 1, institution 2, credentials 3, member 4, job 5 (no status read before it); polls at 15 (→16) and
        // 26 (→27); list answers at 31
        expectObservable(fetchStatements$(client, newInput(ts))).toBe('-abcde 10ms f 10ms (gh) (ijk|)', {
          a: ev({ type: 'user-ready', userGuid: 'USR-1', userId: 'customer-42', created: true }),
          b: ev({ type: 'institution-found', code: 'mxbank', name: 'MX Bank' }),
          c: ev({
            type: 'credentials-required',
            institutionCode: 'mxbank',
            fields: [
              { guid: 'CRD-LOGIN', fieldName: 'LOGIN', label: 'Username', type: 'TEXT', displayOrder: 1 },
              { guid: 'CRD-PWD', fieldName: 'PASSWORD', label: 'Password', type: 'PASSWORD', displayOrder: 2 },
            ],
          }),
          d: ev({ type: 'member-ready', userGuid: 'USR-1', memberGuid: 'MBR-1', institutionCode: 'mxbank', reused: false }),
          e: ev(started()),
          f: ev(polled('CONNECTED', true, 1, 10)),
          g: ev(polled('CONNECTED', false, 2, null)),
          h: ev({ type: 'connected', memberGuid: 'MBR-1', polls: 2, mfaRounds: 0 }),
          i: ev(listed()),
          j: ev(listed(STATEMENT_2)),
          k: ev(done(2, 2)),
        });
        ts.flush();
        const create = calls.find((c) => c.name === 'members.create$');
        const credentials = [{ guid: 'CRD-LOGIN', value: 'mxuser' }, { guid: 'CRD-PWD', value: PASSWORD }];
        if (version === 'v20111101') {
          // the statements job is started next: no other job may get in its way
          expect(create?.args.slice(1)).to.deep.equal([{ institution_code: 'mxbank', credentials, skip_aggregation: true }, {}]);
        } else {
          // no skip_aggregation in v20250224: the products to aggregate instead
          expect(create?.args.slice(1)).to.deep.equal([
            { institution_code: 'mxbank', credentials }, { extras: { data_request: { products: ['statements'] } } },
          ]);
        }
        expect(calls.find((c) => c.name === 'institutions.all$')?.args[0]).to.deep.equal({ name: 'MX Bank', supportedProducts: ['statements'] });
        expect(calls.filter((c) => c.name === 'statements.fetch$')).to.have.length(1);
      });
    });
  }

  describe('MFA', () => {
    const mfaApi = (ts: TestScheduler, cold: TestScheduler['createColdObservable'], extra: FakeApi['members'] = {}): FakeApi => ({
      members: {
        status$: sequence(
          cold('-(a|)', { a: R(status('CHALLENGED', true, [TEXT_CHALLENGE])) }),
          cold('-(a|)', { a: R(status('CHALLENGED', true, [TEXT_CHALLENGE_2])) }),
          cold('-(a|)', { a: R(DONE) }),
        ),
        resume$: () => cold('-(m|)', { m: R(MEMBER) }),
        ...extra,
      },
      statements: {
        fetch$: () => cold('-(m|)', { m: R(ACCEPTED) }),
        all$: () => cold('----(s|)', { s: R(STATEMENT) }),
      },
    });

    it('answers several rounds from the caller’s subject, then connects; the subject is released at the end', () => {
      ts.run(({ cold, hot, expectObservable, expectSubscriptions }) => {
        const mfa = hot<ChallengeAnswer[]>('20ms a 19ms b', {
          a: [{ guid: 'CRD-Q1', value: 'challenge' }],
          b: [{ guid: 'CRD-Q2', value: ANSWER }],
        });
        const { client, calls } = fakeClient(mfaApi(ts, cold), { scheduler: ts });
        // job 1; poll 11→12 CHALLENGED; answers at 20, resume →21; poll 31→32 CHALLENGED again;
        // answers at 40, resume →41; poll 51→52 done; list →56
        expectObservable(fetchStatements$(client, existingInput(ts, { mfa }))).toBe('-a 10ms (bc) 4ms d 11ms (ef) 4ms g 11ms (hi) (jk|)', {
          a: ev(started()),
          b: ev(polled('CHALLENGED', true, 1, null)),
          c: ev({ type: 'challenged', memberGuid: 'MBR-1', round: 1, challenges: [TEXT_CHALLENGE] }),
          d: ev({ type: 'challenge-answered', memberGuid: 'MBR-1', round: 1, challengeGuids: ['CRD-Q1'] }),
          e: ev(polled('CHALLENGED', true, 2, null)),
          f: ev({ type: 'challenged', memberGuid: 'MBR-1', round: 2, challenges: [TEXT_CHALLENGE_2] }),
          g: ev({ type: 'challenge-answered', memberGuid: 'MBR-1', round: 2, challengeGuids: ['CRD-Q2'] }),
          h: ev(polled('CONNECTED', false, 3, null)),
          i: ev({ type: 'connected', memberGuid: 'MBR-1', polls: 3, mfaRounds: 2 }),
          j: ev(listed()),
          k: ev(done(1, 3, 2)),
        });
        expectSubscriptions(mfa.subscriptions).toBe('^ 55ms !');
        ts.flush();
        expect(calls.filter((c) => c.name === 'members.resume$').map((c) => c.args[1])).to.deep.equal([
          [{ guid: 'CRD-Q1', value: 'challenge' }],
          [{ guid: 'CRD-Q2', value: ANSWER }],
        ]);
      });
    });

    it('a 405 to the resume (the member is no longer CHALLENGED: a retried resume MX had taken) keeps polling', () => {
      ts.run(({ cold, hot, expectObservable }) => {
        const mfa = hot<ChallengeAnswer[]>('20ms a', { a: [{ guid: 'CRD-Q1', value: ANSWER }] });
        const notChallenged = L({ ...httpError('BadRequest', 405, '/users/USR-1/members/MBR-1/resume', 'PUT'), _tag: 'MethodNotAllowed' } as MxError);
        const api = mfaApi(ts, cold, {
          status$: sequence(cold('-(a|)', { a: R(status('CHALLENGED', true, [TEXT_CHALLENGE])) }), cold('-(a|)', { a: R(DONE) })),
          resume$: () => cold('-(m|)', { m: notChallenged }),
        });
        const { client } = fakeClient(api, { scheduler: ts });
        // as in the several-rounds spec up to the answer at 20, resume (405) →21; poll 31→32 done; list →36
        expectObservable(fetchStatements$(client, existingInput(ts, { mfa }))).toBe('-a 10ms (bc) 4ms d 11ms (ef) (gh|)', {
          a: ev(started()),
          b: ev(polled('CHALLENGED', true, 1, null)),
          c: ev({ type: 'challenged', memberGuid: 'MBR-1', round: 1, challenges: [TEXT_CHALLENGE] }),
          d: ev({ type: 'challenge-answered', memberGuid: 'MBR-1', round: 1, challengeGuids: ['CRD-Q1'] }),
          e: ev(polled('CONNECTED', false, 2, null)),
          f: ev({ type: 'connected', memberGuid: 'MBR-1', polls: 2, mfaRounds: 1 }),
          g: ev(listed()),
          h: ev(done(1, 2, 1)),
        });
      });
    });

    it('ends with MfaTimeout when no answer comes within mfaTimeoutMs, releasing the subject', () => {
      ts.run(({ cold, hot, expectObservable, expectSubscriptions }) => {
        const mfa = hot<ChallengeAnswer[]>('-');
        const { client } = fakeClient(mfaApi(ts, cold), { scheduler: ts });
        expectObservable(fetchStatements$(client, existingInput(ts, { mfa, mfaTimeoutMs: 8 }))).toBe('-a 10ms (bc) 4ms (d|)', {
          a: ev(started()),
          b: ev(polled('CHALLENGED', true, 1, null)),
          c: ev({ type: 'challenged', memberGuid: 'MBR-1', round: 1, challenges: [TEXT_CHALLENGE] }),
          d: L({
            _tag: 'MfaTimeout', method: 'PUT', path: '/users/USR-1/members/MBR-1/resume', memberGuid: 'MBR-1', timeoutMs: 8,
            message: 'no MFA answers for member MBR-1 within 8 ms (round 1)',
          }),
        });
        expectSubscriptions(mfa.subscriptions).toBe('^ 19ms !');
      });
    });

    it('keeps polling while waiting: a member that turns EXPIRED ends the wait with ConnectionFailed', () => {
      ts.run(({ cold, hot, expectObservable }) => {
        const mfa = hot<ChallengeAnswer[]>('-');
        const { client } = fakeClient(mfaApi(ts, cold, {
          status$: sequence(
            cold('-(a|)', { a: R(status('CHALLENGED', true, [TEXT_CHALLENGE])) }),
            cold('-(a|)', { a: R(status('EXPIRED', false)) }),
          ),
          read$: () => cold('-(m|)', { m: R({ ...MEMBER, connection_status: 'EXPIRED', connection_status_message: 'The MFA challenge expired' }) }),
        }), { scheduler: ts });
        // challenged at 12; watch poll at 22 → 23 EXPIRED; member read → 24
        expectObservable(fetchStatements$(client, existingInput(ts, { mfa }))).toBe('-a 10ms (bc) 7ms d (e|)', {
          a: ev(started()),
          b: ev(polled('CHALLENGED', true, 1, null)),
          c: ev({ type: 'challenged', memberGuid: 'MBR-1', round: 1, challenges: [TEXT_CHALLENGE] }),
          d: ev(polled('EXPIRED', false, 2, null)),
          e: L({
            _tag: 'ConnectionFailed', method: 'GET', path: '/users/USR-1/members/MBR-1/status', memberGuid: 'MBR-1',
            connectionStatus: 'EXPIRED', mxMessage: 'The MFA challenge expired',
            message: 'member MBR-1 ended EXPIRED: The MFA challenge expired',
          }),
        });
      });
    });

    it('fails at once with MfaRequired when challenged and no mfa subject was given', () => {
      ts.run(({ cold, expectObservable }) => {
        const { client, calls } = fakeClient(mfaApi(ts, cold), { scheduler: ts });
        expectObservable(fetchStatements$(client, existingInput(ts))).toBe('-a 10ms (bc|)', {
          a: ev(started()),
          b: ev(polled('CHALLENGED', true, 1, null)),
          c: L({
            _tag: 'MfaRequired', method: 'PUT', path: '/users/USR-1/members/MBR-1/resume', memberGuid: 'MBR-1', challengeTypes: ['TEXT'],
            message: 'member MBR-1 is CHALLENGED (TEXT) and needs its user: no mfa subject was given',
          }),
        });
        ts.flush();
        expect(calls.some((c) => c.name === 'members.resume$')).to.equal(false);
      });
    });

    it('answers that match no open challenge are an MfaAnswerMismatch (no resume is sent)', () => {
      ts.run(({ cold, hot, expectObservable }) => {
        const mfa = hot<ChallengeAnswer[]>('20ms a', { a: [{ guid: 'CRD-NOPE', value: ANSWER }] });
        const { client, calls } = fakeClient(mfaApi(ts, cold), { scheduler: ts });
        expectObservable(fetchStatements$(client, existingInput(ts, { mfa }))).toBe('-a 10ms (bc) 4ms (d|)', {
          a: ev(started()),
          b: ev(polled('CHALLENGED', true, 1, null)),
          c: ev({ type: 'challenged', memberGuid: 'MBR-1', round: 1, challenges: [TEXT_CHALLENGE] }),
          d: L({
            _tag: 'MfaAnswerMismatch', method: 'PUT', path: '/users/USR-1/members/MBR-1/resume', memberGuid: 'MBR-1',
            unknownGuids: ['CRD-NOPE'], missingGuids: ['CRD-Q1'],
            message: 'the answers do not match the open challenges of member MBR-1; no open challenge has guid CRD-NOPE; unanswered: CRD-Q1',
          }),
        });
        ts.flush();
        expect(calls.some((c) => c.name === 'members.resume$')).to.equal(false);
      });
    });

    it('keeps answers pushed before the challenge, and takes answers pushed synchronously from the handler', () => {
      ts.run(({ cold }) => {
        const early = new Subject<ChallengeAnswer[]>();
        const { client } = fakeClient(mfaApi(ts, cold), { scheduler: ts });
        const types: string[] = [];
        fetchStatements$(client, existingInput(ts, { mfa: early })).subscribe((r) => {
          if (E.isLeft(r)) {
            types.push(r.left._tag);
            return;
          }
          types.push(r.right.type);
          // round 2 is answered synchronously, from inside the `challenged` handler
          if (r.right.type === 'challenged' && r.right.round === 2) early.next([{ guid: 'CRD-Q2', value: ANSWER }]);
        });
        early.next([{ guid: 'CRD-Q1', value: 'challenge' }]); // round 1: before anything was challenged
        ts.flush();
        expect(types).to.deep.equal([
          'statements-job-started', 'status', 'challenged', 'challenge-answered', 'status', 'challenged', 'challenge-answered',
          'status', 'connected', 'statement-listed', 'done',
        ]);
        expect(early.observed).to.equal(false);
      });
    });
  });

  it('a terminal status ends the run with ConnectionFailed carrying MX’s message', () => {
    ts.run(({ cold, expectObservable }) => {
      const { client } = fakeClient({
        members: {
          status$: sequence(cold('-(a|)', { a: R(status('LOCKED', false)) })),
          read$: () => cold('-(m|)', { m: R({ ...MEMBER, connection_status: 'LOCKED', connection_status_message: 'Account locked' }) }),
        },
        statements: { fetch$: () => cold('-(m|)', { m: R(ACCEPTED) }) },
      }, { scheduler: ts });
      // job 1; poll 11 → 12 LOCKED (the status moved since the 202: this job's outcome); member read → 13
      expectObservable(fetchStatements$(client, existingInput(ts))).toBe('-a 10ms b (c|)', {
        a: ev(started()),
        b: ev(polled('LOCKED', false, 1, null)),
        c: L({
          _tag: 'ConnectionFailed', method: 'GET', path: '/users/USR-1/members/MBR-1/status', memberGuid: 'MBR-1',
          connectionStatus: 'LOCKED', mxMessage: 'Account locked', message: 'member MBR-1 ended LOCKED: Account locked',
        }),
      });
    });
  });

  describe('POST fetch_statements: 202 and 409, with no status read before it', () => {
    it('409 (another job runs): waits for it to end, then starts', () => {
      ts.run(({ cold, expectObservable }) => {
        const conflict = httpError('Conflict', 409, '/users/USR-1/members/MBR-1/fetch_statements', 'POST');
        const { client, calls } = fakeClient({
          members: {
            status$: sequence(
              cold('-(a|)', { a: R(WORKING) }), // waiting: the other job runs
              cold('-(a|)', { a: R(status('CONNECTED', false)) }), // the other job ended
              cold('-(a|)', { a: R(DONE) }),
            ),
          },
          statements: {
            fetch$: sequence(cold('-(c|)', { c: L(conflict) }), cold('-(m|)', { m: R(ACCEPTED) })),
            all$: () => cold('----(s|)', { s: R(STATEMENT) }),
          },
        }, { scheduler: ts });
        // POST → 409 at 1; wait polls 11→12, 22→23; POST → 24; poll 34→35 done; list → 39
        expectObservable(fetchStatements$(client, existingInput(ts))).toBe('12ms a 10ms bc 10ms (de) (fg|)', {
          a: ev(polled('CONNECTED', true, 1, 10)),
          b: ev(polled('CONNECTED', false, 2, null)),
          c: ev(started(false, 1)),
          d: ev(polled('CONNECTED', false, 3, null)),
          e: ev({ type: 'connected', memberGuid: 'MBR-1', polls: 3, mfaRounds: 0 }),
          f: ev(listed()),
          g: ev(done(1, 3)),
        });
        ts.flush();
        expect(calls.filter((c) => c.name === 'statements.fetch$')).to.have.length(2);
      });
    });

    it('409 whose job is not seen running (about to start, or already over): waits out the grace, then starts', () => {
      ts.run(({ cold, expectObservable }) => {
        const conflict = httpError('Conflict', 409, '/users/USR-1/members/MBR-1/fetch_statements', 'POST');
        const idle = () => cold('-(a|)', { a: R(status('CONNECTED', false)) });
        const { client } = fakeClient({
          members: { status$: sequence(idle(), idle(), idle(), cold('-(a|)', { a: R(DONE) })) },
          statements: {
            fetch$: sequence(cold('-(c|)', { c: L(conflict) }), cold('-(m|)', { m: R(ACCEPTED) })),
            all$: () => cold('(|)'),
          },
        }, { scheduler: ts });
        // 409 at 1; polls at 11, 22 (within the 30 grace from 1) and 43 (past it) → POST → 45; poll 55 → 56
        const out = fetchStatements$(client, existingInput(ts)).pipe(map((r) => (E.isRight(r) ? r.right.type : r.left._tag)));
        expectObservable(out).toBe('12ms a 10ms b 20ms c d 10ms (efg|)', {
          a: 'status', b: 'status', c: 'status', d: 'statements-job-started', e: 'status', f: 'connected', g: 'done',
        } as Record<string, string>);
      });
    });

    describe('409 while the other job needs its person (review 5)', () => {
      const conflict = httpError('Conflict', 409, '/users/USR-1/members/MBR-1/fetch_statements', 'POST');
      const challenged = () => cold$('-(a|)', { a: R(status('CHALLENGED', true, [TEXT_CHALLENGE])) });
      let cold$: TestScheduler['createColdObservable'];
      const kinds = map((r: Ev) => (E.isRight(r) ? r.right.type : r.left._tag));

      it('without an mfa subject: MfaRequired once the other job is CHALLENGED, not polling to the deadline', () => {
        ts.run(({ cold }) => {
          cold$ = cold;
          const { client, calls } = fakeClient({
            members: { status$: () => challenged() },
            statements: { fetch$: () => cold('-(c|)', { c: L(conflict) }) },
          }, { scheduler: ts });
          const seen: string[] = [];
          fetchStatements$(client, existingInput(ts)).pipe(kinds).subscribe((k) => seen.push(`${k}@${ts.now()}`));
          ts.flush();
          // 409 at 1; the wait's first poll (11 → 12) shows the other job CHALLENGED; its challenges are read again → 23
          expect(seen).to.deep.equal(['status@12', 'status@23', 'MfaRequired@23']);
          expect(calls.filter((c) => c.name === 'statements.fetch$')).to.have.length(1);
        });
      });

      it('with an mfa subject: the challenge is put to the caller, answered, and the statements job starts once the other job ended', () => {
        ts.run(({ cold, hot }) => {
          cold$ = cold;
          const mfa = hot<ChallengeAnswer[]>('30ms a', { a: [{ guid: 'CRD-Q1', value: ANSWER }] });
          const { client, calls } = fakeClient({
            members: {
              status$: sequence(challenged(), challenged(), cold('-(a|)', { a: R(status('CONNECTED', false)) }), cold('-(a|)', { a: R(DONE) })),
              resume$: () => cold('-(m|)', { m: R(MEMBER) }),
            },
            statements: { fetch$: sequence(cold('-(c|)', { c: L(conflict) }), cold('-(m|)', { m: R(ACCEPTED) })), all$: () => cold('(s|)', { s: R(STATEMENT) }) },
          }, { scheduler: ts });
          const seen: string[] = [];
          fetchStatements$(client, existingInput(ts, { mfa })).pipe(kinds).subscribe((k) => seen.push(k));
          ts.flush();
          expect(seen).to.deep.equal([
            'status', 'status', 'challenged', 'challenge-answered', 'status', 'statements-job-started', 'status', 'connected', 'statement-listed', 'done',
          ]);
          expect(calls.filter((c) => c.name === 'members.resume$')).to.have.length(1);
          expect(calls.filter((c) => c.name === 'statements.fetch$')).to.have.length(2);
        });
      });

      it('a terminal status of the other job ends the run with ConnectionFailed', () => {
        ts.run(({ cold }) => {
          cold$ = cold;
          const { client } = fakeClient({
            members: {
              status$: sequence(cold('-(a|)', { a: R(WORKING) }), cold('-(a|)', { a: R(status('LOCKED', false)) }), cold('-(a|)', { a: R(status('LOCKED', false)) })),
              read$: () => cold('-(m|)', { m: R({ ...MEMBER, connection_status: 'LOCKED' }) }),
            },
            statements: { fetch$: () => cold('-(c|)', { c: L(conflict) }) },
          }, { scheduler: ts });
          const seen: string[] = [];
          fetchStatements$(client, existingInput(ts)).pipe(kinds).subscribe((k) => seen.push(k));
          ts.flush();
          expect(seen).to.deep.equal(['status', 'status', 'status', 'ConnectionFailed']);
        });
      });
    });

    it('409 again after jobConflictRetries waits: returns the Conflict', () => {
      ts.run(({ cold, expectObservable }) => {
        const conflict = httpError('Conflict', 409, '/users/USR-1/members/MBR-1/fetch_statements', 'POST');
        const { client } = fakeClient({
          members: {
            status$: sequence(cold('-(a|)', { a: R(WORKING) }), cold('-(a|)', { a: R(status('CONNECTED', false)) })),
          },
          statements: { fetch$: sequence(cold('-(c|)', { c: L(conflict) }), cold('-(c|)', { c: L(conflict) })) },
        }, { scheduler: ts });
        expectObservable(fetchStatements$(client, existingInput(ts, { jobConflictRetries: 1 }))).toBe('12ms a 10ms b (c|)', {
          a: ev(polled('CONNECTED', true, 1, 10)),
          b: ev(polled('CONNECTED', false, 2, null)),
          c: L(conflict),
        });
      });
    });

    it('202 showing the member aggregating: joins that job (joined: true), which has shown itself', () => {
      ts.run(({ cold, expectObservable }) => {
        const { client, calls } = fakeClient({
          members: { status$: sequence(cold('-(a|)', { a: R(status('CONNECTED', false)) })) },
          statements: { fetch$: () => cold('-(m|)', { m: R(ACCEPTED_RUNNING) }), all$: () => cold('----(s|)', { s: R(STATEMENT) }) },
        }, { scheduler: ts });
        expectObservable(fetchStatements$(client, existingInput(ts))).toBe('-a 10ms (bc) (de|)', {
          a: ev(started(true)),
          b: ev(polled('CONNECTED', false, 1, null)),
          c: ev({ type: 'connected', memberGuid: 'MBR-1', polls: 1, mfaRounds: 0 }),
          d: ev(listed()),
          e: ev(done(1, 1)),
        });
        ts.flush();
        // fewest requests: one POST, one status read, one list
        expect(calls.map((c) => c.name)).to.deep.equal(['statements.fetch$', 'members.status$', 'statements.all$']);
      });
    });

    it('a 5xx on POST is retried (a repeated start is joined, never doubled)', () => {
      ts.run(({ cold, expectObservable }) => {
        const e502 = httpError('ServerError', 502, '/users/USR-1/members/MBR-1/fetch_statements', 'POST');
        const { client } = fakeClient({
          members: { status$: sequence(cold('-(a|)', { a: R(DONE) })) },
          statements: {
            fetch$: sequence(cold('-(e|)', { e: L(e502) }), cold('-(m|)', { m: R(ACCEPTED) })),
            all$: () => cold('----(|)'),
          },
        }, { scheduler: ts });
        // POST → 502 at 1; retry after backoffDelay(1, base 5) = 5 → POST at 6 → 7
        expectObservable(fetchStatements$(client, existingInput(ts))).toBe('7ms a 10ms (bc) (d|)', {
          a: ev(started(false)),
          b: ev(polled('CONNECTED', false, 1, null)),
          c: ev({ type: 'connected', memberGuid: 'MBR-1', polls: 1, mfaRounds: 0 }),
          d: ev(done(0, 1)),
        });
      });
    });
  });

  describe('user, institution, credentials, member', () => {
    const tail = (cold: TestScheduler['createColdObservable']): FakeApi['statements'] => ({
      fetch$: () => cold('-(m|)', { m: R(MEMBER) }),
      all$: () => cold('(|)'),
    });

    it('v20111101: reuses the user with the same id on 409 (looked up by id), and the user’s member for the institution on 409', () => {
      ts.run(({ cold, expectObservable }) => {
        const { client, calls } = fakeClient({
          users: {
            create$: () => cold('-(c|)', { c: L(httpError('Conflict', 409, '/users', 'POST')) }),
            all$: () => cold('-(ab|)', { a: R({ guid: 'USR-0', id: 'customer-4' }), b: R(USER) }),
          },
          institutions: { read$: () => cold('-(i|)', { i: R(MXBANK) }), credentials$: () => cold('-(c|)', { c: R(FIELDS) }) },
          members: {
            create$: () => cold('-(c|)', { c: L(httpError('Conflict', 409, '/users/USR-1/members', 'POST')) }),
            all$: () => cold('-(ab|)', { a: R({ ...MEMBER, guid: 'MBR-OTHER', institution_code: 'other' }), b: R(MEMBER) }),
            status$: sequence(cold('-(a|)', { a: R(DONE) })),
          },
          statements: tail(cold),
        }, { scheduler: ts });
        const out = fetchStatements$(client, newInput(ts, { institution: { code: 'mxbank' } } as Partial<FetchStatementsInput>));
        expectObservable(out).toBe('--abc-de 10ms (fgh|)', {
          a: ev({ type: 'user-ready', userGuid: 'USR-1', userId: 'customer-42', created: false }),
          b: ev({ type: 'institution-found', code: 'mxbank', name: 'MX Bank' }),
          c: ev({ type: 'credentials-required', institutionCode: 'mxbank', fields: expectFields }),
          d: ev({ type: 'member-ready', userGuid: 'USR-1', memberGuid: 'MBR-1', institutionCode: 'mxbank', reused: true }),
          e: ev(started(false)),
          f: ev(polled('CONNECTED', false, 1, null)),
          g: ev({ type: 'connected', memberGuid: 'MBR-1', polls: 1, mfaRounds: 0 }),
          h: ev(done(0, 1)),
        });
        ts.flush();
        expect(calls.find((c) => c.name === 'users.all$')?.args[0]).to.deep.equal({ id: 'customer-42' });
      });
    });

    it('v20250224: a user that exists is addressed by your id: no lookup; the member answer names its guid', () => {
      ts.run(({ cold, expectObservable }) => {
        const { client, calls } = fakeClient({
          users: { create$: () => cold('-(c|)', { c: L(httpError('Conflict', 409, '/users', 'POST')) }) },
          institutions: { read$: () => cold('-(i|)', { i: R(MXBANK_2025) }), credentials$: () => cold('-(c|)', { c: R(FIELDS) }) },
          members: { create$: () => cold('-(m|)', { m: R(MEMBER) }), status$: sequence(cold('-(a|)', { a: R(DONE) })) },
          statements: tail(cold),
        }, { scheduler: ts, apiVersion: 'v20250224' });
        const out = fetchStatements$(client, newInput(ts, { institution: { code: 'mxbank' } } as Partial<FetchStatementsInput>));
        expectObservable(out).toBe('-abcde 10ms (fgh|)', {
          a: ev({ type: 'user-ready', userGuid: null, userId: 'customer-42', created: false }),
          b: ev({ type: 'institution-found', code: 'mxbank', name: 'MX Bank' }),
          c: ev({ type: 'credentials-required', institutionCode: 'mxbank', fields: expectFields }),
          d: ev({ type: 'member-ready', userGuid: 'USR-1', memberGuid: 'MBR-1', institutionCode: 'mxbank', reused: false }),
          e: ev(started(false)),
          f: ev(polled('CONNECTED', false, 1, null)),
          g: ev({ type: 'connected', memberGuid: 'MBR-1', polls: 1, mfaRounds: 0 }),
          h: ev(done(0, 1)),
        });
        ts.flush();
        expect(calls.some((c) => c.name.startsWith('users.') && c.name !== 'users.create$')).to.equal(false);
        expect(calls.find((c) => c.name === 'members.create$')?.args[0]).to.deep.equal({ userId: 'customer-42' });
        expect(calls.find((c) => c.name === 'statements.fetch$')?.args[0]).to.deep.equal(REF);
      });
    });

    it('v20250224: a member answer without user_guid (a slimmer response) costs one read of the user', () => {
      ts.run(({ cold }) => {
        const { client, calls } = fakeClient({
          users: { create$: () => cold('(c|)', { c: L(httpError('Conflict', 409, '/users', 'POST')) }), read$: () => cold('(u|)', { u: R(USER) }) },
          institutions: { read$: () => cold('(i|)', { i: R(MXBANK_2025) }), credentials$: () => cold('(c|)', { c: R(FIELDS) }) },
          members: { create$: () => cold('(m|)', { m: R({ guid: 'MBR-1' }) }), status$: sequence(cold('(a|)', { a: R(DONE) })) },
          statements: tail(cold),
        }, { scheduler: ts, apiVersion: 'v20250224' });
        const types: string[] = [];
        fetchStatements$(client, newInput(ts, { institution: { code: 'mxbank' } } as Partial<FetchStatementsInput>)).subscribe((r) => {
          types.push(E.isRight(r) ? r.right.type === 'member-ready' ? `member-ready:${r.right.userGuid}` : r.right.type : r.left._tag);
        });
        ts.flush();
        expect(types).to.include('member-ready:USR-1');
        expect(types.at(-1)).to.equal('done');
        expect(calls.find((c) => c.name === 'users.read$')?.args[0]).to.deep.equal({ userId: 'customer-42' });
      });
    });

    it("onConflict: 'fail' returns the member Conflict", () => {
      ts.run(({ cold, expectObservable }) => {
        const conflict = httpError('Conflict', 409, '/users/USR-1/members', 'POST');
        const { client } = fakeClient({
          users: { create$: () => cold('(u|)', { u: R(USER) }) },
          institutions: { read$: () => cold('(i|)', { i: R(MXBANK) }), credentials$: () => cold('(c|)', { c: R(FIELDS) }) },
          members: { create$: () => cold('-----(c|)', { c: L(conflict) }) },
        }, { scheduler: ts });
        const out = fetchStatements$(client, newInput(ts, { institution: { code: 'mxbank' }, onConflict: 'fail' } as Partial<FetchStatementsInput>));
        expectObservable(out).toBe('(abc) (d|)', {
          a: ev({ type: 'user-ready', userGuid: 'USR-1', userId: 'customer-42', created: true }),
          b: ev({ type: 'institution-found', code: 'mxbank', name: 'MX Bank' }),
          c: ev({ type: 'credentials-required', institutionCode: 'mxbank', fields: expectFields }),
          d: L(conflict),
        });
      });
    });

    it('no credentials for an institution that asks for some: MissingCredentials naming every field', () => {
      ts.run(({ cold, expectObservable }) => {
        const { client, calls } = fakeClient({
          users: { create$: () => cold('(u|)', { u: R(USER) }) },
          institutions: { read$: () => cold('(i|)', { i: R(MXBANK) }), credentials$: () => cold('(c|)', { c: R(FIELDS) }) },
        }, { scheduler: ts });
        const { credentials: _none, ...input } = newInput(ts, { institution: { code: 'mxbank' } } as Partial<FetchStatementsInput>) as NewMemberInput;
        const out = fetchStatements$(client, input).pipe(map((r) => (E.isRight(r) ? r.right.type : `${r.left._tag}:${(r.left as { missingFields?: string[] }).missingFields?.join()}`)));
        expectObservable(out).toBe('(abcd|)', {
          a: 'user-ready', b: 'institution-found', c: 'credentials-required', d: 'MissingCredentials:LOGIN,PASSWORD',
        } as Record<string, string>);
        ts.flush();
        expect(calls.some((c) => c.name === 'members.create$')).to.equal(false);
      });
    });
  });
});

const expectFields = [
  { guid: 'CRD-LOGIN', fieldName: 'LOGIN', label: 'Username', type: 'TEXT', displayOrder: 1 },
  { guid: 'CRD-PWD', fieldName: 'PASSWORD', label: 'Password', type: 'PASSWORD', displayOrder: 2 },
];

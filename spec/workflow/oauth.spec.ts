/**
 * OAuth members (institutions with `supports_oauth`, such as `mx_bank_oauth`), in both API versions: no
 * credentials, a fresh one-time window, PENDING with its own deadline, then the statements job as usual.
 */
import { expect } from 'chai';
import * as E from 'fp-ts/lib/Either.js';
import { TestScheduler } from 'rxjs/testing';
import type { Member, MemberStatus } from '../../lib/codecs/index.js';
import { MX_API_VERSIONS, type MxApiVersion } from '../../lib/core/config.js';
import type { MxError } from '../../lib/core/errors.js';
import type { StatementEvent } from '../../lib/workflow/events.js';
import { isTransientFailure, needsUserAction } from '../../lib/workflow/batch-outcome.js';
import { fetchStatements$ } from '../../lib/workflow/fetch-statements.js';
import type { NewMemberInput, OAuthCompletion } from '../../lib/workflow/input.js';
import { fakeClient, httpError, L, R, sequence, type FakeApi } from '../helpers/fake-client.js';
import { DONE, LATER, MXBANK_OAUTH, POLICY, STATEMENT, USER, WORKING, status } from './fixtures.js';

type Ev = E.Either<MxError, StatementEvent>;
const WINDOW = 'https://int-app.moneydesktop.com/oauth/predirect_to/MBR-O/one-time-token';
const OAUTH_MEMBER: Member = {
  guid: 'MBR-O', user_guid: 'USR-1', institution_code: 'mx_bank_oauth', is_oauth: true, connection_status: 'PENDING',
  is_being_aggregated: false, aggregated_at: null, successfully_aggregated_at: null,
};
const pending = (): MemberStatus => ({ ...status('PENDING', false), guid: 'MBR-O', aggregated_at: null, successfully_aggregated_at: null });
/** After the person authorized: MX's own aggregation ran. */
const authorized: MemberStatus = { ...DONE, guid: 'MBR-O', successfully_aggregated_at: LATER };
/** The statements job that follows, and its end. */
const accepted: Member = { ...OAUTH_MEMBER, connection_status: 'CONNECTED', aggregated_at: LATER, successfully_aggregated_at: LATER };
const statementsDone: MemberStatus = { ...DONE, guid: 'MBR-O', aggregated_at: '2026-12-01T11:05:00Z', successfully_aggregated_at: '2026-12-01T11:05:00Z' };

const types = (evs: Ev[]): string[] => evs.map((e) => (E.isRight(e) ? e.right.type : `Left:${e.left._tag}`));

describe('workflow: OAuth members', () => {
  let ts: TestScheduler;
  beforeEach(() => {
    ts = new TestScheduler((a, b) => { expect(a).to.deep.equal(b); });
  });

  const input = (extra: Partial<NewMemberInput> = {}): NewMemberInput => ({
    user: { id: 'customer-42' },
    institution: { code: 'mx_bank_oauth' },
    polling: { ...POLICY, deadlineMs: 100 },
    oauth: { clientRedirectUrl: 'https://app.example.com/oauth-done', referralSource: 'APP', pendingTimeoutMs: 5000 },
    scheduler: ts,
    random: () => 1,
    ...extra,
  });

  const api = (_version: MxApiVersion, statuses: MemberStatus[], over: Partial<Record<keyof FakeApi, object>> = {}): FakeApi => {
    const cold = ts.createColdObservable.bind(ts);
    return {
      users: { create$: () => cold('-(u|)', { u: R(USER) }) },
      institutions: { read$: () => cold('-(i|)', { i: R(MXBANK_OAUTH) }) },
      members: {
        create$: () => cold('-(m|)', { m: R(OAUTH_MEMBER) }),
        oauthWindow$: () => cold('-(w|)', { w: R({ guid: 'MBR-O', oauth_window_uri: WINDOW }) }),
        status$: sequence(...statuses.map((s) => cold('-(a|)', { a: R(s) }))),
        ...(over.members ?? {}),
      },
      statements: {
        fetch$: () => cold('-(m|)', { m: R(accepted) }),
        all$: () => cold('-(s|)', { s: R(STATEMENT) }),
        ...(over.statements ?? {}),
      },
      ...(over.users ? { users: over.users } : {}),
    } as FakeApi;
  };

  const collect = (version: MxApiVersion, fake: FakeApi, i: NewMemberInput = input()) => {
    const { client, calls } = fakeClient(fake, { scheduler: ts, apiVersion: version });
    const seen: Ev[] = [];
    const times: number[] = [];
    fetchStatements$(client, i).subscribe((e) => {
      seen.push(e);
      times.push(ts.now());
    });
    ts.flush();
    return { seen, times, calls };
  };

  for (const version of MX_API_VERSIONS) {
    describe(version, () => {
      it('creates the member with is_oauth and no credentials, hands out a fresh window, waits while PENDING (past the polling deadline), then runs the statements job', () => {
        ts.run(() => {
          // the status read once the window is issued (PENDING), five polls PENDING, then the authorization's job runs
          const statuses = [pending(), pending(), pending(), pending(), pending(), pending(), { ...WORKING, guid: 'MBR-O' }, { ...WORKING, guid: 'MBR-O' }, statementsDone];
          const { seen, times, calls } = collect(version, api(version, statuses));
          expect(types(seen)).to.deep.equal([
            'user-ready', 'institution-found', 'member-ready', 'oauth-required',
            'status', 'status', 'status', 'status', 'status', 'status',
            'statements-job-started', 'status', 'status', 'connected', 'statement-listed', 'done',
          ]);
          const oauth = seen.find((e) => E.isRight(e) && e.right.type === 'oauth-required');
          expect(oauth).to.deep.equal(R({ type: 'oauth-required', userGuid: 'USR-1', memberGuid: 'MBR-O', institutionCode: 'mx_bank_oauth', url: WINDOW }));
          // PENDING for longer than the polling deadline (100) is no failure: it has its own (5000)
          const lastPending = times[types(seen).lastIndexOf('status', 8)]!;
          expect(lastPending).to.be.greaterThan(100);
          // no credentials step for OAuth, and the window asked with the caller's options
          expect(calls.some((c) => c.name === 'institutions.credentials$')).to.equal(false);
          const create = calls.find((c) => c.name === 'members.create$');
          expect(create?.args[1]).to.deep.equal({ institution_code: 'mx_bank_oauth', credentials: [], is_oauth: true });
          expect(create?.args[2]).to.deep.equal(version === 'v20250224' ? { extras: { data_request: { products: ['statements'] } } } : {});
          expect(calls.find((c) => c.name === 'members.oauthWindow$')?.args).to.deep.equal([
            { userGuid: 'USR-1', memberGuid: 'MBR-O' }, { clientRedirectUrl: 'https://app.example.com/oauth-done', referralSource: 'APP' },
          ]);
          expect(calls.filter((c) => c.name === 'members.all$')).to.have.length(0); // a new user has no member to reuse
          // the authorization's job was seen running: the statements job joins it (MX answers 202, joined) rather than waiting it out
          const firstPost = calls.findIndex((c) => c.name === 'statements.fetch$');
          expect(calls.slice(0, firstPost).filter((c) => c.name === 'members.status$')).to.have.length(7);
        });
      });

      it(`the authorization's job already ended when first seen: ${version === 'v20250224' ? 'it was the statements job (created with data_request statements): no second job' : 'the statements job starts'} (review 12)`, () => {
        ts.run(() => {
          const statuses = [pending(), pending(), authorized, { ...WORKING, guid: 'MBR-O' }, statementsDone];
          const { seen, calls } = collect(version, api(version, statuses));
          const posts = calls.filter((c) => c.name === 'statements.fetch$');
          if (version === 'v20250224') {
            expect(types(seen)).to.deep.equal([
              'user-ready', 'institution-found', 'member-ready', 'oauth-required', 'status', 'status',
              'statements-job-started', 'connected', 'statement-listed', 'done',
            ]);
            expect(seen.find((e) => E.isRight(e) && e.right.type === 'statements-job-started')).to.deep.equal(R({
              type: 'statements-job-started', userGuid: 'USR-1', memberGuid: 'MBR-O', joined: true, waitedForOtherJobs: 0,
            }));
            expect(posts).to.have.length(0);
          } else {
            expect(types(seen)).to.deep.equal([
              'user-ready', 'institution-found', 'member-ready', 'oauth-required', 'status', 'status',
              'statements-job-started', 'status', 'status', 'connected', 'statement-listed', 'done',
            ]);
            expect(posts).to.have.length(1);
          }
        });
      });

      it('a denied authorization ends with ConnectionFailed', () => {
        ts.run(() => {
          const fake = api(version, [pending(), pending(), { ...status('DENIED', false), guid: 'MBR-O' }], {
            members: { read$: () => ts.createColdObservable('-(m|)', { m: R({ ...OAUTH_MEMBER, connection_status: 'DENIED', connection_status_message: 'Access denied' }) }) },
          });
          const { seen } = collect(version, fake);
          expect(types(seen)).to.deep.equal(['user-ready', 'institution-found', 'member-ready', 'oauth-required', 'status', 'status', 'Left:ConnectionFailed']);
          const last = seen.at(-1);
          expect(last && E.isLeft(last) && last.left).to.deep.include({ _tag: 'ConnectionFailed', connectionStatus: 'DENIED', mxMessage: 'Access denied' });
        });
      });

      it('still PENDING after oauth.pendingTimeoutMs: PollTimeout with lastStatus PENDING', () => {
        ts.run(() => {
          const statuses = Array.from({ length: 20 }, pending);
          const { seen } = collect(version, api(version, statuses), input({ oauth: { pendingTimeoutMs: 300 } }));
          const last = seen.at(-1);
          expect(last && E.isLeft(last) && last.left).to.deep.include({
            _tag: 'PollTimeout', deadlineMs: 300, lastStatus: 'PENDING',
            message: 'member MBR-O was not authorized within 300 ms (last status PENDING: the person has not finished the OAuth window)',
          });
        });
      });

      it('an OAuth member that is already connected needs no window: the user’s member is reused, no create', () => {
        ts.run(() => {
          const connectedMember: Member = { ...OAUTH_MEMBER, connection_status: 'CONNECTED', successfully_aggregated_at: LATER, aggregated_at: LATER };
          const fake = api(version, [{ ...WORKING, guid: 'MBR-O' }, statementsDone], {
            users: version === 'v20250224'
              ? { create$: () => ts.createColdObservable('-(c|)', { c: L(httpError('Conflict', 409, '/users', 'POST')) }) }
              : {
                create$: () => ts.createColdObservable('-(c|)', { c: L(httpError('Conflict', 409, '/users', 'POST')) }),
                all$: () => ts.createColdObservable('-(u|)', { u: R(USER) }),
              },
            members: { all$: () => ts.createColdObservable('-(ab|)', { a: R({ guid: 'MBR-X', institution_code: 'mxbank' }), b: R(connectedMember) }) },
          });
          const { seen, calls } = collect(version, fake);
          expect(types(seen)).to.deep.equal([
            'user-ready', 'institution-found', 'member-ready', 'statements-job-started', 'status', 'status', 'connected', 'statement-listed', 'done',
          ]);
          const ready = seen.find((e) => E.isRight(e) && e.right.type === 'member-ready');
          expect(ready).to.deep.equal(R({ type: 'member-ready', userGuid: 'USR-1', memberGuid: 'MBR-O', institutionCode: 'mx_bank_oauth', reused: true }));
          expect(calls.some((c) => c.name === 'members.create$' || c.name === 'members.oauthWindow$')).to.equal(false);
          expect(calls.find((c) => c.name === 'members.all$')?.args[0]).to.deep.equal(version === 'v20250224' ? { userId: 'customer-42' } : { userGuid: 'USR-1' });
        });
      });

      const reusedDenied = (over: Partial<Record<keyof FakeApi, object>>['members'] = {}): Partial<Record<keyof FakeApi, object>> => ({
        users: {
          create$: () => ts.createColdObservable('-(c|)', { c: L(httpError('Conflict', 409, '/users', 'POST')) }),
          all$: () => ts.createColdObservable('-(u|)', { u: R(USER) }),
        },
        members: { all$: () => ts.createColdObservable('-(a|)', { a: R({ ...OAUTH_MEMBER, connection_status: 'DENIED' }) }), ...over },
      });
      const deniedStatus = (): MemberStatus => ({ ...status('DENIED', false), guid: 'MBR-O', aggregated_at: null, successfully_aggregated_at: null });

      it('a reused OAuth member whose authorization was lost (DENIED) gets a new window, not a new member', () => {
        ts.run(() => {
          const fake = api(version, [pending(), { ...WORKING, guid: 'MBR-O' }, { ...WORKING, guid: 'MBR-O' }, statementsDone], reusedDenied());
          const { seen, calls } = collect(version, fake);
          expect(types(seen)).to.deep.equal([
            'user-ready', 'institution-found', 'member-ready', 'oauth-required', 'status',
            'statements-job-started', 'status', 'status', 'connected', 'statement-listed', 'done',
          ]);
          expect(calls.some((c) => c.name === 'members.create$')).to.equal(false);
        });
      });

      it('a second Deny of a member denied before ends at once (review 4): the reference is the member once the window was issued (PENDING)', () => {
        ts.run(() => {
          // MX shows the member PENDING once the window is issued; the person denies again at once (from 6 on)
          const fake = api(version, [], reusedDenied({
            status$: () => ts.createColdObservable('-(a|)', { a: R(ts.now() < 6 ? pending() : deniedStatus()) }),
            read$: () => ts.createColdObservable('-(m|)', { m: R({ ...OAUTH_MEMBER, connection_status: 'DENIED' }) }),
          }));
          const { seen, times } = collect(version, fake, input({ oauth: { pendingTimeoutMs: 5000 }, polling: { ...POLICY, deadlineMs: 100 } }));
          expect(types(seen)).to.deep.equal(['user-ready', 'institution-found', 'member-ready', 'oauth-required', 'status', 'Left:ConnectionFailed']);
          expect(seen.at(-1)).to.deep.include({ left: { ...(seen.at(-1) as { left: object }).left, _tag: 'ConnectionFailed', connectionStatus: 'DENIED' } });
          expect(times.at(-1)).to.be.lessThan(100);
        });
      });

      it('a second Deny that MX does not show (the member left DENIED while the window was open) ends through oauth.completions', () => {
        ts.run(() => {
          const completions = ts.createHotObservable<OAuthCompletion>('80ms a', { a: { memberGuid: 'MBR-O', status: 'error', errorReason: 'DENIED' } });
          const fake = api(version, Array.from({ length: 20 }, deniedStatus), reusedDenied());
          const { seen, times } = collect(version, fake, input({ oauth: { pendingTimeoutMs: Infinity, completions } }));
          const last = seen.at(-1);
          expect(last && E.isLeft(last) && last.left).to.deep.include({ _tag: 'ConnectionFailed', connectionStatus: 'DENIED', oauthErrorReason: 'DENIED' });
          expect(times.at(-1)).to.equal(80);
        });
      });
    });
  }

  describe('a cancelled window (oauth.completions, review 18)', () => {
    it('an error for the run’s member ends the wait at once with ConnectionFailed naming the reason; another member’s does not; the stream is released', () => {
      ts.run(({ expectSubscriptions }) => {
        const completions = ts.createHotObservable<OAuthCompletion>('30ms a 10ms b', {
          a: { memberGuid: 'MBR-OTHER', status: 'error', errorReason: 'CANCELLED' },
          b: { memberGuid: 'MBR-O', status: 'error', errorReason: 'CANCELLED' },
        });
        const { seen, times } = collect('v20111101', api('v20111101', Array.from({ length: 20 }, pending)), input({ oauth: { completions, pendingTimeoutMs: 5000 } }));
        const last = seen.at(-1);
        expect(last && E.isLeft(last) && last.left).to.deep.equal({
          _tag: 'ConnectionFailed', method: 'GET', path: '/users/USR-1/members/MBR-O/oauth_window_uri', memberGuid: 'MBR-O',
          connectionStatus: 'PENDING', oauthErrorReason: 'CANCELLED',
          message: 'member MBR-O: the OAuth window ended CANCELLED (the person cancelled or closed it) (status PENDING)',
        });
        expect(times.at(-1)).to.equal(41);
        // subscribed from the oauth-required event (after create 3, window 4, status read 5) until the error
        expectSubscriptions(completions.subscriptions).toBe('5ms ^ 35ms !');
      });
    });

    it('only the first report for the member counts: after a success, a later error (a popup watcher seeing the window closed) is ignored', () => {
      ts.run(() => {
        const completions = ts.createHotObservable<OAuthCompletion>('12ms b 10ms c', {
          b: { memberGuid: 'MBR-O', status: 'success' },
          c: { memberGuid: 'MBR-O', status: 'error', errorReason: 'CANCELLED' },
        });
        const statuses = [pending(), pending(), { ...WORKING, guid: 'MBR-O' }, { ...WORKING, guid: 'MBR-O' }, statementsDone];
        const { seen } = collect('v20111101', api('v20111101', statuses), input({ oauth: { completions } }));
        expect(types(seen).at(-1)).to.equal('done');
      });
    });

    it('a batch counts a cancelled window as needing its user (it is not retried in a later pass)', () => {
      const cancelled = { _tag: 'ConnectionFailed', method: 'GET', path: '/x', memberGuid: 'MBR-O', connectionStatus: 'PENDING', oauthErrorReason: 'CANCELLED', message: '' } as const;
      expect(needsUserAction(cancelled)).to.equal(true);
      expect(isTransientFailure(cancelled)).to.equal(false);
    });

    it('an unknown reason is shown as UNKNOWN, never as given', () => {
      ts.run(() => {
        const completions = ts.createHotObservable<OAuthCompletion>('30ms a', { a: { memberGuid: 'MBR-O', status: 'error', errorReason: '\u001b]0;pwned\u0007' } });
        const { seen } = collect('v20111101', api('v20111101', Array.from({ length: 20 }, pending)), input({ oauth: { completions } }));
        const last = seen.at(-1);
        expect(last && E.isLeft(last) && last.left).to.deep.include({ oauthErrorReason: 'UNKNOWN' });
      });
    });
  });

  describe('the window URL', () => {
    for (const [url, ok] of [
      ['javascript:alert(document.cookie)', false],
      ['http://evil.example.com/oauth', false],
      ['not a url', false],
      ['https://int-app.moneydesktop.com/oauth/x', true],
    ] as const) {
      it(`${ok ? 'hands out' : 'refuses'} ${url}`, () => {
        ts.run(() => {
          const fake = api('v20111101', [pending(), { ...WORKING, guid: 'MBR-O' }, authorized, { ...WORKING, guid: 'MBR-O' }, statementsDone], {
            members: { oauthWindow$: () => ts.createColdObservable('-(w|)', { w: R({ guid: 'MBR-O', oauth_window_uri: url }) }) },
          });
          const { seen } = collect('v20111101', fake);
          if (ok) {
            expect(types(seen).at(-1)).to.equal('done');
          } else {
            expect(types(seen)).to.deep.equal(['user-ready', 'institution-found', 'member-ready', 'Left:DecodeError']);
            expect(JSON.stringify(seen)).not.to.include('evil.example.com');
          }
        });
      });
    }

    it('accepts a plain-http window only on the client’s own origin (the embedded sandbox serving its window)', () => {
      ts.run(() => {
        const local = 'http://127.0.0.1:4010/oauth/window/abc';
        const { client } = fakeClient(api('v20111101', [pending(), authorized, { ...WORKING, guid: 'MBR-O' }, statementsDone], {
          members: { oauthWindow$: () => ts.createColdObservable('-(w|)', { w: R({ guid: 'MBR-O', oauth_window_uri: local }) }) },
        }), { scheduler: ts, baseUrl: 'http://127.0.0.1:4010' });
        const seen: Ev[] = [];
        fetchStatements$(client, input()).subscribe((e) => seen.push(e));
        ts.flush();
        expect(seen.find((e) => E.isRight(e) && e.right.type === 'oauth-required')).to.deep.include({ right: { type: 'oauth-required', userGuid: 'USR-1', memberGuid: 'MBR-O', institutionCode: 'mx_bank_oauth', url: local } });
        expect(types(seen).at(-1)).to.equal('done');
      });
    });
  });

  it('pendingTimeoutMs may be Infinity, and must be > 0', () => {
    const { client } = fakeClient({});
    let bug: unknown;
    fetchStatements$(client, { member: { userGuid: 'U', memberGuid: 'M' }, oauth: { pendingTimeoutMs: 0 } }).subscribe({ error: (e: unknown) => { bug = e; } });
    expect(bug).to.be.instanceOf(RangeError).with.property('message').that.matches(/pendingTimeoutMs/);
    ts.run(() => {
      const statuses = [pending(), authorized, { ...WORKING, guid: 'MBR-O' }, statementsDone];
      const { seen } = collect('v20111101', api('v20111101', statuses), input({ oauth: { pendingTimeoutMs: Infinity } }));
      expect(types(seen).at(-1)).to.equal('done');
    });
  });
});

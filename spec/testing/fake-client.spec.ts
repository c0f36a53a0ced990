/**
 * mx-statements-rx/testing: fakeMxClient runs the real workflow against marbles, in TestScheduler virtual time,
 * with no scheduler passed anywhere (run mode makes RxJS's async scheduler virtual).
 */
import { expect } from 'chai';
import * as E from 'fp-ts/lib/Either.js';
import { TestScheduler } from 'rxjs/testing';
import type { MxError } from '../../lib/core/errors.js';
import { fakeMxClient } from '../../lib/testing/index.js';
import type { StatementEvent } from '../../lib/workflow/events.js';
import { fetchStatements$ } from '../../lib/workflow/fetch-statements.js';
import { ACCEPTED, DONE, POLICY, REF, STATEMENT } from '../workflow/fixtures.js';

const R = <A>(a: A): E.Either<MxError, A> => E.right(a);
const ev = (e: StatementEvent): E.Either<MxError, StatementEvent> => E.right(e);

describe('testing/fakeMxClient', () => {
  let ts: TestScheduler;
  beforeEach(() => {
    ts = new TestScheduler((a, b) => {
      expect(JSON.parse(JSON.stringify(a))).to.deep.equal(JSON.parse(JSON.stringify(b)));
    });
  });

  it('runs fetchStatements$ for an existing member against scripted endpoints, in virtual time', () => {
    ts.run(({ cold, expectObservable }) => {
      const { client, calls } = fakeMxClient({
        statements: {
          fetch$: () => cold('-(m|)', { m: R(ACCEPTED) }),
          all$: () => cold('----(s|)', { s: R(STATEMENT) }),
        },
        members: { status$: () => cold('-(s|)', { s: R(DONE) }) },
      });
      // POST → 1; the first poll waits POLICY.firstDelayMs (10), answers at 12: done; the listing takes 4 frames
      expectObservable(fetchStatements$(client, { member: REF, polling: POLICY })).toBe('-a 10ms (bc) (de|)', {
        a: ev({ type: 'statements-job-started', userGuid: 'USR-1', memberGuid: 'MBR-1', joined: false, waitedForOtherJobs: 0 }),
        b: ev({ type: 'status', memberGuid: 'MBR-1', connectionStatus: 'CONNECTED', isBeingAggregated: false, attempt: 1, nextDelayMs: null }),
        c: ev({ type: 'connected', memberGuid: 'MBR-1', polls: 1, mfaRounds: 0 }),
        d: ev({ type: 'statement-listed', memberGuid: 'MBR-1', statement: STATEMENT }),
        e: ev({
          type: 'done',
          summary: { userGuid: 'USR-1', memberGuid: 'MBR-1', statements: 1, downloaded: 0, skipped: 0, bytes: 0, polls: 1, mfaRounds: 0, downloadEnabled: false },
        }),
      });
      ts.flush();
      expect(calls.map((c) => c.name)).to.deep.equal(['statements.fetch$', 'members.status$', 'statements.all$']);
      expect(calls[0]!.args[0]).to.deep.equal(REF);
    });
  });

  it('fails loudly on an endpoint it was not given, naming it', () => {
    const { client, calls } = fakeMxClient({});
    expect(() => client.users.read$({ userGuid: 'USR-1' })).to.throw(/fakeMxClient: unexpected call users\.read\$\(\[\{"userGuid":"USR-1"\}\]\)/);
    expect(calls).to.deep.equal([{ name: 'users.read$', args: [{ userGuid: 'USR-1' }] }]);
    expect(() => client.transport.json$({ method: 'GET', path: '/x' }, { decode: () => E.right(1) } as never)).to.throw(/raw transport is not faked/);
  });

  it('says what it was told: API version and hints (the sandbox hint picks the fast polling)', () => {
    const { client } = fakeMxClient({}, { apiVersion: 'v20250224', hints: { sandbox: true } });
    expect(client.config.apiVersion).to.equal('v20250224');
    expect(client.hints.sandbox).to.equal(true);
    expect(fakeMxClient({}).client.hints.sandbox).to.equal(false);
  });
});

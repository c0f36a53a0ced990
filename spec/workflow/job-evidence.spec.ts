/**
 * No stale success: right after `POST fetch_statements` (202) MX may still show the previous job's CONNECTED
 * (its job starts a little later), or start nothing at all ("too soon"). A naive client that stops at the first
 * CONNECTED + not aggregating lists the old statements as if this job had run; these specs fail it.
 */
import { expect } from 'chai';
import * as E from 'fp-ts/lib/Either.js';
import { TestScheduler } from 'rxjs/testing';
import type { Member, MemberStatus } from '../../lib/codecs/index.js';
import { MX_API_VERSIONS } from '../../lib/core/config.js';
import type { MxError } from '../../lib/core/errors.js';
import type { StatementEvent } from '../../lib/workflow/events.js';
import { fetchStatements$ } from '../../lib/workflow/fetch-statements.js';
import { jobBaseline, readJob, showsJobSince } from '../../lib/workflow/job-evidence.js';
import { fakeClient, R, sequence } from '../helpers/fake-client.js';
import {
  ACCEPTED, DONE, EARLIER, FIELDS, LATER, MEMBER, MXBANK_2025, POLICY, REF, STALE, STATEMENT, USER, WORKING, status,
} from './fixtures.js';

type Ev = E.Either<MxError, StatementEvent>;

const types = (evs: Ev[]): string[] => evs.map((e) => (E.isRight(e) ? e.right.type : `Left:${e.left._tag}`));

describe('workflow: evidence that the job ran (no stale success)', () => {
  describe('showsJobSince / readJob (pure)', () => {
    const before = jobBaseline(ACCEPTED, 0);

    it('the previous job’s CONNECTED, same timestamps, not aggregating: no evidence', () => {
      expect(showsJobSince(before, STALE)).to.equal(false);
    });

    it('evidence: aggregating, a timestamp or the job guid moved forward, or the status changed', () => {
      expect(showsJobSince(before, WORKING)).to.equal(true);
      expect(showsJobSince(before, { ...STALE, successfully_aggregated_at: LATER })).to.equal(true);
      expect(showsJobSince(before, { ...STALE, aggregated_at: LATER })).to.equal(true);
      expect(showsJobSince(before, { ...STALE, most_recent_job_guid: 'JOB-2' } as MemberStatus)).to.equal(true);
      expect(showsJobSince(before, { ...STALE, connection_status: 'DENIED' })).to.equal(true);
    });

    it('not evidence: an earlier timestamp, or fields the status left out', () => {
      expect(showsJobSince(before, { ...STALE, aggregated_at: '2026-11-30T00:00:00Z' })).to.equal(false);
      expect(showsJobSince(before, { is_being_aggregated: false })).to.equal(false);
    });

    it('a field the baseline lacks (a slimmer answer) tells nothing; MX’s null ("never") does', () => {
      const slim = jobBaseline({ guid: 'MBR-1' }, 0);
      expect(showsJobSince(slim, DONE)).to.equal(false);
      const never = jobBaseline({ guid: 'MBR-1', connection_status: 'CREATED', aggregated_at: null, successfully_aggregated_at: null }, 0);
      expect(showsJobSince(never, { ...status('CREATED', false), successfully_aggregated_at: LATER })).to.equal(true);
    });

    it('readJob believes CONNECTED and failures only with evidence, until the grace is over', () => {
      expect(readJob(STALE, false, false)).to.equal('running');
      expect(readJob(STALE, true, false)).to.equal('done');
      expect(readJob(STALE, false, true)).to.equal('unconfirmed');
      expect(readJob(status('FAILED', false), false, false)).to.equal('running');
      expect(readJob(status('FAILED', false), false, true)).to.equal('failed');
      expect(readJob(status('DENIED', false), true, false)).to.equal('failed');
      expect(readJob(status('CHALLENGED', true), false, false)).to.equal('challenged');
      expect(readJob(WORKING, true, true)).to.equal('running');
    });
  });

  for (const apiVersion of MX_API_VERSIONS) {
    describe(`the member run (${apiVersion}, marbles)`, () => {
      let ts: TestScheduler;
      beforeEach(() => {
        ts = new TestScheduler((a, b) => { expect(JSON.parse(JSON.stringify(a))).to.deep.equal(JSON.parse(JSON.stringify(b))); });
      });

      /** An existing member whose job answers 202 with `accepted`, then shows `statuses`, one per poll. */
      const run = (accepted: Member, statuses: MemberStatus[], extra: { read?: Member } = {}) => {
        const cold = ts.createColdObservable.bind(ts);
        const { client, calls } = fakeClient({
          members: {
            status$: sequence(...statuses.map((s) => cold('-(a|)', { a: R(s) }))),
            ...(extra.read ? { read$: () => cold('-(m|)', { m: R(extra.read!) }) } : {}),
          },
          statements: { fetch$: () => cold('-(m|)', { m: R(accepted) }), all$: () => cold('(s|)', { s: R(STATEMENT) }) },
        }, { scheduler: ts, apiVersion });
        const out = fetchStatements$(client, { member: REF, polling: POLICY, scheduler: ts, random: () => 1 });
        return { out, calls };
      };

      it('the previous job’s CONNECTED right after the 202 is not success: it waits until the job has shown itself', () => {
        ts.run(({ expectObservable }) => {
          const { out } = run(ACCEPTED, [STALE, STALE, WORKING, DONE]);
          // 202 at 1; polls at 11, 22 (stale), 43 (aggregating: the job runs), 84 (done) → connected at 85
          expectObservable(out).toBe('-a 10ms b 10ms c 20ms d 40ms (efgh|)', {
            a: R({ type: 'statements-job-started', userGuid: 'USR-1', memberGuid: 'MBR-1', joined: false, waitedForOtherJobs: 0 }),
            b: R({ type: 'status', memberGuid: 'MBR-1', connectionStatus: 'CONNECTED', isBeingAggregated: false, attempt: 1, nextDelayMs: 10 }),
            c: R({ type: 'status', memberGuid: 'MBR-1', connectionStatus: 'CONNECTED', isBeingAggregated: false, attempt: 2, nextDelayMs: 20 }),
            d: R({ type: 'status', memberGuid: 'MBR-1', connectionStatus: 'CONNECTED', isBeingAggregated: true, attempt: 3, nextDelayMs: 40 }),
            e: R({ type: 'status', memberGuid: 'MBR-1', connectionStatus: 'CONNECTED', isBeingAggregated: false, attempt: 4, nextDelayMs: null }),
            f: R({ type: 'connected', memberGuid: 'MBR-1', polls: 4, mfaRounds: 0 }),
            g: R({ type: 'statement-listed', memberGuid: 'MBR-1', statement: STATEMENT }),
            h: R({
              type: 'done',
              summary: { userGuid: 'USR-1', memberGuid: 'MBR-1', statements: 1, downloaded: 0, skipped: 0, bytes: 0, polls: 4, mfaRounds: 0, downloadEnabled: false },
            }),
          });
        });
      });

      it('a job that ran between two polls shows itself in its timestamps: connected without ever seeing it aggregate', () => {
        ts.run(() => {
          const { out } = run(ACCEPTED, [STALE, DONE]);
          const seen: Ev[] = [];
          out.subscribe((e) => seen.push(e));
          ts.flush();
          expect(types(seen)).to.deep.equal(['statements-job-started', 'status', 'status', 'connected', 'statement-listed', 'done']);
        });
      });

      it('"too soon": no sign of a job within the grace → statements-job-unconfirmed, then lists; one POST, never a retry loop', () => {
        ts.run(({ expectObservable }) => {
          const { out, calls } = run(ACCEPTED, [STALE, STALE, STALE]);
          // polls at 11, 22 (within the grace of 30 from the 202 at 1) and 43 (past it): unconfirmed at 44
          expectObservable(out).toBe('-a 10ms b 10ms c 20ms (defg|)', {
            a: R({ type: 'statements-job-started', userGuid: 'USR-1', memberGuid: 'MBR-1', joined: false, waitedForOtherJobs: 0 }),
            b: R({ type: 'status', memberGuid: 'MBR-1', connectionStatus: 'CONNECTED', isBeingAggregated: false, attempt: 1, nextDelayMs: 10 }),
            c: R({ type: 'status', memberGuid: 'MBR-1', connectionStatus: 'CONNECTED', isBeingAggregated: false, attempt: 2, nextDelayMs: 20 }),
            d: R({ type: 'status', memberGuid: 'MBR-1', connectionStatus: 'CONNECTED', isBeingAggregated: false, attempt: 3, nextDelayMs: null }),
            e: R({ type: 'statements-job-unconfirmed', memberGuid: 'MBR-1', connectionStatus: 'CONNECTED', successfullyAggregatedAt: EARLIER, waitedMs: 43 }),
            f: R({ type: 'statement-listed', memberGuid: 'MBR-1', statement: STATEMENT }),
            g: R({
              type: 'done',
              summary: { userGuid: 'USR-1', memberGuid: 'MBR-1', statements: 1, downloaded: 0, skipped: 0, bytes: 0, polls: 3, mfaRounds: 0, downloadEnabled: false },
            }),
          });
          ts.flush();
          expect(calls.filter((c) => c.name === 'statements.fetch$')).to.have.length(1);
        });
      });

      it('a slimmer 202 (no timestamps, no status) is never taken for evidence: unconfirmed, not a stale success', () => {
        ts.run(() => {
          const { out } = run({ guid: 'MBR-1' }, [DONE, DONE, DONE]);
          const seen: Ev[] = [];
          out.subscribe((e) => seen.push(e));
          ts.flush();
          expect(types(seen)).to.deep.equal(['statements-job-started', 'status', 'status', 'status', 'statements-job-unconfirmed', 'statement-listed', 'done']);
        });
      });

      it('the previous job’s failure right after the 202 is not this job’s: FAILED, then the job runs and connects', () => {
        ts.run(() => {
          const failedBefore: Member = { ...ACCEPTED, connection_status: 'FAILED' };
          const { out } = run(failedBefore, [{ ...STALE, connection_status: 'FAILED' }, WORKING, DONE]);
          const seen: Ev[] = [];
          out.subscribe((e) => seen.push(e));
          ts.flush();
          expect(types(seen)).to.deep.equal(['statements-job-started', 'status', 'status', 'status', 'connected', 'statement-listed', 'done']);
        });
      });

      it('a failure that stays past the grace with no job is the member’s state: ConnectionFailed', () => {
        ts.run(() => {
          const failedBefore: Member = { ...ACCEPTED, connection_status: 'FAILED' };
          const stuck = { ...STALE, connection_status: 'FAILED' };
          const { out } = run(failedBefore, [stuck, stuck, stuck], { read: { ...MEMBER, connection_status: 'FAILED', connection_status_message: 'Try later' } });
          const seen: Ev[] = [];
          out.subscribe((e) => seen.push(e));
          ts.flush();
          expect(types(seen)).to.deep.equal(['statements-job-started', 'status', 'status', 'status', 'Left:ConnectionFailed']);
        });
      });
    });
  }

  it('v20250224: creating the member starts its job (data_request): the fetch_statements 202 joins it, even before it shows', () => {
    const ts = new TestScheduler((a, b) => { expect(a).to.deep.equal(b); });
    ts.run(({ cold }) => {
      const created: Member = { ...MEMBER, connection_status: 'CREATED', is_being_aggregated: false, aggregated_at: null, successfully_aggregated_at: null };
      const { client, calls } = fakeClient({
        users: { create$: () => cold('-(u|)', { u: R(USER) }) },
        institutions: { read$: () => cold('-(i|)', { i: R(MXBANK_2025) }), credentials$: () => cold('-(c|)', { c: R(FIELDS) }) },
        members: {
          create$: () => cold('-(m|)', { m: R(created) }),
          // the creation job starts a little after the 202: CREATED first, then aggregating, then done
          status$: sequence(
            cold('-(a|)', { a: R({ ...status('CREATED', false), aggregated_at: null, successfully_aggregated_at: null }) }),
            cold('-(a|)', { a: R({ ...WORKING, aggregated_at: LATER }) }),
            cold('-(a|)', { a: R(DONE) }),
          ),
        },
        statements: { fetch$: () => cold('-(m|)', { m: R(created) }), all$: () => cold('-(s|)', { s: R(STATEMENT) }) },
      }, { scheduler: ts, apiVersion: 'v20250224' });
      const seen: Ev[] = [];
      fetchStatements$(client, {
        user: { id: 'customer-42' }, institution: { code: 'mxbank' }, credentials: { LOGIN: 'mxuser', PASSWORD: 'p' },
        polling: POLICY, scheduler: ts, random: () => 1,
      }).subscribe((e) => seen.push(e));
      ts.flush();
      expect(types(seen)).to.deep.equal([
        'user-ready', 'institution-found', 'credentials-required', 'member-ready', 'statements-job-started', 'status', 'status', 'status',
        'connected', 'statement-listed', 'done',
      ]);
      expect(calls.filter((c) => c.name === 'statements.fetch$')).to.have.length(1);
      expect(calls.find((c) => c.name === 'members.create$')?.args[2]).to.deep.equal({ extras: { data_request: { products: ['statements'] } } });
    });
  });
});

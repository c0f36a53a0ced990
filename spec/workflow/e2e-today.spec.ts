/**
 * End to end over real HTTP against the embedded sandbox, as MX is today: both API versions, Accept-Version on
 * every request, the sandbox's hint picking the fast polling, jobs that start a little after their 202 (stale
 * statuses), "too soon", and OAuth members authorized by pressing the window's button (a form post).
 */
import { expect } from 'chai';
import crossFetch from 'cross-fetch';
import * as E from 'fp-ts/lib/Either.js';
import { Observable, firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import { createMxClient, type MxClient } from '../../lib/api/client.js';
import { MX_API_VERSIONS, type FetchLike, type MxApiVersion, type MxClientConfig } from '../../lib/core/config.js';
import type { MxError } from '../../lib/core/errors.js';
import { createManualClock, startSandbox, type SandboxHandle, type SandboxOptions } from '../../lib/sandbox/index.js';
import type { StatementEvent } from '../../lib/workflow/events.js';
import { fetchStatementsForMany$ } from '../../lib/workflow/batch.js';
import { fetchStatements$ } from '../../lib/workflow/fetch-statements.js';
import type { FetchStatementsInput, OAuthCompletion } from '../../lib/workflow/input.js';
import { createMemorySink } from '../../lib/workflow/memory-sink.js';

type Result = E.Either<MxError, StatementEvent>;

interface Seen {
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly status: number;
  readonly json?: unknown;
  /** The sandbox's own `X-MX-Sandbox-Job` (started | joined | too-soon) on a job request. */
  readonly job?: string;
}

/** cross-fetch that records every exchange (and the JSON of status answers, to check the workflow's evidence). */
const recordingFetch = (seen: Seen[]): FetchLike => async (url, init) => {
  const res = await (crossFetch as unknown as FetchLike)(url, init);
  const path = new URL(url).pathname;
  const json = path.endsWith('/status') && res.status === 200 ? JSON.parse(await (res as unknown as Response).clone().text()) as unknown : undefined;
  const job = res.headers.get('x-mx-sandbox-job') ?? undefined;
  seen.push({ method: init.method, path, headers: init.headers, status: res.status, ...(json !== undefined ? { json } : {}), ...(job !== undefined ? { job } : {}) });
  return res;
};

const types = (rs: Result[]) => rs.map((r) => (E.isRight(r) ? r.right.type : `Left:${r.left._tag}`));
const rights = (rs: Result[]) => rs.flatMap((r) => (E.isRight(r) ? [r.right] : []));
const lastLeft = (rs: Result[]): MxError => {
  const last = rs.at(-1);
  if (!last || E.isRight(last)) throw new Error(`expected a Left last, got ${JSON.stringify(types(rs))}`);
  return last.left;
};
const all = (o: Observable<Result>): Promise<Result[]> => lastValueFrom(o.pipe(toArray()));

let seq = 0;
const freshUser = () => ({ id: `today-${process.pid}-${++seq}` });

/** Presses a button of the sandbox's OAuth window the way a browser without JavaScript does: GET the page, post its form. */
const pressOAuthButton = async (url: string, decision: 'authorize' | 'deny' | 'cancel'): Promise<{ page: string; answer: number }> => {
  const page = await (await crossFetch(url)).text();
  const form = /<form method="post" action="([^"]+)">/.exec(page);
  const token = /<input type="hidden" name="token" value="([^"]+)">/.exec(page);
  expect(form, 'a plain form post').to.not.equal(null);
  expect(page).to.include(`name="decision" value="${decision}"`);
  const action = new URL(form![1]!.replace(/&amp;/g, '&'), url).toString();
  const res = await crossFetch(action, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token: token![1]!, decision }).toString(),
    redirect: 'manual',
  });
  return { page, answer: res.status };
};

/** The first seeded member (users and members listed in the client's version). */
const seededMember = async (c: MxClient) => {
  const user = await firstValueFrom(c.users.all$());
  if (E.isLeft(user)) throw new Error(user.left.message);
  const member = await firstValueFrom(c.members.all$({ userGuid: user.right.guid }));
  if (E.isLeft(member)) throw new Error(member.left.message);
  return { userGuid: user.right.guid, memberGuid: member.right.guid };
};

for (const apiVersion of MX_API_VERSIONS) {
  describe(`workflow end to end, MX as it is today (${apiVersion}, sandbox over HTTP)`, function () {
    this.timeout(30_000);
    const sandboxes: SandboxHandle[] = [];
    const start = async (o: SandboxOptions = {}) => {
      const sb = await startSandbox({ aggregationMs: 60, statementsPerMember: 2, seed: `today-${apiVersion}`, ...o });
      sandboxes.push(sb);
      return sb;
    };
    const clientFor = (sb: SandboxHandle, seen?: Seen[], extra: Partial<MxClientConfig> = {}) =>
      createMxClient({ baseUrl: sb.url, clientId: sb.clientId, apiKey: sb.apiKey, apiVersion, ...(seen ? { fetch: recordingFetch(seen) } : {}), ...extra });
    after(async () => {
      await Promise.all(sandboxes.map((s) => s.close()));
    });

    it('every request names the version; the sandbox’s answers pick the fast polling without being asked; the run downloads every statement', async () => {
      const sb = await start();
      const seen: Seen[] = [];
      const client = clientFor(sb, seen);
      expect(client.hints.sandbox).to.equal(false);
      const sink = createMemorySink();
      const rs = await all(fetchStatements$(client, {
        user: freshUser(), institution: { name: 'MX Bank' }, credentials: { LOGIN: 'mxuser', PASSWORD: 'password' }, download: { sink },
      }));
      expect(types(rs).at(-1)).to.equal('done');
      expect(client.hints.sandbox).to.equal(true);
      expect(rights(rs).filter((e) => e.type === 'statement-downloaded')).to.have.length(2);
      expect([...new Set(seen.map((s) => s.headers['Accept-Version']))]).to.deep.equal([apiVersion]);
      const statusEvents = rights(rs).flatMap((e) => (e.type === 'status' ? [e] : []));
      expect(statusEvents.length).to.be.greaterThan(0);
      for (const e of statusEvents) if (e.nextDelayMs !== null) expect(e.nextDelayMs).to.be.at.most(500);
      // the search used the version's statement filter
      const search = seen.find((s) => s.path === '/institutions');
      expect(search?.status).to.equal(200);
    });

    it('v20250224 creates with data_request and never skip_aggregation; v20111101 with skip_aggregation; no 409 fights', async () => {
      const sb = await start();
      const seen: Seen[] = [];
      const bodies: unknown[] = [];
      const client = clientFor(sb, seen, {
        fetch: (url, init) => {
          if (init.method === 'POST' && new URL(url).pathname.endsWith('/members')) bodies.push(JSON.parse(init.body ?? 'null'));
          return recordingFetch(seen)(url, init);
        },
      });
      const rs = await all(fetchStatements$(client, { user: freshUser(), institution: { code: 'mxbank' }, credentials: { LOGIN: 'mxuser', PASSWORD: 'password' } }));
      expect(types(rs).at(-1)).to.equal('done');
      const body = JSON.stringify(bodies[0]);
      if (apiVersion === 'v20250224') {
        expect(bodies[0]).to.have.deep.property('data_request', { products: ['statements'] });
        expect(body).not.to.include('skip_aggregation');
      } else {
        expect(body).to.include('"skip_aggregation":true');
        expect(body).not.to.include('data_request');
      }
      expect(seen.filter((s) => s.status === 409)).to.have.length(0);
      expect(seen.filter((s) => s.path.endsWith('/fetch_statements'))).to.have.length(1);
    });

    it('no stale success: the job starts after its 202, and connected comes only after a status showing this job', async () => {
      // The sandbox's time moves only when this spec says, so the order is certain: the first status is read before
      // the job begins (the previous job's CONNECTED), the job begins after it, and ends after a status showed it.
      const clock = createManualClock();
      const sb = await start({ seedUsers: 1, jobStartDelayMs: 300, clock });
      const seen: Seen[] = [];
      const client = clientFor(sb, seen);
      const member = await seededMember(client);
      seen.length = 0;
      const rs: Result[] = [];
      await new Promise<void>((resolve, reject) => {
        fetchStatements$(client, { member }).subscribe({
          next: (r) => {
            rs.push(r);
            if (E.isLeft(r) || r.right.type !== 'status') return;
            if (!r.right.isBeingAggregated && r.right.connectionStatus === 'CONNECTED' && rs.filter((x) => E.isRight(x) && x.right.type === 'status').length === 1) {
              clock.advance(300); // the job begins
            } else if (r.right.isBeingAggregated) {
              clock.advance(60); // and ends
            }
          },
          error: reject,
          complete: resolve,
        });
      });
      expect(types(rs).filter((t) => t !== 'status')).to.deep.equal(['statements-job-started', 'connected', 'statement-listed', 'statement-listed', 'done']);
      // fewest requests: the POST first (no status read before it)
      expect(seen[0]?.path.endsWith('/fetch_statements')).to.equal(true);
      const statuses = seen.filter((s) => s.json !== undefined).map((s) => (s.json as { member: { is_being_aggregated: boolean; connection_status: string } }).member);
      // a naive client stops at the first one: CONNECTED, not aggregating — the previous job's
      expect(statuses[0]).to.include({ connection_status: 'CONNECTED', is_being_aggregated: false });
      expect(statuses.findIndex((s) => s.is_being_aggregated)).to.be.greaterThan(0);
      expect(statuses.at(-1)).to.include({ connection_status: 'CONNECTED', is_being_aggregated: false });
    });

    it('"too soon": a 202 that starts nothing is reported (statements-job-unconfirmed), what MX has is listed, one POST', async () => {
      const sb = await start({ seedUsers: 1, tooSoonMxBank: true });
      const seen: Seen[] = [];
      const client = clientFor(sb, seen);
      const member = await seededMember(client);
      seen.length = 0;
      const rs = await all(fetchStatements$(client, { member }));
      expect(types(rs).filter((t) => t !== 'status')).to.deep.equal(['statements-job-started', 'statements-job-unconfirmed', 'statement-listed', 'statement-listed', 'done']);
      const unconfirmed = rights(rs).find((e) => e.type === 'statements-job-unconfirmed');
      expect(unconfirmed?.type === 'statements-job-unconfirmed' && unconfirmed.successfullyAggregatedAt).to.be.a('string');
      expect(seen.filter((s) => s.path.endsWith('/fetch_statements'))).to.have.length(1);
    });

    it('syncs existing members (fetchStatementsForMany$) with no polling option: every member synced, one POST each', async () => {
      const sb = await start({ seedUsers: 12 });
      const seen: Seen[] = [];
      const client = clientFor(sb, seen);
      const sink = createMemorySink();
      const items = await lastValueFrom(fetchStatementsForMany$(client, 'all-members', { concurrency: 6, download: { sink } }).pipe(toArray()));
      const summary = items.at(-1);
      expect(summary?.type === 'batch-summary' && summary).to.deep.include({ total: 12, synced: 12, failed: 0, downloaded: 24 });
      expect(seen.filter((s) => s.path.endsWith('/fetch_statements'))).to.have.length(12);
      expect([...new Set(seen.map((s) => s.headers['Accept-Version']))]).to.deep.equal([apiVersion]);
    });

    describe('OAuth (mx_bank_oauth)', () => {
      const oauthRun = async (client: MxClient, user: { id: string }, decision: 'authorize' | 'deny' | 'cancel' | undefined, extra: Partial<FetchStatementsInput> = {}) => {
        const rs: Result[] = [];
        const pressed: Array<{ page: string; answer: number }> = [];
        await new Promise<void>((resolve, reject) => {
          fetchStatements$(client, { user, institution: { code: 'mx_bank_oauth' }, download: { sink: createMemorySink() }, ...extra } as FetchStatementsInput).subscribe({
            next: (r) => {
              rs.push(r);
              if (E.isRight(r) && r.right.type === 'oauth-required' && decision) {
                pressOAuthButton(r.right.url, decision).then((p) => pressed.push(p), reject);
              }
            },
            error: reject,
            complete: resolve,
          });
        });
        return { rs, pressed };
      };

      it('authorize: oauth-required with a fresh window naming the institution; the run waits while PENDING, then fetches and downloads', async () => {
        const sb = await start();
        const seen: Seen[] = [];
        const client = clientFor(sb, seen);
        const { rs, pressed } = await oauthRun(client, freshUser(), 'authorize', { oauth: { clientRedirectUrl: 'https://app.example.com/done', referralSource: 'APP' } });
        expect(types(rs).filter((t) => t !== 'status')).to.deep.equal([
          'user-ready', 'institution-found', 'member-ready', 'oauth-required', 'statements-job-started', 'connected',
          'statement-listed', 'statement-listed', 'statement-downloaded', 'statement-downloaded', 'done',
        ]);
        expect(pressed[0]?.page).to.include('MX Bank (OAuth)');
        expect(pressed[0]?.answer).to.equal(303); // redirected to client_redirect_url with the outcome
        expect(seen.some((s) => s.path.endsWith('/credentials'))).to.equal(false);
        const window = seen.find((s) => s.path.endsWith('/oauth_window_uri'));
        expect(window?.status).to.equal(200);
        const statusesWhileWaiting = rights(rs).slice(types(rs).indexOf('oauth-required') + 1, types(rs).indexOf('statements-job-started'));
        expect(statusesWhileWaiting.some((e) => e.type === 'status' && e.connectionStatus === 'PENDING')).to.equal(true);
      });

      it('deny: ConnectionFailed DENIED', async () => {
        const sb = await start();
        const { rs } = await oauthRun(clientFor(sb), freshUser(), 'deny');
        expect(lastLeft(rs)).to.deep.include({ _tag: 'ConnectionFailed', connectionStatus: 'DENIED' });
      });

      it('deny again on the next run (the reused DENIED member, a fresh window): ConnectionFailed DENIED at once, not after pendingTimeoutMs (review 4)', async () => {
        const sb = await start();
        const client = clientFor(sb);
        const user = freshUser();
        const first = await oauthRun(client, user, 'deny');
        expect(lastLeft(first.rs)).to.deep.include({ _tag: 'ConnectionFailed', connectionStatus: 'DENIED' });
        const second = await oauthRun(client, user, 'deny', { oauth: { pendingTimeoutMs: 5000 } });
        expect(rights(second.rs).find((e) => e.type === 'member-ready')).to.deep.include({ reused: true });
        expect(types(second.rs)).to.include('oauth-required');
        expect(lastLeft(second.rs)).to.deep.include({ _tag: 'ConnectionFailed', connectionStatus: 'DENIED' });
        // and a third run, authorized this time, fetches
        const third = await oauthRun(client, user, 'authorize');
        expect(types(third.rs).at(-1)).to.equal('done');
      });

      it('cancel: the member stays PENDING, and the window’s report (here the sandbox handle’s, as an app hears the window message) ends the run (review 18)', async () => {
        const sb = await start();
        const completions = new Observable<OAuthCompletion>((s) => sb.onOAuthComplete((c) => s.next(c)));
        const { rs } = await oauthRun(clientFor(sb), freshUser(), 'cancel', { oauth: { completions, pendingTimeoutMs: 5000 } });
        expect(lastLeft(rs)).to.deep.include({ _tag: 'ConnectionFailed', connectionStatus: 'PENDING', oauthErrorReason: 'CANCELLED' });
      });

      it(`one statements job per authorization: ${apiVersion === 'v20250224' ? 'the job the authorization ran (data_request statements) is joined or taken, never a second one started' : 'the authorization aggregates, then the run starts the statements job'} (review 12)`, async () => {
        for (const jobStartDelayMs of [0, 150]) {
          const sb = await start({ jobStartDelayMs, aggregationMs: jobStartDelayMs === 0 ? 60 : 400 });
          const seen: Seen[] = [];
          const { rs } = await oauthRun(clientFor(sb, seen), freshUser(), 'authorize');
          expect(types(rs).at(-1), `jobStartDelayMs ${jobStartDelayMs}`).to.equal('done');
          const started = seen.filter((x) => x.path.endsWith('/fetch_statements') && x.job === 'started');
          expect(started, `jobStartDelayMs ${jobStartDelayMs}`).to.have.length(apiVersion === 'v20250224' ? 0 : 1);
          expect(rights(rs).filter((e) => e.type === 'statement-downloaded')).to.have.length(2);
        }
      });

      it('nobody answers within oauth.pendingTimeoutMs: PollTimeout with lastStatus PENDING', async () => {
        const sb = await start();
        const { rs } = await oauthRun(clientFor(sb), freshUser(), undefined, { oauth: { pendingTimeoutMs: 400 } });
        expect(lastLeft(rs)).to.deep.include({ _tag: 'PollTimeout', lastStatus: 'PENDING' });
      });

      it('an OAuth member already connected needs no window on the next run (the user’s member is reused)', async () => {
        const sb = await start();
        const client = clientFor(sb);
        const user = freshUser();
        const first = await oauthRun(client, user, 'authorize');
        expect(types(first.rs).at(-1)).to.equal('done');
        const second = await oauthRun(client, user, 'authorize');
        expect(types(second.rs)).not.to.include('oauth-required');
        expect(rights(second.rs).find((e) => e.type === 'member-ready')).to.deep.include({ reused: true });
        expect(types(second.rs).at(-1)).to.equal('done');
        expect(second.pressed).to.have.length(0);
      });
    });
  });
}

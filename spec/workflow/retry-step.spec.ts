/**
 * The workflow's step retry covers only what the transport could not retry safely (a POST whose answer was lost or
 * failed after it may have acted), and never multiplies the transport's own retries: a host where nothing listens
 * costs `retry.maxAttempts` requests, not that times the step's attempts.
 */
import { unusedPort } from '../helpers/ports.js';
import { expect } from 'chai';
import * as E from 'fp-ts/lib/Either.js';
import { lastValueFrom, map, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { createMxClient } from '../../lib/api/client.js';
import type { FetchLike, RetryNotice } from '../../lib/core/config.js';
import type { MxError } from '../../lib/core/errors.js';
import { nodeFetch } from '../../lib/node/node-fetch.js';
import { fetchStatements$ } from '../../lib/workflow/fetch-statements.js';
import { retriedByTransport } from '../../lib/workflow/retry-step.js';
import { fakeClient, httpError, L, R, sequence } from '../helpers/fake-client.js';
import { ACCEPTED, DONE, POLICY, REF } from './fixtures.js';

const FETCH_PATH = '/users/USR-1/members/MBR-1/fetch_statements';
const network = (method: 'GET' | 'POST', code: string): MxError => ({ _tag: 'NetworkError', method, path: FETCH_PATH, code, message: `${method} ${FETCH_PATH} failed: ${code}` });
const timeout = (method: 'GET' | 'POST'): MxError => ({ _tag: 'Timeout', method, path: FETCH_PATH, timeoutMs: 30_000, message: 'no answer' });

describe('workflow/retry-step: the step retry never multiplies the transport’s', () => {
  describe('retriedByTransport: what the transport already retried for the request’s method', () => {
    const cases: ReadonlyArray<[string, MxError, boolean]> = [
      ['POST, connection refused (never sent)', network('POST', 'ECONNREFUSED'), true],
      ['POST, 503', httpError('ServerError', 503, FETCH_PATH, 'POST'), true],
      ['POST, 429', httpError('RateLimited', 429, FETCH_PATH, 'POST'), true],
      ['GET, 503', httpError('ServerError', 503, FETCH_PATH, 'GET'), true],
      ['GET, 500', httpError('ServerError', 500, FETCH_PATH, 'GET'), true],
      ['GET, reset', network('GET', 'ECONNRESET'), true],
      ['GET, timeout', timeout('GET'), true],
      ['POST, reset (the server may have acted)', network('POST', 'ECONNRESET'), false],
      ['POST, timeout', timeout('POST'), false],
      ['POST, 500', httpError('ServerError', 500, FETCH_PATH, 'POST'), false],
      ['POST, 502', httpError('ServerError', 502, FETCH_PATH, 'POST'), false],
      ['POST, 504', httpError('ServerError', 504, FETCH_PATH, 'POST'), false],
      ['a 400 (never retried by anyone)', httpError('BadRequest', 400, FETCH_PATH, 'POST'), false],
    ];
    for (const [name, error, expected] of cases) {
      it(`${name}: ${expected ? 'the transport’s' : 'not the transport’s'}`, () => {
        expect(retriedByTransport(error)).to.equal(expected);
      });
    }
  });

  describe('in a run (fake client, virtual time)', () => {
    let ts: TestScheduler;
    beforeEach(() => {
      ts = new TestScheduler((a, b) => {
        expect(a).to.deep.equal(b);
      });
    });

    const run = (failure: MxError, notices: RetryNotice[]) => {
      const { client, calls } = fakeClient({
        members: { status$: () => ts.createColdObservable('(a|)', { a: R(DONE) }) },
        statements: {
          fetch$: sequence(
            ts.createColdObservable('-(e|)', { e: L(failure) }),
            ts.createColdObservable('-(m|)', { m: R(ACCEPTED) }),
          ),
          all$: () => ts.createColdObservable('(|)'),
        },
      }, { scheduler: ts });
      const announced = { ...client, config: { ...client.config, onRetry: (n: RetryNotice) => void notices.push(n) } };
      return { calls, out: fetchStatements$(announced, { member: REF, polling: POLICY, scheduler: ts, random: () => 1 }) };
    };

    it('a POST reset (the transport could not retry it) is repeated once, announced as attempt 1 of 4, then joined', () => {
      const notices: RetryNotice[] = [];
      ts.run(({ expectObservable }) => {
        const { out } = run(network('POST', 'ECONNRESET'), notices);
        // POST fails at 1; the step waits backoffDelay(1, base 5) = 5 → POST at 6 → 202 at 7; first poll 10 later
        expectObservable(out.pipe(map((r) => (E.isRight(r) ? r.right.type : r.left._tag)))).toBe('7ms a 9ms (bcd|)', {
          a: 'statements-job-started', b: 'status', c: 'connected', d: 'done',
        });
      });
      expect(notices).to.have.length(1);
      expect(notices[0]).to.deep.include({ method: 'POST', path: FETCH_PATH, attempt: 1, maxAttempts: 4, delayMs: 5 });
    });

    it('a POST refused connection left after the transport’s retries is not repeated: one call, the failure at once', () => {
      const notices: RetryNotice[] = [];
      let calls: ReturnType<typeof run>['calls'] = [];
      ts.run(({ expectObservable }) => {
        const r = run(network('POST', 'ECONNREFUSED'), notices);
        calls = r.calls;
        expectObservable(r.out).toBe('-(e|)', { e: L(network('POST', 'ECONNREFUSED')) });
      });
      expect(calls.filter((c) => c.name === 'statements.fetch$')).to.have.length(1);
      expect(notices).to.deep.equal([]);
    });

    it('a 503 on POST (retried by the transport) is not repeated either', () => {
      const notices: RetryNotice[] = [];
      const e503 = httpError('ServerError', 503, FETCH_PATH, 'POST');
      ts.run(({ expectObservable }) => {
        expectObservable(run(e503, notices).out).toBe('-(e|)', { e: L(e503) });
      });
      expect(notices).to.deep.equal([]);
    });
  });

  it('a host where nothing listens: exactly retry.maxAttempts requests for the whole run, each retry announced once', async function () {
    this.timeout(10_000);
    const port = await unusedPort();
    const sent: string[] = [];
    const counting: FetchLike = (url, init) => {
      sent.push(`${init?.method ?? 'GET'} ${new URL(url).pathname}`);
      return nodeFetch(url, init);
    };
    const notices: RetryNotice[] = [];
    const client = createMxClient({
      baseUrl: `http://127.0.0.1:${port}`, clientId: 'id', apiKey: 'key', fetch: counting,
      retry: { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 4 }, onRetry: (n) => void notices.push(n),
    });
    const results = await lastValueFrom(fetchStatements$(client, {
      user: { id: 'nobody' }, institution: { code: 'mxbank' }, credentials: { LOGIN: 'u', PASSWORD: 'p' }, stepRetries: 3,
    }).pipe(toArray()));
    expect(results).to.have.length(1);
    const last = results[0];
    expect(last && E.isLeft(last) && last.left).to.deep.include({ _tag: 'NetworkError', method: 'POST', path: '/users', code: 'ECONNREFUSED' });
    // Before: the step repeated the transport's 4 attempts 4 times (16 requests, "attempt 2 of 4" four times).
    expect(sent).to.deep.equal(['POST /users', 'POST /users', 'POST /users', 'POST /users']);
    expect(notices.map((n) => `${n.attempt}/${n.maxAttempts}`)).to.deep.equal(['1/4', '2/4', '3/4']);
  });
});

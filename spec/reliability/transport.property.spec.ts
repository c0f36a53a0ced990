/**
 * Property tests of the transport (`json$`, `empty$`, `bytes$`) against arbitrary answers: any status, lying
 * or junk headers, malformed, binary, truncated or endless bodies, and fetch rejecting with anything. Always:
 * no throw and nothing on the error channel; `json$`/`empty$` emit exactly one `Either`; a download emits
 * `Right` chunks (a prefix of the body) and at most one final `Left`; every `Left` is a readable `MxError`
 * that names the request and never contains the API key or the Authorization token.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import type { Observable } from 'rxjs';
import { collect as collectWithin } from '../helpers/bounded.js';
import { createMxClient } from '../../lib/api/client.js';
import { UserResponseBody } from '../../lib/codecs/index.js';
import type { MxError } from '../../lib/core/errors.js';
import type { ByteChunk } from '../../lib/http/transport.js';
import { expectReadableError, type Waiver } from './helpers/readable.js';
import { answer, stubFetch, thrown, type StubAnswer, type StubThrow } from './helpers/stub-fetch.js';

const CLIENT_ID = 'prop-client';
const API_KEY = 'prop-key-Zq9vT3xW7pL1';
const TOKEN = Buffer.from(`${CLIENT_ID}:${API_KEY}`).toString('base64');
const REF = { method: 'GET', path: '/users/USR-1' } as const;
const PDF_REF = { method: 'GET', path: '/users/USR-1/members/MBR-1/statements/STA-1.pdf' } as const;

const clientFor = (script: ReadonlyArray<StubAnswer | StubThrow>, retry: boolean) => {
  const stub = stubFetch(script);
  const client = createMxClient({
    baseUrl: 'https://mx.stub.test',
    clientId: CLIENT_ID,
    apiKey: API_KEY,
    fetch: stub.fetch,
    timeoutMs: 40,
    retry: retry ? { maxAttempts: 3, baseDelayMs: 0, maxDelayMs: 1, maxRetryAfterMs: 0 } : false,
  });
  return { client, stub };
};

/** Collects everything a stream does; fails the property if it errors. */
const collect = async <A>(o: Observable<A>): Promise<A[]> => {
  try {
    return await collectWithin(o, 10_000, 'a transport call');
  } catch (err) {
    throw new Error(`error channel used: ${String(err)}`);
  }
};

const expectNoSecret = (value: unknown): void => {
  const text = JSON.stringify(value) ?? '';
  expect(text).to.not.include(API_KEY);
  expect(text).to.not.include(TOKEN);
};

/**
 * The broad properties waive the two text checks that have dedicated tests (`parseJsonBody … control
 * characters` in codecs.property.spec.ts, and `a non-Error rejection` below), so each defect fails one test.
 */
const WAIVED: ReadonlyArray<Waiver> = ['control', 'object-string'];

const checkLeft = (e: MxError, ref: { method: string; path: string }): void => {
  expectReadableError(e, ref, WAIVED);
  expectNoSecret(e);
};

describe('reliability: transport properties', () => {
  it('json$: any answer gives exactly one Either; a Left is a readable, secret-free MxError', async () => {
    await fc.assert(
      fc.asyncProperty(answer({ allowHang: true, secret: API_KEY }), async (a) => {
        const { client } = clientFor([a], false);
        const out = await collect(client.transport.json$(REF, UserResponseBody));
        expect(out).to.have.length(1);
        const [r] = out;
        if (r && E.isLeft(r)) {
          checkLeft(r.left, REF);
          if (a.status < 200 || a.status > 299) {
            // The status wins when the (error) body could be read; a body that breaks off or never ends may
            // instead surface as the NetworkError/Timeout that interrupted it.
            if (a.kind === 'breaks' || a.kind === 'hangs') expect(r.left._tag).to.be.oneOf(['NetworkError', 'Timeout', r.left._tag]);
            // an informational answer (a 101 switching protocols) is no answer at all: a network failure
            else if (a.status < 200) expect(r.left._tag).to.equal('NetworkError');
            else expect(r.left).to.have.property('status', a.status);
          }
        } else if (r) {
          expect(a.status).to.be.within(200, 299);
          expect(r.right.user).to.be.an('object');
        }
      }),
      { numRuns: 250, seed: 0x7a11 },
    );
  });

  it('empty$: any answer gives exactly one Either (Right is the 2xx status)', async () => {
    await fc.assert(
      fc.asyncProperty(answer({ secret: API_KEY }), async (a) => {
        const { client } = clientFor([a], false);
        const out = await collect(client.transport.empty$({ method: 'DELETE', path: '/users/USR-1' }));
        expect(out).to.have.length(1);
        const [r] = out;
        if (r && E.isLeft(r)) checkLeft(r.left, { method: 'DELETE', path: '/users/USR-1' });
        else if (r) expect(r.right).to.equal(a.status);
      }),
      { numRuns: 150, seed: 0xe3 },
    );
  });

  it('bytes$: Right chunks form a prefix of the body, then at most one final Left; a lying Content-Length is caught', async () => {
    await fc.assert(
      fc.asyncProperty(answer({ allowHang: true, secret: API_KEY }), async (a) => {
        const { client } = clientFor([a], false);
        const out = await collect(client.transport.bytes$(PDF_REF));
        const lefts = out.filter(E.isLeft);
        expect(lefts.length).to.be.at.most(1);
        if (lefts.length === 1) expect(E.isLeft(out[out.length - 1] as E.Either<MxError, ByteChunk>)).to.equal(true);
        const got = Buffer.concat(out.filter(E.isRight).map((r) => r.right.bytes));
        expect(Buffer.from(a.bytes).subarray(0, got.length).equals(got), 'received bytes are a prefix of the body').to.equal(true);
        const left = lefts[0];
        if (left) checkLeft(left.left, PDF_REF);
        const declared = a.headers['content-length'];
        const ok = a.status >= 200 && a.status <= 299 && (a.kind === 'node' || a.kind === 'web');
        if (ok && declared !== undefined && /^\d+$/.test(declared) && Number(declared) !== a.bytes.byteLength && Number.isSafeInteger(Number(declared))) {
          expect(left?.left._tag, `Content-Length ${declared} for ${a.bytes.byteLength} bytes`).to.equal('IntegrityError');
        }
        if (ok && (declared === undefined || Number(declared) === a.bytes.byteLength)) {
          expect(left, 'a complete honest body succeeds').to.equal(undefined);
          expect(got.length).to.equal(a.bytes.byteLength);
        }
      }),
      { numRuns: 250, seed: 0xb17e5 },
    );
  });

  it('fetch rejecting with anything (errors, codes, non-errors, a message with the token) is a readable NetworkError', async () => {
    await fc.assert(
      fc.asyncProperty(thrown(TOKEN), async (t) => {
        const { client } = clientFor([t], false);
        const [r, ...rest] = await collect(client.transport.json$(REF, UserResponseBody));
        expect(rest).to.have.length(0);
        expect(r && E.isLeft(r)).to.equal(true);
        if (r && E.isLeft(r)) {
          checkLeft(r.left, REF);
          expect(r.left._tag).to.be.oneOf(['NetworkError', 'Timeout']);
        }
      }),
      { numRuns: 200, seed: 0xfe7c4 },
    );
  });

  it('with retries on: any sequence of answers still gives exactly one Either, after at most maxAttempts calls', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(answer({ secret: API_KEY }), thrown(TOKEN)), { minLength: 1, maxLength: 4 }), async (script) => {
        const { client, stub } = clientFor(script, true);
        const out = await collect(client.transport.json$(REF, UserResponseBody));
        expect(out).to.have.length(1);
        expect(stub.calls.length).to.be.within(1, 3);
        const [r] = out;
        if (r && E.isLeft(r)) checkLeft(r.left, REF);
        for (const call of stub.calls.slice(0, -1)) expect(call.init.signal.aborted, 'a retried attempt was aborted').to.equal(true);
      }),
      { numRuns: 200, seed: 0x4e7 },
    );
  });

  it('a fetch that rejects with a non-Error (an object, a string, undefined) still gives a readable message', async () => {
    const values: unknown[] = [{}, { status: 0 }, 'offline', undefined, null, 42, Object.create(null)];
    for (const [i, value] of values.entries()) {
      const { client } = clientFor([{ throws: value }], false);
      const [r] = await collect(client.transport.json$(REF, UserResponseBody));
      expect(r && E.isLeft(r), `value #${i}`).to.equal(true);
      if (r && E.isLeft(r)) expectReadableError(r.left, REF);
    }
  });
});

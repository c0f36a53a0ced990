import { request } from 'node:http';
import { expect } from 'chai';
import type { FaultKind, SandboxOptions } from '../../lib/sandbox/index.js';
import { until } from '../helpers/bounded.js';
import { expectErrorBody, PDF_ACCEPT, withApi, type Api, type Res } from './helpers.js';

/** A sandbox on a manual clock, for one test. */
const withSandbox = (options: SandboxOptions, body: (api: Api) => Promise<void>): Promise<void> =>
  withApi({ aggregationMs: 10, seed: 'faults', ...options }, body);

/** Whether a promise has settled, checked after a few turns of the event loop (no timers involved). */
const settledYet = async (p: Promise<unknown>): Promise<boolean> => {
  let settled = false;
  void p.then(
    () => (settled = true),
    () => (settled = true),
  );
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
  return settled;
};

/** Starts a call, waits until the sandbox holds it on a timer, and checks it is held until `ms` have passed. */
const expectHeldFor = async (api: Api, ms: number, call: () => Promise<Res>): Promise<Res> => {
  const clock = api.clock;
  if (!clock) throw new Error('needs a manual clock');
  const before = clock.pending;
  const pending = call();
  await until('the answer to be held on a timer', () => clock.pending > before);
  clock.advance(ms - 1);
  expect(await settledYet(pending), `answered before ${ms} ms`).to.equal(false);
  clock.advance(1);
  return pending;
};
const only = (kind: FaultKind, extra: Record<string, number> = {}): SandboxOptions => ({ faults: { rate: 1, kinds: [kind], ...extra } });

describe('sandbox: faults, rate limit, latency', () => {
  for (const kind of ['500', '502', '503'] as const) {
    it(`fault ${kind}: every request answered ${kind} with a JSON error`, async () => {
      await withSandbox(only(kind), async (api) => {
        const res = await api.call('createUser', 'POST', '/users', { body: { user: { id: 'f' } } });
        expectErrorBody(res, Number(kind));
        expect(res.json.error.message).to.contain('fault');
      });
    });
  }

  it('fault 429: answered 429 with Retry-After', async () => {
    await withSandbox({ faults: { rate: 1, kinds: ['429'], retryAfterSeconds: 2 } }, async (api) => {
      const res = await api.call('listInstitutions', 'GET', '/institutions');
      expectErrorBody(res, 429);
      expect(res.headers.get('retry-after')).to.equal('2');
    });
  });

  it('fault reset: the connection is reset with no answer', async () => {
    await withSandbox(only('reset'), async (api) => {
      const error = await new Promise<NodeJS.ErrnoException>((resolve) => {
        const headers = { Authorization: api.auth, 'Accept-Version': 'v20111101' };
        const req = request(`${api.sb.url}/institutions`, { headers, agent: false }, () => resolve(new Error('answered')));
        req.on('error', resolve);
        req.end();
      });
      expect(error.code).to.be.oneOf(['ECONNRESET', 'EPIPE']);
    });
  });

  it('fault slow: the answer comes after slowMs (on the sandbox clock)', async () => {
    await withSandbox({ faults: { rate: 1, kinds: ['slow'], slowMs: 150 } }, async (api) => {
      const res = await expectHeldFor(api, 150, () => api.call('readInstitution', 'GET', '/institutions/mxbank'));
      expect(res.status).to.equal(200);
    });
  });

  it('fault truncate: JSON untouched, a PDF body stops half way short of its Content-Length', async () => {
    await withSandbox(only('truncate'), async (api) => {
      const { u, m } = await api.userWithMember();
      await api.fetchStatements(u, m);
      await api.settled(u, m);
      const [s] = (await api.call('listStatementsByMember', 'GET', `/users/${u}/members/${m}/statements`)).json.statements;
      const got = await new Promise<{ length: number; received: number; error?: string }>((resolve) => {
        const headers = { Authorization: api.auth, Accept: PDF_ACCEPT, 'Accept-Version': 'v20111101' };
        const req = request(`${api.sb.url}${s.uri}`, { headers, agent: false }, (res) => {
          let received = 0;
          res.on('data', (c: Buffer) => (received += c.length));
          res.on('error', () => undefined);
          res.on('close', () => resolve({ length: Number(res.headers['content-length']), received, ...(res.complete ? {} : { error: 'incomplete' }) }));
        });
        req.on('error', (e) => resolve({ length: -1, received: -1, error: e.message }));
        req.end();
      });
      expect(got.error).to.equal('incomplete');
      expect(got.received).to.be.greaterThan(0);
      expect(got.received).to.be.below(got.length);
    });
  });

  it('hits a seeded fraction of requests, the same ones for the same seed', async () => {
    const pattern = async (): Promise<number[]> => {
      const statuses: number[] = [];
      await withSandbox({ faults: { rate: 0.3, kinds: ['503'] }, seed: 'fraction' }, async (api) => {
        for (let i = 0; i < 40; i++) statuses.push((await api.call('readInstitution', 'GET', '/institutions/mxbank')).status);
      });
      return statuses;
    };
    const a = await pattern();
    const b = await pattern();
    expect(a).to.deep.equal(b);
    const hits = a.filter((s) => s === 503).length;
    expect(hits).to.be.within(4, 24);
  });

  it('rateLimit N: more than N requests per second per client → 429 with Retry-After ≥ 1, then recovers', async () => {
    await withSandbox({ rateLimit: 5 }, async (api) => {
      const statuses: number[] = [];
      let retryAfter: string | null = null;
      for (let i = 0; i < 8; i++) {
        const res = await api.call('readInstitution', 'GET', '/institutions/mxbank');
        statuses.push(res.status);
        if (res.status === 429) retryAfter = res.headers.get('retry-after');
      }
      expect(statuses.slice(0, 5)).to.deep.equal([200, 200, 200, 200, 200]);
      expect(statuses).to.include(429);
      expect(Number(retryAfter)).to.be.at.least(1);
      expect((await api.call('readInstitution', 'GET', '/institutions/mxbank')).status).to.equal(429);
      api.clock?.advance(450); // 5 tokens per second: 450 ms later there are two again
      expect((await api.call('readInstitution', 'GET', '/institutions/mxbank')).status).to.equal(200);
      expect((await api.call('readInstitution', 'GET', '/institutions/mxbank')).status).to.equal(200);
      expect((await api.call('readInstitution', 'GET', '/institutions/mxbank')).status).to.equal(429);
    });
  });

  it('latencyMs delays every answer (on the sandbox clock)', async () => {
    await withSandbox({ latencyMs: 80 }, async (api) => {
      expect((await expectHeldFor(api, 80, () => api.call('readInstitution', 'GET', '/institutions/mxbank'))).status).to.equal(200);
      expect((await expectHeldFor(api, 80, () => api.call('listUsers', 'GET', '/users'))).status).to.equal(200);
    });
  });
});

import { request } from 'node:http';
import { expect } from 'chai';
import { startSandbox, type FaultKind, type SandboxOptions } from '../../lib/sandbox/index.js';
import { Api, expectErrorBody, PDF_ACCEPT } from './helpers.js';

const withSandbox = async (options: SandboxOptions, body: (api: Api) => Promise<void>): Promise<void> => {
  const api = new Api(await startSandbox({ aggregationMs: 10, seed: 'faults', ...options }));
  try {
    await body(api);
  } finally {
    await api.sb.close();
  }
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
        const req = request(`${api.sb.url}/institutions`, { headers: { Authorization: api.auth }, agent: false }, () => resolve(new Error('answered')));
        req.on('error', resolve);
        req.end();
      });
      expect(error.code).to.be.oneOf(['ECONNRESET', 'EPIPE']);
    });
  });

  it('fault slow: the answer comes after slowMs', async () => {
    await withSandbox({ faults: { rate: 1, kinds: ['slow'], slowMs: 150 } }, async (api) => {
      const t0 = Date.now();
      const res = await api.call('readInstitution', 'GET', '/institutions/mxbank');
      expect(res.status).to.equal(200);
      expect(Date.now() - t0).to.be.at.least(140);
    });
  });

  it('fault truncate: JSON untouched, a PDF body stops half way short of its Content-Length', async () => {
    await withSandbox(only('truncate'), async (api) => {
      const { u, m } = await api.userWithMember();
      await api.fetchStatements(u, m);
      await api.settled(u, m);
      const [s] = (await api.call('listStatementsByMember', 'GET', `/users/${u}/members/${m}/statements`)).json.statements;
      const got = await new Promise<{ length: number; received: number; error?: string }>((resolve) => {
        const req = request(`${api.sb.url}${s.uri}`, { headers: { Authorization: api.auth, Accept: PDF_ACCEPT }, agent: false }, (res) => {
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
      await new Promise((r) => setTimeout(r, 450));
      expect((await api.call('readInstitution', 'GET', '/institutions/mxbank')).status).to.equal(200);
    });
  });

  it('latencyMs delays every answer', async () => {
    await withSandbox({ latencyMs: 80 }, async (api) => {
      const t0 = Date.now();
      await api.call('readInstitution', 'GET', '/institutions/mxbank');
      expect(Date.now() - t0).to.be.at.least(75);
    });
  });
});

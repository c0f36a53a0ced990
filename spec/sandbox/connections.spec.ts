import { connect, type Socket } from 'node:net';
import { expect } from 'chai';
import { REAL_CLOCK } from '../../lib/sandbox/clock.js';
import { until } from '../helpers/bounded.js';
import { V1_HEADERS, withApi, type Api } from './helpers.js';

/** Opens `n` connections that send half a request and then nothing (a slow-loris client). */
const slowClients = (api: Api, n: number) => {
  const sockets: Socket[] = [];
  const replies: string[] = [];
  let closed = 0;
  for (let i = 0; i < n; i++) {
    const socket = connect(api.sb.port, '127.0.0.1', () => socket.write('GET /institutions HTTP/1.1\r\nHost: sandbox\r\nX-Slow: '));
    socket.on('data', (d: Buffer) => replies.push(d.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => (closed += 1));
    sockets.push(socket);
  }
  return {
    replies,
    get closed() {
      return closed;
    },
    destroy: () => {
      for (const s of sockets) s.destroy();
    },
  };
};

const normalRequest = async (api: Api): Promise<number> => {
  const res = await fetch(`${api.sb.url}/institutions/mxbank`, { headers: { Authorization: api.auth, ...V1_HEADERS } });
  await res.text();
  return res.status;
};

describe('sandbox: connection limits (maxConnections, headersTimeoutMs)', function () {
  this.timeout(30_000);

  it('sheds a flood of slow connections (oldest idle first) and keeps serving normal requests', async () => {
    await withApi({ maxConnections: 50, headersTimeoutMs: 20_000, clock: REAL_CLOCK }, async (api) => {
      const flood = slowClients(api, 300);
      try {
        // at most 50 stay open: the other 250 were closed to make room, while normal requests keep being served
        await until('the excess to be shed', () => flood.closed >= 250, 10_000);
        const statuses = await Promise.all(Array.from({ length: 20 }, () => normalRequest(api)));
        expect(statuses).to.deep.equal(Array.from({ length: 20 }, () => 200));
        expect(flood.closed).to.be.within(250, 300);
        // none of the slow clients got an answer: they never finished a request
        expect(flood.replies.join('')).to.not.contain('HTTP/1.1 200');
      } finally {
        flood.destroy();
      }
    });
  });

  it('closes a connection that does not finish its headers within headersTimeoutMs', async () => {
    await withApi({ maxConnections: 100, headersTimeoutMs: 300, clock: REAL_CLOCK }, async (api) => {
      const flood = slowClients(api, 20);
      try {
        expect(await normalRequest(api)).to.equal(200);
        await until('the slow connections to time out', () => flood.closed === 20, 10_000);
        expect(await normalRequest(api)).to.equal(200);
      } finally {
        flood.destroy();
      }
    });
  });

  it('when every connection is busy, a new one gets 429 (too many concurrent connections) and is closed', async () => {
    // on a manual clock, `latencyMs` holds each request (busy) until the clock moves
    await withApi({ maxConnections: 2, latencyMs: 1000 }, async (api) => {
      const clock = api.clock;
      if (!clock) throw new Error('manual clock expected');
      const held = [normalRequest(api), normalRequest(api)];
      await until('two requests held', () => clock.pending === 2);
      const extra = slowClients(api, 1);
      try {
        await until('the refusal', () => extra.closed === 1, 10_000);
        const reply = extra.replies.join('');
        expect(reply).to.match(/^HTTP\/1\.1 429 Too Many Requests\r\n/);
        expect(reply).to.contain('X-MX-Sandbox: mx-statements-rx');
        expect(reply).to.contain('too many concurrent connections');
      } finally {
        extra.destroy();
      }
      clock.advance(1000);
      expect(await Promise.all(held)).to.deep.equal([200, 200]);
    });
  });
});

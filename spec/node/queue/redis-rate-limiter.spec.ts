import { expect } from 'chai';
import { firstValueFrom, timeout } from 'rxjs';
import { startRedisServer, type RedisServer } from '../../../bench/lib/redis-server.js';
import { loadQueuePeers, MissingQueuePeersError } from '../../../lib/node/queue/peers.js';
import { createRedisRateLimiter } from '../../../lib/node/queue/redis-rate-limiter.js';

describe('node/queue: one rate limit for several processes (Redis)', function () {
  this.timeout(60_000);
  let redis: RedisServer;
  before(async () => {
    redis = await startRedisServer();
  });
  after(async () => {
    await redis?.stop();
  });

  it('keeps two limiters (two connections, as two processes) together under the rate, by priority in each', async () => {
    const a = await createRedisRateLimiter({ url: redis.url, queue: 'rl-spec', requestsPerSecond: 50 });
    const b = await createRedisRateLimiter({ url: redis.url, queue: 'rl-spec', requestsPerSecond: 50 });
    try {
      const times: number[] = [];
      const order: string[] = [];
      const t0 = performance.now();
      const take = (limiter: typeof a, name: string, p: 'finish' | 'poll') =>
        new Promise<void>((resolve) => {
          limiter.acquire(p).subscribe(() => {
            times.push(performance.now() - t0);
            order.push(name);
            resolve();
          });
        });
      const all: Promise<void>[] = [];
      for (let i = 0; i < 30; i++) all.push(take(a, `a-poll-${i}`, 'poll'), take(b, `b-${i}`, 'finish'));
      // a download joining process a's line late still goes before a's waiting polls
      all.push(new Promise<void>((resolve) => setTimeout(() => resolve(take(a, 'a-pdf', 'finish')), 200)));
      await Promise.race([Promise.all(all), new Promise((_, reject) => setTimeout(() => reject(new Error('limiters stalled')), 20_000))]);
      times.sort((x, y) => x - y);
      expect(times).to.have.length(61);
      for (const start of times) expect(times.filter((t) => t >= start && t < start + 1000).length).to.be.at.most(52);
      expect(times.at(-1)! - times[0]!).to.be.at.least(1100); // 61 slots at 20 ms
      expect(order.indexOf('a-pdf')).to.be.below(order.indexOf('a-poll-29'));
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('serves back-to-back requests of one process and leaves no backlog', async () => {
    const limiter = await createRedisRateLimiter({ url: redis.url, queue: 'rl-spec-2', requestsPerSecond: 1000 });
    try {
      const both = Promise.all([firstValueFrom(limiter.acquire('normal').pipe(timeout(5000))), firstValueFrom(limiter.acquire('poll').pipe(timeout(5000)))]);
      expect(limiter.backlog().total).to.equal(2);
      await both;
      expect(limiter.backlog().total).to.equal(0);
    } finally {
      await limiter.close();
    }
  });

  it('says which optional packages are missing, and how to install them', async () => {
    const err = await loadQueuePeers(async (name) => (name === 'bullmq' ? undefined : {})).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(MissingQueuePeersError);
    expect(String(err)).to.include('bullmq').and.include('npm install bullmq ioredis');
    const both = await loadQueuePeers(async () => undefined).catch((e: unknown) => e);
    expect((both as MissingQueuePeersError).missing).to.deep.equal(['bullmq', 'ioredis']);
    const bad = await createRedisRateLimiter({ url: redis.url, requestsPerSecond: 0 }).catch((e: unknown) => e);
    expect(bad).to.be.instanceOf(RangeError);
  });
});

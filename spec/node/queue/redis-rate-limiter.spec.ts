import { expect } from 'chai';
import { asyncScheduler, firstValueFrom, timeout } from 'rxjs';
import { createPriorityLimiter, type RateLimiter, type RequestPriority } from '../../../lib/http/rate-limiter.js';
import { queueName, rateKey } from '../../../lib/node/queue/names.js';
import { loadQueuePeers, MissingQueuePeersError, type RedisScripting } from '../../../lib/node/queue/peers.js';
import { createRedisRateLimiter, redisSlotClock } from '../../../lib/node/queue/redis-rate-limiter.js';
import { until, within } from '../../helpers/bounded.js';
import { INSTALL_TIMEOUT_MS } from '../../helpers/debian-tool.js';
import { startRedisServer, type RedisServer } from '../../helpers/redis-server.js';

const RATE = 50;

describe('node/queue: one rate limit for several processes (Redis)', function () {
  this.timeout(60_000);
  let redis: RedisServer;
  before(async function () {
    this.timeout(2 * INSTALL_TIMEOUT_MS + 20_000); // redis-server may be installed first
    redis = await startRedisServer();
  });
  after(async () => {
    await redis?.stop();
  });

  it('keeps two limiters (two connections, as two processes) together under the rate, by priority in each', async () => {
    // The limiters of createRedisRateLimiter, built from the same parts, with each Redis connection recording the
    // slots Redis booked (µs on Redis's clock): the rate is asserted on those, not on this process's timers.
    const { Redis } = await loadQueuePeers();
    const key = rateKey(queueName({ url: redis.url, queue: 'rl-spec' }));
    const connections = [new Redis(redis.url, {}), new Redis(redis.url, {})];
    const slots: number[] = [];
    const recording = (r: RedisScripting): RedisScripting => ({
      eval: async (script, numKeys, ...args) => {
        const reply = await r.eval(script, numKeys, ...args);
        if (Array.isArray(reply) && reply.length === 3) slots.push(Number(reply[2])); // [wait, booked, slot]
        return reply;
      },
    });
    const [a, b] = connections.map((c) => createPriorityLimiter(RATE, redisSlotClock(recording(c), key, { requestsPerSecond: RATE }), asyncScheduler));
    try {
      const order: string[] = [];
      const take = (limiter: RateLimiter, name: string, p: RequestPriority) =>
        firstValueFrom(limiter.acquire(p)).then(() => {
          order.push(name);
        });
      const all: Promise<void>[] = [];
      for (let i = 0; i < 30; i++) all.push(take(a!, `a-poll-${i}`, 'poll'), take(b!, `b-${i}`, 'finish'));
      // a download joining process a's line once three of its polls were served still goes before a's waiting polls
      all.push(until('three polls of a served', () => order.filter((n) => n.startsWith('a-poll')).length >= 3, 10_000).then(() => take(a!, 'a-pdf', 'finish')));
      await within(Promise.all(all), 20_000, 'every slot of both limiters');
      expect(slots).to.have.length(61);
      const sorted = [...slots].sort((x, y) => x - y);
      const intervalUs = 1_000_000 / RATE;
      for (let i = 1; i < sorted.length; i++) expect(sorted[i]! - sorted[i - 1]!, `slot ${i}`).to.be.at.least(intervalUs);
      for (const start of sorted) expect(sorted.filter((t) => t >= start && t < start + 1_000_000).length).to.be.at.most(RATE);
      expect(order.indexOf('a-pdf')).to.be.below(order.indexOf('a-poll-29'));
    } finally {
      await Promise.all(connections.map((c) => c.quit()));
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

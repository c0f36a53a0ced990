import { expect } from 'chai';
import { concatMap, map, merge, range, take, timer } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { createMxClient } from '../../lib/api/client.js';
import { fakeFetch } from '../helpers/fake-fetch.js';
import { runVirtual, virtualScheduler } from '../helpers/virtual-time.js';
import { createPriorityLimiter, createRateLimiter, requestPriorityOf, type RequestPriority, type SlotClock } from '../../lib/http/rate-limiter.js';

describe('http/rate-limiter', () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => {
      expect(actual).to.deep.equal(expected);
    });
  });

  it('spaces requests 1000/rps apart, first come first served', () => {
    scheduler.run(({ expectObservable }) => {
      const limiter = createRateLimiter({ requestsPerSecond: 10 }, scheduler);
      const five = range(0, 5).pipe(concatMap((i) => limiter.acquire$.pipe(map(() => String(i)))));
      // four more arrive at once: each waits for its own slot
      expectObservable(merge(...[0, 1, 2, 3].map((i) => limiter.acquire$.pipe(map(() => 'abcd'[i]!)))))
        .toBe('a 99ms b 99ms c 99ms (d|)');
      expectObservable(five).toBe('400ms 0 99ms 1 99ms 2 99ms 3 99ms (4|)');
    });
  });

  it('lets a burst through at once after a quiet period, then spaces the rest', () => {
    scheduler.run(({ expectObservable }) => {
      const limiter = createRateLimiter({ requestsPerSecond: 10, burst: 3 }, scheduler);
      const calls = merge(...[0, 1, 2, 3, 4].map((i) => limiter.acquire$.pipe(map(() => 'abcde'[i]!))));
      expectObservable(calls).toBe('(abc) 95ms d 99ms (e|)');
    });
  });

  it('hands back a slot booked by a subscriber that left before its turn', () => {
    scheduler.run(({ expectObservable }) => {
      const limiter = createRateLimiter({ requestsPerSecond: 10 }, scheduler);
      limiter.acquire$.subscribe(); // takes t=0
      limiter.acquire$.pipe(take(0)).subscribe(); // books 100 and leaves at once
      const late = timer(50, scheduler).pipe(concatMap(() => limiter.acquire$), map(() => 'x'));
      expectObservable(late).toBe('100ms (x|)');
    });
  });

  it('keeps a sustained 50 rps stream at 50 per second in any one-second window', () => {
    const times: number[] = [];
    scheduler.run(() => {
      const limiter = createRateLimiter({ requestsPerSecond: 50 }, scheduler);
      merge(...Array.from({ length: 150 }, () => limiter.acquire$)).subscribe(() => times.push(scheduler.now()));
    });
    expect(times).to.have.length(150);
    for (const start of times) expect(times.filter((t) => t >= start && t < start + 1000).length).to.be.at.most(50);
    expect(times.at(-1)).to.equal(149 * 20);
  });
});

describe('http/rate-limiter priorities', () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => {
      expect(actual).to.deep.equal(expected);
    });
  });

  it('gives each slot to the most urgent waiter at that moment, first come first served within a priority', () => {
    const order: string[] = [];
    scheduler.run(() => {
      const limiter = createRateLimiter({ requestsPerSecond: 10 }, scheduler);
      const go = (name: string, p: RequestPriority) => limiter.acquire(p).subscribe(() => order.push(`${name}@${scheduler.now()}`));
      go('poll-1', 'poll'); // t=0, nobody waits: now
      go('poll-2', 'poll');
      go('start-1', 'start');
      go('prefetch-1', 'prefetch');
      // a download arriving while the others wait still goes first
      timer(50, scheduler).subscribe(() => {
        go('pdf-1', 'finish');
        go('pdf-2', 'finish');
        go('create', 'normal');
      });
    });
    expect(order).to.deep.equal(['poll-1@0', 'pdf-1@100', 'pdf-2@200', 'create@300', 'start-1@400', 'prefetch-1@500', 'poll-2@600']);
  });

  it('reports its backlog by priority, and every change on backlog$', () => {
    const seen: number[] = [];
    scheduler.run(() => {
      const limiter = createRateLimiter({ requestsPerSecond: 10 }, scheduler);
      limiter.backlog$.subscribe((b) => seen.push(b.total));
      limiter.acquire('finish').subscribe();
      limiter.acquire('poll').subscribe();
      limiter.acquire('poll').subscribe();
      const b = limiter.backlog();
      expect(b.waiting).to.deep.equal({ finish: 0, normal: 0, start: 0, prefetch: 0, poll: 2 });
      expect(b.drainMs).to.equal(200);
    });
    expect(seen).to.deep.equal([0, 1, 2, 1, 0]);
  });

  it('hands the booked slot back when every waiter left, and forgets a waiter that left', () => {
    const order: string[] = [];
    scheduler.run(() => {
      const limiter = createRateLimiter({ requestsPerSecond: 10 }, scheduler);
      limiter.acquire('finish').subscribe(); // t=0
      const gone = limiter.acquire('finish').subscribe(() => order.push('gone')); // books t=100
      const stays = limiter.acquire('poll');
      timer(10, scheduler).subscribe(() => {
        gone.unsubscribe();
        stays.subscribe(() => order.push(`poll@${scheduler.now()}`));
      });
      timer(20, scheduler).subscribe(() => expect(limiter.backlog().total).to.equal(1));
    });
    expect(order).to.deep.equal(['poll@100']);
  });

  it('rejects an unknown priority as a bug', () => {
    const limiter = createRateLimiter({ requestsPerSecond: 10 }, scheduler);
    let error: unknown;
    limiter.acquire('urgent' as RequestPriority).subscribe({ error: (e: unknown) => { error = e; } });
    expect(String(error)).to.match(/unknown priority urgent/);
  });

  it('works over a clock that answers later (a shared one), and hands a slot back best effort', () => {
    const order: string[] = [];
    let booked = 0;
    let unbooked = 0;
    scheduler.run(({ cold }) => {
      // every slot is 30 ms from the moment the clock answers, and the clock answers after 5 ms
      const clock: SlotClock = {
        book: () => {
          booked += 1;
          return cold('5ms (a|)', { a: 30 });
        },
        unbook: () => {
          unbooked += 1;
        },
      };
      const limiter = createPriorityLimiter(10, clock, scheduler);
      limiter.acquire('poll').subscribe(() => order.push(`a@${scheduler.now()}`));
      limiter.acquire('finish').subscribe(() => order.push(`b@${scheduler.now()}`));
      const c = limiter.acquire('poll').subscribe(() => order.push('c'));
      timer(80, scheduler).subscribe(() => c.unsubscribe());
    });
    // b (finish) overtakes a (poll) for the first slot, a gets the second, c left while the third was booked
    expect(order).to.deep.equal(['b@35', 'a@70']);
    expect(booked).to.equal(3);
    expect(unbooked).to.equal(1);
  });
});

describe('http/rate-limiter over a failing shared clock', () => {
  it('asks the clock again after one interval when it fails, rather than stalling every request', () => {
    const scheduler = new TestScheduler((a, b) => {
      expect(a).to.deep.equal(b);
    });
    const times: number[] = [];
    scheduler.run(({ cold }) => {
      let books = 0;
      const clock: SlotClock = {
        book: () => (++books === 1 ? cold('5ms #') : cold('5ms (a|)', { a: 0 })),
        unbook: () => undefined,
      };
      const limiter = createPriorityLimiter(10, clock, scheduler);
      limiter.acquire('finish').subscribe(() => times.push(scheduler.now()));
    });
    // failed at 5 ms, asked again at 105 ms (one interval later), answered "now" at 110 ms
    expect(times).to.deep.equal([110]);
  });
});

describe('http/requestPriorityOf', () => {
  it('ranks downloads and listings first, job starts and polls last', () => {
    const m = '/users/USR-1/members/MBR-1';
    expect(requestPriorityOf('GET', `${m}/statements/STA-1.pdf`)).to.equal('finish');
    expect(requestPriorityOf('GET', `${m}/statements?page=2&records_per_page=1000`)).to.equal('finish');
    expect(requestPriorityOf('GET', '/users?page=1')).to.equal('finish');
    expect(requestPriorityOf('GET', '/users/USR-1/members?page=3')).to.equal('finish');
    expect(requestPriorityOf('GET', `${m}/status`)).to.equal('poll');
    expect(requestPriorityOf('POST', `${m}/fetch_statements`)).to.equal('start');
    expect(requestPriorityOf('POST', `${m}/aggregate`)).to.equal('start');
    expect(requestPriorityOf('POST', '/users/USR-1/members')).to.equal('normal');
    expect(requestPriorityOf('PUT', `${m}/resume`)).to.equal('normal');
    expect(requestPriorityOf('GET', `${m}`)).to.equal('normal');
  });
});

describe('http/rate-limiter through the client', () => {
  it('sends queued downloads before queued polls, and a request may name its own priority', async () => {
    const scheduler = virtualScheduler();
    const fake = fakeFetch(Array.from({ length: 5 }, () => ({ status: 200, body: '{}' })), () => scheduler.now());
    const client = createMxClient({
      baseUrl: 'https://mx.test', clientId: 'id', apiKey: 'key', scheduler, rateLimit: { requestsPerSecond: 10 }, fetch: fake.fetch, downloadFetch: fake.fetch,
    });
    const m = '/users/U/members/M';
    const t = client.transport;
    expect(t.limiter?.requestsPerSecond).to.equal(10);
    const done$ = merge(
      t.empty$({ method: 'GET', path: `${m}/status` }), // now (nobody waits)
      t.empty$({ method: 'GET', path: `${m}/status` }),
      t.empty$({ method: 'POST', path: `${m}/fetch_statements` }),
      t.bytes$({ method: 'GET', path: `${m}/statements/S.pdf` }),
      t.empty$({ method: 'GET', path: `${m}/statements/S.pdf`, priority: 'poll' }),
    );
    await runVirtual(scheduler, done$);
    expect(fake.calls.map((c) => `${c.init.method} ${new URL(c.url).pathname.slice(m.length)} @${c.at}`)).to.deep.equal([
      'GET /status @0', 'GET /statements/S.pdf @100', 'POST /fetch_statements @200', 'GET /status @300', 'GET /statements/S.pdf @400',
    ]);
  });

  it('uses a limiter given in the config instead of building one', () => {
    const limiter = createRateLimiter({ requestsPerSecond: 3 }, virtualScheduler());
    const client = createMxClient({ baseUrl: 'https://mx.test', clientId: 'id', apiKey: 'key', rateLimit: { requestsPerSecond: 50 }, rateLimiter: limiter });
    expect(client.transport.limiter).to.equal(limiter);
    expect(() => createMxClient({ baseUrl: 'https://mx.test', clientId: 'id', apiKey: 'key', rateLimiter: {} as never })).to.throw(/rateLimiter/);
  });
});

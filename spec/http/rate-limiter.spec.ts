import { expect } from 'chai';
import { concatMap, map, merge, range, take, timer } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { createRateLimiter } from '../../lib/http/rate-limiter.js';

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

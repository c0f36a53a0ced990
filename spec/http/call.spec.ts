import { expect } from 'chai';
import * as E from 'fp-ts/lib/Either.js';
import type { VirtualTimeScheduler } from 'rxjs';
import { DEFAULT_RETRY } from '../../lib/core/config.js';
import type { MxError } from '../../lib/core/errors.js';
import { call$, type CallContext, type CallSpec } from '../../lib/http/call.js';
import type { WireRequest } from '../../lib/http/exchange.js';
import { createRateLimiter } from '../../lib/http/rate-limiter.js';
import { fakeFetch, type Script } from '../helpers/fake-fetch.js';
import { runVirtual, virtualScheduler } from '../helpers/virtual-time.js';

const wire: WireRequest = { method: 'GET', path: '/users', url: 'https://mx.example.test/users', headers: {}, secrets: [] };
const ok: Script = { status: 200, body: 'body' };

const context = (scheduler: VirtualTimeScheduler, overrides: Partial<CallContext> = {}): CallContext => ({
  limiter: undefined,
  scheduler,
  timeoutMs: 1000,
  retry: { ...DEFAULT_RETRY, baseDelayMs: 100, maxDelayMs: 100, maxAttempts: 3 },
  random: () => 1,
  ...overrides,
});

/** A promise that settles after `ms` of virtual time. */
const after = (scheduler: VirtualTimeScheduler, ms: number): Promise<void> =>
  new Promise((resolve) => scheduler.schedule(() => resolve(), ms));

const tagOf = (value: E.Either<MxError, unknown> | undefined): string | undefined =>
  value !== undefined && E.isLeft(value) ? value.left._tag : undefined;

describe('http/call: call$', () => {
  it('in stream mode restarts the timeout at every piece: a long body that never stalls completes', async () => {
    const scheduler = virtualScheduler();
    const fake = fakeFetch([ok], () => scheduler.now());
    const spec: CallSpec<number> = {
      fetch: fake.fetch, wire, mode: 'stream',
      read: async (_res, emit) => {
        for (let i = 1; i <= 5; i++) {
          await after(scheduler, 600);
          emit(i);
        }
      },
    };
    const { values, completedAt } = await runVirtual(scheduler, call$(context(scheduler), () => spec));
    expect(values).to.deep.equal([1, 2, 3, 4, 5].map((i) => E.right(i)));
    expect(completedAt).to.equal(3000);
    expect(fake.calls).to.have.length(1);
  });

  it('in stream mode a stall after pieces were passed on is a final Timeout: aborted, never retried', async () => {
    const scheduler = virtualScheduler();
    const fake = fakeFetch([ok, ok, ok], () => scheduler.now());
    const spec: CallSpec<number> = {
      fetch: fake.fetch, wire, mode: 'stream',
      read: async (_res, emit) => {
        emit(1);
        await after(scheduler, 5000);
        emit(2);
      },
    };
    const { values } = await runVirtual(scheduler, call$(context(scheduler), () => spec));
    expect(values[0]).to.deep.equal(E.right(1));
    expect(tagOf(values[1])).to.equal('Timeout');
    expect(values).to.have.length(2);
    expect(fake.calls).to.have.length(1);
    expect(fake.calls[0]!.init.signal.aborted).to.equal(true);
  });

  it('in whole mode the timeout covers the whole body: each slow attempt is aborted and retried, then Timeout', async () => {
    const scheduler = virtualScheduler();
    const fake = fakeFetch([ok, ok, ok], () => scheduler.now());
    const spec: CallSpec<string> = {
      fetch: fake.fetch, wire, mode: 'whole',
      read: async () => {
        await after(scheduler, 1500);
        return 'late';
      },
      decode: E.right,
    };
    const { values } = await runVirtual(scheduler, call$(context(scheduler), () => spec));
    expect(values.map(tagOf)).to.deep.equal(['Timeout']);
    expect(fake.calls.map((c) => c.at)).to.deep.equal([0, 1100, 2200]);
    expect(fake.calls.every((c) => c.init.signal.aborted)).to.equal(true);
  });

  it('passes a decode Left on as final (one request), and sends a decode that throws (a bug) to the error channel', async () => {
    const scheduler = virtualScheduler();
    const fake = fakeFetch([ok, ok], () => scheduler.now());
    const refused: MxError = { _tag: 'DecodeError', method: 'GET', path: '/users', message: 'no', errors: [] };
    const left = await runVirtual(scheduler, call$(context(scheduler), (): CallSpec<string> => ({
      fetch: fake.fetch, wire, mode: 'whole', read: (res) => res.text(), decode: () => E.left(refused),
    })));
    expect(left.values).to.deep.equal([E.left(refused)]);
    expect(fake.calls).to.have.length(1);

    const thrown = await runVirtual(scheduler, call$(context(scheduler), (): CallSpec<string> => ({
      fetch: fake.fetch, wire, mode: 'whole', read: (res) => res.text(), decode: () => { throw new TypeError('bug'); },
    })));
    expect(thrown.values).to.deep.equal([]);
    expect(thrown.error).to.be.instanceOf(TypeError);
  });

  it('a throw while a timeout is handled (a random that throws) reaches the error channel, nothing is left running', async () => {
    const scheduler = virtualScheduler();
    const fake = fakeFetch([{ hang: true }], () => scheduler.now());
    const broken = context(scheduler, { random: () => { throw new RangeError('random broke'); } });
    const { values, error } = await runVirtual(scheduler, call$(broken, (): CallSpec<string> => ({
      fetch: fake.fetch, wire, mode: 'whole', read: (res) => res.text(), decode: E.right,
    })));
    expect(values).to.deep.equal([]);
    expect(error).to.be.instanceOf(RangeError);
    expect(scheduler.actions).to.have.length(0);
    expect(fake.calls[0]!.init.signal.aborted).to.equal(true);
  });

  it('unsubscribing during the delay before a retry sends nothing more and leaves no timer', async () => {
    const scheduler = virtualScheduler();
    const fake = fakeFetch([{ status: 503 }, ok], () => scheduler.now());
    const sub = call$(context(scheduler), (): CallSpec<string> => ({
      fetch: fake.fetch, wire, mode: 'whole', read: (res) => res.text(), decode: E.right,
    })).subscribe();
    for (let i = 0; i < 20 && scheduler.actions[0]?.delay !== 100; i++) await new Promise((r) => setImmediate(r));
    expect(scheduler.actions.map((a) => a.delay)).to.deep.equal([100]);
    sub.unsubscribe();
    expect(scheduler.actions).to.have.length(0);
    scheduler.flush();
    expect(fake.calls).to.have.length(1);
  });

  it('takes a rate-limit token for every attempt, retries included', async () => {
    const scheduler = virtualScheduler();
    const fake = fakeFetch([{ status: 503 }, ok], () => scheduler.now());
    const limiter = createRateLimiter({ requestsPerSecond: 1 }, scheduler);
    const { values } = await runVirtual(scheduler, call$(context(scheduler, { limiter }), (): CallSpec<string> => ({
      fetch: fake.fetch, wire, mode: 'whole', read: (res) => res.text(), decode: E.right,
    })));
    expect(values).to.deep.equal([E.right('body')]);
    // The retry's backoff (100 ms) ends before the next token (1000 ms): the token decides.
    expect(fake.calls.map((c) => c.at)).to.deep.equal([0, 1000]);
  });
});

/**
 * rightOrThrow / errorToLeft / LeftError / isLeftError: moving a Left between the value channel and RxJS's
 * error channel, in marbles (TestScheduler), and with retry resubscribing a cold source.
 */
import { expect } from 'chai';
import * as E from 'fp-ts/lib/Either.js';
import { catchError, defer, lastValueFrom, of, retry, throwError, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { MxError, NotFound, RateLimited } from '../../lib/core/errors.js';
import { LeftError, errorToLeft, isLeftError, rightOrThrow, type MxObservable } from '../../lib/core/observable-either.js';
import type { FileSystemError } from '../../lib/node/fs-error.js';

const notFound: NotFound = { _tag: 'NotFound', method: 'GET', path: '/users/USR-1', status: 404, message: 'GET /users/USR-1 → 404 not found' };
const limited: RateLimited = { _tag: 'RateLimited', method: 'GET', path: '/users', status: 429, message: 'GET /users → 429 rate limited' };
const disk: FileSystemError = { _tag: 'FileSystemError', method: 'WRITE', path: 'MBR-1/STA-1.pdf', message: 'no space left on device (ENOSPC)', code: 'ENOSPC' };

const marbles = () => new TestScheduler((actual, expected) => {
  expect(actual).to.deep.equal(expected);
});

describe('core/observable-either: rightOrThrow', () => {
  it('passes Right values on and turns a Left into a LeftError carrying it (marbles)', () => {
    marbles().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<E.Either<MxError, number>>('-a-b-l-c|', { a: E.right(1), b: E.right(2), l: E.left(notFound), c: E.right(3) });
      expectObservable(source.pipe(rightOrThrow())).toBe('-a-b-#', { a: 1, b: 2 }, new LeftError(notFound));
      // the Left ends the subscription: nothing after it is read
      expectSubscriptions(source.subscriptions).toBe('^----!');
    });
  });

  it('throws an Error subclass whose message names the tag, and whose left is the very value', async () => {
    const err = await lastValueFrom(of(E.left<MxError, number>(notFound)).pipe(rightOrThrow(), catchError((e: unknown) => of(e))));
    expect(err).to.be.instanceOf(Error).and.instanceOf(LeftError);
    const e = err as LeftError;
    expect(e.name).to.equal('LeftError');
    expect(e.message).to.equal('NotFound: GET /users/USR-1 → 404 not found');
    expect(e.left).to.equal(notFound);
    expect(e.stack).to.be.a('string');
  });

  it('lets retry resubscribe the cold call, and gives up with the last LeftError', async () => {
    let calls = 0;
    const call$: MxObservable<string> = defer(() => {
      calls += 1;
      return of(calls < 3 ? E.left<MxError, string>(limited) : E.right<MxError, string>('ok'));
    });
    expect(await lastValueFrom(call$.pipe(rightOrThrow(), retry(5)))).to.equal('ok');
    expect(calls).to.equal(3);
    calls = 0;
    const failed = await lastValueFrom(call$.pipe(rightOrThrow(), retry(1), catchError((e: unknown) => of(e))));
    expect(calls).to.equal(2);
    expect(isLeftError(failed, 'RateLimited')).to.equal(true);
  });

  it('leaves a source error (a bug) as it is', () => {
    marbles().run(({ cold, expectObservable }) => {
      const bug = new TypeError('a bug');
      expectObservable(cold<E.Either<MxError, number>>('-a-#', { a: E.right(1) }, bug).pipe(rightOrThrow())).toBe('-a-#', { a: 1 }, bug);
    });
  });
});

describe('core/observable-either: isLeftError', () => {
  it('is true for a LeftError, and with tags only for those tags', () => {
    const e = new LeftError(limited);
    expect(isLeftError(e)).to.equal(true);
    expect(isLeftError(e, 'RateLimited')).to.equal(true);
    expect(isLeftError(e, 'ServerError', 'RateLimited')).to.equal(true);
    expect(isLeftError(e, 'NotFound')).to.equal(false);
  });

  it('is false for anything else: plain errors, MxError values, look-alikes', () => {
    expect(isLeftError(new Error('RateLimited: x'))).to.equal(false);
    expect(isLeftError(limited)).to.equal(false);
    expect(isLeftError({ name: 'LeftError', left: limited, message: 'x' })).to.equal(false);
    expect(isLeftError(undefined)).to.equal(false);
  });

  it('narrows to the tags given (a type-level check: this compiles only if it narrows)', () => {
    const err: unknown = new LeftError(limited);
    if (!isLeftError(err, 'RateLimited')) throw new Error('expected a RateLimited LeftError');
    const tag: 'RateLimited' = err.left._tag;
    expect(tag).to.equal('RateLimited');
    expect(err.left.status).to.equal(429);
  });

  it('carries a sink\'s own error when told its type', () => {
    const err: unknown = new LeftError<MxError | FileSystemError>(disk);
    if (!isLeftError<MxError | FileSystemError>(err, 'FileSystemError')) throw new Error('expected a FileSystemError LeftError');
    expect(err.left._tag === 'FileSystemError' && err.left.code).to.equal('ENOSPC');
    expect(isLeftError<MxError | FileSystemError>(err, 'NotFound')).to.equal(false);
  });
});

describe('core/observable-either: errorToLeft', () => {
  it('wraps values as Right and turns a LeftError into one last Left, then completes (marbles)', () => {
    marbles().run(({ cold, expectObservable }) => {
      const source = cold<number>('-a-b-#', { a: 1, b: 2 }, new LeftError(notFound));
      expectObservable(source.pipe(errorToLeft())).toBe('-a-b-(l|)', { a: E.right(1), b: E.right(2), l: E.left(notFound) });
    });
  });

  it('is the inverse of rightOrThrow: a round trip gives the same values', () => {
    marbles().run(({ cold, expectObservable }) => {
      const values = { a: E.right<MxError, number>(1), l: E.left<MxError, number>(notFound) };
      expectObservable(cold('-a-l|', values).pipe(rightOrThrow(), errorToLeft())).toBe('-a-(l|)', values);
    });
  });

  it('keeps any other error on the error channel', () => {
    marbles().run(({ cold, expectObservable }) => {
      const bug = new RangeError('a bug');
      expectObservable(cold<number>('-a-#', { a: 1 }, bug).pipe(errorToLeft())).toBe('-a-#', { a: E.right(1) }, bug);
    });
  });

  it('completes as the source does when nothing failed', async () => {
    expect(await lastValueFrom(of(1, 2).pipe(errorToLeft(), toArray()))).to.deep.equal([E.right(1), E.right(2)]);
    expect(await lastValueFrom(throwError(() => new LeftError(disk)).pipe(errorToLeft<never, MxError | FileSystemError>(), toArray())))
      .to.deep.equal([E.left(disk)]);
  });
});

import { expect } from 'chai';
import { backoffDelay } from '../../lib/http/backoff.js';
import { apiPath, withQuery } from '../../lib/http/path.js';
import { parseRetryAfter } from '../../lib/http/retry-after.js';
import { isRetryableFor, retryDelayFor } from '../../lib/http/retry-decision.js';
import { DEFAULT_RETRY } from '../../lib/core/config.js';
import { httpStatusError } from '../../lib/core/errors.js';

const b = { baseMs: 100, maxMs: 1000, factor: 2 };
const ref = { method: 'GET', path: '/x' };

describe('http helpers', () => {
  describe('backoffDelay', () => {
    it('grows exponentially within [exp/2, exp] and stops at the cap', () => {
      expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, b, () => 1))).to.deep.equal([100, 200, 400, 800, 1000, 1000]);
      expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, b, () => 0))).to.deep.equal([50, 100, 200, 400, 500, 500]);
    });
    it('clamps a misbehaving random source', () => {
      expect(backoffDelay(1, b, () => 7)).to.equal(100);
      expect(backoffDelay(1, b, () => -3)).to.equal(50);
    });
  });

  describe('apiPath / withQuery', () => {
    it('encodes each interpolated value as one segment', () => {
      expect(apiPath`/users/${'../admin'}/members/${'a b?c#d'}`).to.equal('/users/..%2Fadmin/members/a%20b%3Fc%23d');
    });
    it('keeps defined query values in order and repeats arrays', () => {
      expect(withQuery('/i', { name: 'MX Bank', page: 2, x: undefined, ok: true, 'c[]': ['US', 'CA'] }))
        .to.equal('/i?name=MX+Bank&page=2&ok=true&c%5B%5D=US&c%5B%5D=CA');
      expect(withQuery('/i', { x: undefined })).to.equal('/i');
    });
  });

  describe('parseRetryAfter', () => {
    it('reads seconds and HTTP dates', () => {
      expect(parseRetryAfter('0', 0)).to.equal(0);
      expect(parseRetryAfter(' 12 ', 0)).to.equal(12_000);
      expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).to.equal(6_000);
      expect(parseRetryAfter(new Date(1_000).toUTCString(), 4_000)).to.equal(0);
    });
    it('ignores unusable values', () => {
      for (const v of [null, undefined, '', '-5', '1.5', 'soon', '99999999999999999999']) expect(parseRetryAfter(v, 0), String(v)).to.equal(undefined);
    });
  });

  describe('retry decision', () => {
    it('retries idempotent methods on 429, 5xx gateway errors, timeouts and resets', () => {
      for (const m of ['GET', 'DELETE']) {
        for (const s of [429, 500, 502, 503, 504]) expect(isRetryableFor(httpStatusError(ref, s), m), `${m} ${s}`).to.equal(true);
      }
      expect(isRetryableFor(httpStatusError(ref, 500), 'PUT')).to.equal(false);
      expect(isRetryableFor({ _tag: 'Timeout', ...ref, message: '', timeoutMs: 1 }, 'PUT')).to.equal(true);
    });
    it('retries a POST only where the server cannot have acted', () => {
      expect(isRetryableFor(httpStatusError(ref, 429), 'POST')).to.equal(true);
      expect(isRetryableFor(httpStatusError(ref, 503), 'POST')).to.equal(true);
      expect(isRetryableFor(httpStatusError(ref, 502), 'POST')).to.equal(false);
      expect(isRetryableFor({ _tag: 'NetworkError', ...ref, message: '', code: 'ECONNREFUSED' }, 'POST')).to.equal(true);
      expect(isRetryableFor({ _tag: 'NetworkError', ...ref, message: '', code: 'ECONNRESET' }, 'POST')).to.equal(false);
      expect(isRetryableFor({ _tag: 'Timeout', ...ref, message: '', timeoutMs: 1 }, 'POST')).to.equal(false);
    });
    it('never retries other 4xx or decode errors', () => {
      for (const s of [400, 401, 403, 404, 405, 406, 409, 422]) expect(isRetryableFor(httpStatusError(ref, s), 'GET')).to.equal(false);
      expect(isRetryableFor({ _tag: 'DecodeError', ...ref, message: '', errors: [] }, 'GET')).to.equal(false);
    });
    it('prefers Retry-After to backoff, within maxRetryAfterMs', () => {
      expect(retryDelayFor(httpStatusError(ref, 429, undefined, 2500), 'GET', 1, DEFAULT_RETRY, () => 0)).to.equal(2500);
      expect(retryDelayFor(httpStatusError(ref, 429, undefined, 3_600_000), 'GET', 1, DEFAULT_RETRY, () => 0)).to.equal(undefined);
      expect(retryDelayFor(httpStatusError(ref, 502), 'GET', 2, DEFAULT_RETRY, () => 1)).to.equal(1000);
    });
  });
});

import { expect } from 'chai';
import { describeError, httpStatusError, isMxError, isRetryable, redactSecrets, tagForStatus } from '../../lib/core/errors.js';

const ref = { method: 'GET', path: '/users/USR-1' };

describe('core/errors', () => {
  it('maps statuses to tags', () => {
    expect([400, 401, 403, 404, 405, 406, 409, 422, 429, 500, 503, 599, 302, 418].map(tagForStatus)).to.deep.equal([
      'BadRequest', 'Unauthorized', 'Forbidden', 'NotFound', 'MethodNotAllowed', 'NotAcceptable', 'Conflict',
      'Unprocessable', 'RateLimited', 'ServerError', 'ServerError', 'ServerError', 'UnexpectedStatus', 'UnexpectedStatus',
    ]);
  });

  it('builds an error naming method, path and status', () => {
    const e = httpStatusError(ref, 404, 'nothing here');
    expect(e).to.include({ _tag: 'NotFound', method: 'GET', path: '/users/USR-1', status: 404, body: 'nothing here' });
    expect(e.message).to.equal('GET /users/USR-1 → 404 not found');
  });

  it('puts retry-after into a RateLimited error and its message', () => {
    const e = httpStatusError(ref, 429, undefined, 3000);
    expect(e).to.include({ _tag: 'RateLimited', retryAfterMs: 3000 });
    expect(e.message).to.contain('retry after 3 s');
  });

  it('recognises its own errors only', () => {
    expect(isMxError(httpStatusError(ref, 500))).to.equal(true);
    expect(isMxError({ _tag: 'Something' })).to.equal(false);
    expect(isMxError(new Error('x'))).to.equal(false);
    expect(isMxError(null)).to.equal(false);
  });

  it('describes decode errors with their first paths', () => {
    expect(describeError({ _tag: 'DecodeError', ...ref, message: 'bad body', errors: ['a: expected string', 'b: expected number'] }))
      .to.equal('DecodeError: bad body (a: expected string; b: expected number)');
  });

  it('says which errors may succeed later', () => {
    expect(isRetryable(httpStatusError(ref, 503))).to.equal(true);
    expect(isRetryable(httpStatusError(ref, 429))).to.equal(true);
    expect(isRetryable(httpStatusError(ref, 409))).to.equal(false);
    expect(isRetryable({ _tag: 'Timeout', ...ref, message: '', timeoutMs: 1 })).to.equal(true);
    expect(isRetryable({ _tag: 'NoInstitution', ...ref, message: '', query: 'x', candidates: [] })).to.equal(false);
  });

  it('redacts every occurrence of each secret, ignoring trivially short ones', () => {
    expect(redactSecrets('key abc123 and abc123 again, a', ['abc123', 'a', ''])).to.equal('key [redacted] and [redacted] again, a');
  });
});

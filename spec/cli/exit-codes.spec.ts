import { expect } from 'chai';
import { EXIT, EXIT_TABLE, exitCodeFor } from '../../lib/cli/exit-codes.js';
import { failureExitCode, toFailure } from '../../lib/cli/cli-error.js';
import { UsageError } from '../../lib/cli/usage-error.js';
import { PromptInterrupted } from '../../lib/cli/prompts/ask.js';
import type { MxError } from '../../lib/core/errors.js';
import type { FileSystemError } from '../../lib/node/fs-error.js';

const ref = { method: 'GET', path: '/users/USR-1/members/MBR-1/status' };

describe('cli: exit codes', () => {
  it('are distinct, and the table lists each once', () => {
    const codes = Object.values(EXIT);
    expect(new Set(codes).size).to.equal(codes.length);
    expect(EXIT_TABLE.map((r) => r.code)).to.have.members(codes);
    expect(EXIT).to.include({ ok: 0, usage: 2, timeout: 124, interrupted: 130 });
  });

  it('map each kind of failure to its own code', () => {
    const cases: Array<[MxError | FileSystemError, number]> = [
      [{ _tag: 'ConnectionFailed', ...ref, message: 'DENIED', memberGuid: 'MBR-1', connectionStatus: 'DENIED' }, EXIT.connection],
      [{ _tag: 'ConnectionFailed', ...ref, message: 'REJECTED', memberGuid: 'MBR-1', connectionStatus: 'REJECTED' }, EXIT.connection],
      [{ _tag: 'MfaRequired', ...ref, message: 'm', memberGuid: 'MBR-1', challengeTypes: ['TEXT'] }, EXIT.mfa],
      [{ _tag: 'MfaTimeout', ...ref, message: 'm', memberGuid: 'MBR-1', timeoutMs: 1 }, EXIT.mfa],
      [{ _tag: 'NetworkError', ...ref, message: 'ECONNREFUSED' }, EXIT.network],
      [{ _tag: 'ServerError', ...ref, status: 503, message: '503' }, EXIT.network],
      [{ _tag: 'RateLimited', ...ref, status: 429, message: '429' }, EXIT.network],
      [{ _tag: 'PollTimeout', ...ref, message: 'm', memberGuid: 'MBR-1', deadlineMs: 1 }, EXIT.network],
      [{ _tag: 'IntegrityError', ...ref, message: 'hash', reason: 'hash-mismatch' }, EXIT.integrity],
      [{ _tag: 'Unauthorized', ...ref, status: 401, message: '401' }, EXIT.api],
      [{ _tag: 'NoInstitution', ...ref, message: 'none', query: 'x', candidates: [] }, EXIT.api],
      [{ _tag: 'MissingCredentials', ...ref, message: 'm', institutionCode: 'mxbank', missingFields: ['LOGIN'], unknownFields: [] }, EXIT.usage],
      [{ _tag: 'FileSystemError', method: 'WRITE', path: '/x', message: 'EACCES' }, EXIT.fileSystem],
      [{ _tag: 'SinkFull', method: 'WRITE', path: 'memory:MBR-1/STA-1', message: 'full', statementGuid: 'STA-1', maxBytes: 1, neededBytes: 2 }, EXIT.fileSystem],
      // MX as it is today, and the trust work
      [{ _tag: 'PollTimeout', ...ref, message: 'm', memberGuid: 'MBR-1', deadlineMs: 1, lastStatus: 'PENDING' }, EXIT.connection],
      // An OAuth window cancelled (or denied) as its page reported it: the member is still PENDING, the person must act.
      [{ _tag: 'ConnectionFailed', ...ref, message: 'm', memberGuid: 'MBR-1', connectionStatus: 'PENDING', oauthErrorReason: 'CANCELLED' }, EXIT.connection],
      [{ _tag: 'IntegrityError', ...ref, message: 'no content_hash', reason: 'unverified' }, EXIT.integrity],
      [{ _tag: 'DownloadLimitExceeded', ...ref, message: 'too big', limit: 'size', receivedBytes: 1, elapsedMs: 1 }, EXIT.network],
      [{ _tag: 'RedirectRefused', ...ref, message: '302', status: 302, targetOrigin: 'http://x' }, EXIT.api],
    ];
    for (const [error, code] of cases) expect(exitCodeFor(error), error._tag).to.equal(code);
  });

  it('map CLI failures too: usage, timeout, interrupt, internal', () => {
    expect(failureExitCode(toFailure(new UsageError('--out must not be empty', '--out')))).to.equal(2);
    expect(failureExitCode({ _tag: 'RunTimeout', message: 't', timeoutMs: 1 })).to.equal(124);
    expect(failureExitCode({ _tag: 'Interrupted', message: 'i' })).to.equal(130);
    expect(failureExitCode(toFailure(new TypeError('boom')))).to.equal(1);
    expect(failureExitCode(toFailure(new PromptInterrupted('interrupted by Ctrl-C')))).to.equal(130);
    expect(failureExitCode({ _tag: 'QueueUnavailable', message: '--queue redis://127.0.0.1:9: cannot reach Redis' })).to.equal(5);
    const missingPeers = Object.assign(new Error('the statement queue needs the optional packages bullmq and ioredis'), { name: 'MissingQueuePeersError' });
    expect(toFailure(missingPeers)).to.deep.include({ _tag: 'UsageError', flag: '--queue' });
    // An abort's reason (a CLI failure value) keeps its own code.
    expect(failureExitCode(toFailure({ _tag: 'RunTimeout', message: '--timeout', timeoutMs: 5 }))).to.equal(124);
  });
});

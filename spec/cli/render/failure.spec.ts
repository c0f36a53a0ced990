import { expect } from 'chai';
import { failureText, shortReason, withoutRepeats } from '../../../lib/cli/render/failure.js';
import { retryText } from '../../../lib/cli/render/retry.js';
import { toFailure } from '../../../lib/cli/cli-error.js';
import { PromptInterrupted } from '../../../lib/cli/prompts/ask.js';

/** True when some clause (split at ": " or " — ") says the same as another, case aside. */
const repeats = (text: string): boolean => {
  const clauses = text.split(/: | — /).map((c) => c.toLowerCase().replace(/[\s.,;]+$/, ''));
  return new Set(clauses).size !== clauses.length || /(\b\w{4,}\b)[^\w]+\1\b/i.test(text.replace(/--\w+/g, ''));
};

describe('cli: render/failure', () => {
  it('says each thing once: no "the MFA answer was wrong — the MFA answer was wrong", no "Interrupted: interrupted"', () => {
    const cases = [
      failureText({ _tag: 'ConnectionFailed', method: 'GET', path: '/s', memberGuid: 'MBR-1', connectionStatus: 'REJECTED', mxMessage: 'The MFA answer was wrong', message: 'member MBR-1 ended REJECTED: The MFA answer was wrong' }),
      failureText({ _tag: 'Interrupted', message: 'interrupted' }),
      failureText({ _tag: 'NetworkError', method: 'POST', path: '/users', code: 'ECONNREFUSED', message: 'POST /users failed: request to /users failed, reason: connect ECONNREFUSED 127.0.0.1:9' }),
      failureText({ _tag: 'FileSystemError', method: 'READ', path: '/x', code: 'ENOENT', message: 'ENOENT: ENOENT: no such file' }),
      failureText(toFailure(new PromptInterrupted('interrupted by Ctrl-C'))),
    ];
    expect(cases[0]).to.equal('ConnectionFailed: member MBR-1 ended REJECTED: The MFA answer was wrong — run again and give the right answer');
    expect(cases[1]).to.equal('Interrupted');
    expect(cases[2]).to.equal('NetworkError: POST /users: connection refused — is the host reachable? Check --base-url or --env');
    for (const c of cases) expect(repeats(c), c).to.equal(false);
    expect(withoutRepeats('A: a: b — B')).to.equal('A: b');
  });

  it('gives a reason in a few words for each kind of transport failure', () => {
    expect(shortReason({ _tag: 'Timeout', method: 'GET', path: '/u', timeoutMs: 30_000, message: 'x' })).to.equal('no answer within 30 s');
    expect(shortReason({ _tag: 'ServerError', method: 'GET', path: '/u', status: 503, message: 'x' })).to.equal('server error 503');
    expect(shortReason({ _tag: 'RateLimited', method: 'GET', path: '/u', status: 429, message: 'x' })).to.equal('rate limited (429)');
    expect(shortReason({ _tag: 'NetworkError', method: 'GET', path: '/u', message: 'GET /u failed: socket hang up', code: 'EWEIRD' })).to.equal('socket hang up (EWEIRD)');
  });

  it('writes a retry as "connection refused; retrying in 2 s, attempt 2 of 4"', () => {
    const error = { _tag: 'NetworkError', method: 'POST', path: '/users', code: 'ECONNREFUSED', message: 'POST /users failed' } as const;
    expect(retryText({ method: 'POST', path: '/users', attempt: 1, maxAttempts: 4, delayMs: 2000, error })).to.equal(
      'POST /users: connection refused; retrying in 2 s, attempt 2 of 4',
    );
    expect(retryText({ method: 'GET', path: '/users/USR-7e9f529a0c631497c1d77b952732e7d9', attempt: 3, maxAttempts: 4, delayMs: 800, error }, { compact: true }))
      .to.equal('GET /users/USR-7e9f…e7d9: connection refused; retrying in 800 ms, attempt 4 of 4');
  });

  it('keeps its hint to what the reader can do, and shortens guids for a terminal', () => {
    const text = failureText({ _tag: 'MfaRequired', method: 'GET', path: '/users/USR-7e9f529a0c631497c1d77b952732e7d9/members/MBR-59be1d3c63c09a47ca3d9a1489551b71/status', memberGuid: 'MBR-59be1d3c63c09a47ca3d9a1489551b71', challengeTypes: ['TEXT'], message: 'member MBR-59be1d3c63c09a47ca3d9a1489551b71 is CHALLENGED' }, { compact: true });
    expect(text).to.equal('MfaRequired: member MBR-59be…1b71 is CHALLENGED — pass --mfa-answer (once per question), or run in a terminal to be asked');
  });
  it('says what to do about the failures of MX as it is today: an OAuth sign-in denied or not finished, no content_hash, a redirect', () => {
    const denied = { _tag: 'ConnectionFailed', method: 'GET', path: '/s', memberGuid: 'MBR-1', connectionStatus: 'DENIED', message: 'member MBR-1 ended DENIED' } as const;
    expect(failureText(denied)).to.equal('ConnectionFailed: member MBR-1 ended DENIED — check --username and --password');
    expect(failureText(denied, { oauth: true })).to.equal('ConnectionFailed: member MBR-1 ended DENIED — the sign-in at the bank was denied; run again for a new link');
    // The window's page told how it ended (oauth.completions): the person's words, not the member's status (a
    // cancelled member is still PENDING), whatever the library's message says.
    const ended = (reason: string) => ({
      _tag: 'ConnectionFailed', method: 'GET', path: '/users/USR-1/members/MBR-59be1d3c63c09a47ca3d9a1489551b71/oauth_window_uri',
      memberGuid: 'MBR-59be1d3c63c09a47ca3d9a1489551b71', connectionStatus: 'PENDING', oauthErrorReason: reason,
      message: `member MBR-59be1d3c63c09a47ca3d9a1489551b71: the OAuth window ended ${reason} (status PENDING)`,
    }) as const;
    expect(failureText(ended('CANCELLED'), { oauth: true, compact: true }))
      .to.equal('ConnectionFailed: member MBR-59be…1b71: the sign-in at the bank was cancelled (its window was closed, or Cancel pressed) — run again for a new link');
    expect(failureText(ended('DENIED'), { oauth: true })).to.equal('ConnectionFailed: member MBR-59be1d3c63c09a47ca3d9a1489551b71: the sign-in at the bank was denied — run again for a new link');
    expect(failureText(ended('SESSION_ERROR'))).to.equal("ConnectionFailed: member MBR-59be1d3c63c09a47ca3d9a1489551b71: the bank's sign-in window ended with an error (SESSION_ERROR) — run again for a new link");
    expect(failureText({ _tag: 'PollTimeout', method: 'GET', path: '/s', memberGuid: 'MBR-1', deadlineMs: 1000, lastStatus: 'PENDING', message: 'member MBR-1 was not authorized within 1000 ms' }))
      .to.equal('PollTimeout: member MBR-1 was not authorized within 1000 ms — nobody finished the sign-in in time; run again for a new link (--oauth-timeout gives more time)');
    expect(failureText({ _tag: 'PollTimeout', method: 'GET', path: '/s', memberGuid: 'MBR-1', deadlineMs: 1000, lastStatus: 'SYNCING', message: 'polling ended' })).to.equal('PollTimeout: polling ended');
    expect(failureText({ _tag: 'IntegrityError', method: 'GET', path: '/p.pdf', reason: 'unverified', message: 'statement STA-1 has no usable content_hash' }))
      .to.equal('IntegrityError: statement STA-1 has no usable content_hash — MX sent no content_hash to check it against; --allow-unverified keeps such PDFs, marked unverified');
    expect(failureText({ _tag: 'RedirectRefused', method: 'GET', path: '/users', status: 302, targetOrigin: 'http://evil.example', message: 'GET /users answered 302 to http://evil.example' }))
      .to.equal('RedirectRefused: GET /users answered 302 to http://evil.example — an API answers, it does not redirect: check --base-url (keys are never sent to another origin)');
    // In an unattended sync nobody can pass --mfa-answer: the hint says what its user must do.
    expect(failureText({ _tag: 'MfaRequired', method: 'GET', path: '/s', memberGuid: 'MBR-1', challengeTypes: ['TEXT'], message: 'member MBR-1 is CHALLENGED' }, { batch: true }))
      .to.equal('MfaRequired: member MBR-1 is CHALLENGED — its user must answer: run fetch for that user in a terminal');
  });
});

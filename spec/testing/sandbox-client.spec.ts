/**
 * mx-statements-rx/testing against the real sandbox over loopback HTTP: sandboxClient + mxBankInput run a whole
 * fetch (and an MFA round) into the memory sink, at the sandbox's fast polling pace without being told.
 */
import { expect } from 'chai';
import * as E from 'fp-ts/lib/Either.js';
import { Subject, lastValueFrom, tap, timeout, toArray } from 'rxjs';
import type { ChallengeAnswer } from '../../lib/codecs/index.js';
import { MX_BANK_CODE, MX_BANK_OAUTH_CODE, startSandbox, type SandboxHandle } from '../../lib/sandbox/index.js';
import { CORRECT_ANSWER } from '../../lib/sandbox/passwords.js';
import { createMemorySink, mxBankInput, sandboxClient } from '../../lib/testing/index.js';
import { fetchStatements$ } from '../../lib/workflow/fetch-statements.js';
import { SANDBOX_POLLING } from '../../lib/workflow/policy.js';

describe('testing/sandboxClient + mxBankInput (real sandbox)', function () {
  this.timeout(30_000);
  let sandbox: SandboxHandle;
  before(async () => {
    sandbox = await startSandbox({ port: 0 });
  });
  after(async () => {
    await sandbox?.close();
  });

  it('runs a whole fetch into the memory sink: verified %PDF- bytes, and the sandbox\'s fast polling picked up from its header', async () => {
    const client = sandboxClient(sandbox);
    const sink = createMemorySink();
    const events = await lastValueFrom(fetchStatements$(client, { ...mxBankInput(), download: { sink } }).pipe(toArray(), timeout(20_000)));
    const last = events[events.length - 1]!;
    expect(E.isRight(last) && last.right.type, JSON.stringify(last)).to.equal('done');
    expect(client.hints.sandbox).to.equal(true);
    const polls = events.flatMap((r) => (E.isRight(r) && r.right.type === 'status' ? [r.right] : []));
    for (const p of polls) if (p.nextDelayMs !== null) expect(p.nextDelayMs).to.be.at.most(SANDBOX_POLLING.maxIntervalMs);
    expect(sink.list().length).to.be.greaterThan(0);
    for (const s of sink.list()) expect(new TextDecoder().decode(s.data.subarray(0, 5))).to.equal('%PDF-');
  });

  it('answers an MFA round with the sandbox\'s correct answer', async () => {
    const mfa = new Subject<ChallengeAnswer[]>();
    const events = await lastValueFrom(fetchStatements$(sandboxClient(sandbox), { ...mxBankInput({ password: 'challenge' }), mfa }).pipe(
      tap((r) => {
        if (E.isRight(r) && r.right.type === 'challenged') mfa.next(r.right.challenges.map((c) => ({ guid: c.guid, value: CORRECT_ANSWER })));
      }),
      toArray(),
      timeout(20_000),
    ));
    const types = events.map((r) => (E.isRight(r) ? r.right.type : r.left._tag));
    expect(types).to.include.members(['challenged', 'challenge-answered', 'done']);
  });

  it('names the sandbox\'s own institutions, gives a fresh user per call, and keeps overrides but not another base URL', () => {
    const a = mxBankInput();
    const b = mxBankInput({ institution: 'oauth' });
    expect(a.institution).to.deep.equal({ code: MX_BANK_CODE });
    expect(b.institution).to.deep.equal({ code: MX_BANK_OAUTH_CODE });
    expect(b.credentials).to.equal(undefined);
    expect(a.user).not.to.deep.equal(mxBankInput().user);
    expect(mxBankInput({ userId: 'me' }).user).to.deep.equal({ id: 'me' });
    const client = sandboxClient(sandbox, { apiVersion: 'v20250224', timeoutMs: 1234 });
    expect(client.config).to.deep.include({ baseUrl: sandbox.url, apiVersion: 'v20250224', timeoutMs: 1234 });
  });
});

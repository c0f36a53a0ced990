/**
 * End to end over real HTTP: the workflow against the embedded sandbox (lib/sandbox), through the real client,
 * transport, rate limiter and sinks.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import crossFetch from 'cross-fetch';
import * as E from 'fp-ts/lib/Either.js';
import { Subject, firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import { createMxClient, type MxClient } from '../../lib/api/client.js';
import type { ChallengeAnswer, Challenge } from '../../lib/codecs/index.js';
import type { FetchLike, MxClientConfig } from '../../lib/core/config.js';
import type { MxError } from '../../lib/core/errors.js';
import { writeStatements } from '../../lib/node/index.js';
import type { FileSystemError } from '../../lib/node/fs-error.js';
import { MX_BANK_PASSWORDS, startSandbox, type SandboxHandle } from '../../lib/sandbox/index.js';
import { fetchStatementsForMany$, type BatchItem } from '../../lib/workflow/batch.js';
import type { StatementEvent } from '../../lib/workflow/events.js';
import { fetchStatements$ } from '../../lib/workflow/fetch-statements.js';
import type { FetchStatementsInput } from '../../lib/workflow/input.js';
import { createMemorySink } from '../../lib/workflow/memory-sink.js';
import { SANDBOX_POLLING } from '../../lib/workflow/policy.js';

/** The sandbox's pace, asked for explicitly (the library never picks it from a loopback URL). */
const FAST = { polling: SANDBOX_POLLING } as const;

type Result = E.Either<MxError | FileSystemError, StatementEvent>;

const clientFor = (sandbox: SandboxHandle, extra: Partial<MxClientConfig> = {}): MxClient =>
  createMxClient({ baseUrl: sandbox.url, clientId: sandbox.clientId, apiKey: sandbox.apiKey, ...extra });

/** The sandbox scenarios run in both API versions. */
const VERSIONS = ['v20111101', 'v20250224'] as const;

let userSeq = 0;
const freshUser = () => ({ id: `e2e-user-${process.pid}-${++userSeq}` });

/** Runs the workflow, answering each challenge with `answer(challenge, round)` (when given). */
const run = async (
  client: MxClient,
  password: string,
  options: { answer?: (c: Challenge, round: number) => string; extra?: Partial<FetchStatementsInput> } = {},
): Promise<Result[]> => {
  const mfa = new Subject<ChallengeAnswer[]>();
  const input = {
    user: freshUser(),
    institution: { name: 'MX Bank' },
    credentials: { LOGIN: 'mxuser', PASSWORD: password },
    ...(options.answer ? { mfa } : {}),
    ...FAST,
    ...options.extra,
  } as FetchStatementsInput;
  const out: Result[] = [];
  await new Promise<void>((resolve, reject) => {
    fetchStatements$(client, input).subscribe({
      next: (r) => {
        out.push(r);
        if (E.isRight(r) && r.right.type === 'challenged' && options.answer) {
          const { challenges, round } = r.right;
          mfa.next(challenges.map((c) => ({ guid: c.guid, value: options.answer!(c, round) })));
        }
      },
      error: reject,
      complete: resolve,
    });
  });
  return out;
};

const types = (rs: Result[]) => rs.map((r) => (E.isRight(r) ? r.right.type : `Left:${r.left._tag}`));
const lastLeft = (rs: Result[]): MxError | FileSystemError => {
  const last = rs[rs.length - 1];
  if (!last || E.isRight(last)) throw new Error(`expected a Left last, got ${JSON.stringify(types(rs))}`);
  return last.left;
};
const rights = (rs: Result[]) => rs.flatMap((r) => (E.isRight(r) ? [r.right] : []));

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** The first member of the first (seeded) user. */
const firstSeededMember = async (c: MxClient) => {
  const user = await firstValueFrom(c.users.all$());
  if (E.isLeft(user)) throw new Error(user.left.message);
  const member = await firstValueFrom(c.members.all$({ userGuid: user.right.guid }));
  if (E.isLeft(member)) throw new Error(member.left.message);
  return { userGuid: user.right.guid, memberGuid: member.right.guid };
};

describe('workflow end to end (sandbox over HTTP)', function () {
  this.timeout(30_000);
  let sandbox: SandboxHandle;

  before(async () => {
    sandbox = await startSandbox({ aggregationMs: 40, challengeTtlMs: 1200, statementsPerMember: 3, seed: 'workflow-e2e' });
  });
  after(async () => {
    await sandbox.close();
  });

  for (const apiVersion of VERSIONS) describe(`every MX Bank password scenario (${apiVersion})`, () => {
    let client: MxClient;
    before(() => {
      client = clientFor(sandbox, { apiVersion });
    });

    it('password → CONNECTED: lists and downloads every statement, each verified against content_hash', async () => {
      const sink = createMemorySink();
      const rs = await run(client, 'password', { extra: { download: { sink, concurrency: 2 } } });
      const seq = types(rs);
      expect(seq.filter((t) => t !== 'status')).to.deep.equal([
        'user-ready', 'institution-found', 'credentials-required', 'member-ready', 'statements-job-started', 'connected',
        'statement-listed', 'statement-listed', 'statement-listed',
        'statement-downloaded', 'statement-downloaded', 'statement-downloaded', 'done',
      ]);
      expect(seq.indexOf('status')).to.be.within(seq.indexOf('statements-job-started'), seq.indexOf('connected'));
      const listed = rights(rs).flatMap((e) => (e.type === 'statement-listed' ? [e.statement] : []));
      expect(listed).to.have.length(3);
      for (const s of listed) {
        const stored = sink.get(s.member_guid!, s.guid);
        expect(stored, s.guid).to.not.equal(undefined);
        expect(new TextDecoder().decode(stored!.data.subarray(0, 5))).to.equal('%PDF-');
        expect(sha(stored!.data)).to.equal(s.content_hash);
      }
      const done = rights(rs).at(-1);
      expect(done?.type === 'done' && done.summary).to.deep.include({ statements: 3, downloaded: 3, skipped: 0 });
    });

    it('challenge → TEXT question, answered "correct" → CONNECTED', async () => {
      const rs = await run(client, 'challenge', { answer: () => 'correct' });
      const challenged = rights(rs).filter((e) => e.type === 'challenged');
      expect(challenged).to.have.length(1);
      expect(challenged[0]?.type === 'challenged' && challenged[0].challenges[0]?.type).to.equal('TEXT');
      expect(types(rs).at(-1)).to.equal('done');
    });

    it('challenge → answering "challenge" gives a second round; then "correct" → CONNECTED', async () => {
      const rs = await run(client, 'challenge', { answer: (_c, round) => (round === 1 ? 'challenge' : 'correct') });
      expect(rights(rs).filter((e) => e.type === 'challenge-answered').map((e) => e.type === 'challenge-answered' && e.round)).to.deep.equal([1, 2]);
      const done = rights(rs).at(-1);
      expect(done?.type === 'done' && done.summary.mfaRounds).to.equal(2);
    });

    it('challenge → a wrong answer → ConnectionFailed REJECTED', async () => {
      const rs = await run(client, 'challenge', { answer: () => 'wrong' });
      expect(lastLeft(rs)).to.deep.include({ _tag: 'ConnectionFailed', connectionStatus: 'REJECTED' });
    });

    it('options → OPTIONS question, answered with the "Correct" option’s value → CONNECTED', async () => {
      const rs = await run(client, 'options', {
        answer: (c) => c.options?.find((o) => o.label === 'Correct')?.value ?? 'none',
      });
      const ch = rights(rs).find((e) => e.type === 'challenged');
      expect(ch?.type === 'challenged' && ch.challenges[0]?.options).to.have.length(3);
      expect(types(rs).at(-1)).to.equal('done');
    });

    it('image → IMAGE_DATA question with image_data, answered "correct" → CONNECTED', async () => {
      const rs = await run(client, 'image', { answer: () => 'correct' });
      const ch = rights(rs).find((e) => e.type === 'challenged');
      expect(ch?.type === 'challenged' && ch.challenges[0]).to.include({ type: 'IMAGE_DATA' });
      expect(ch?.type === 'challenged' && ch.challenges[0]?.image_data).to.be.a('string').and.not.equal('');
      expect(types(rs).at(-1)).to.equal('done');
    });

    it('token → TOKEN question, answered with the one-time code → CONNECTED', async () => {
      const rs = await run(client, 'token', { answer: () => '123456' });
      const ch = rights(rs).find((e) => e.type === 'challenged');
      expect(ch?.type === 'challenged' && ch.challenges[0]).to.include({ type: 'TOKEN' });
      expect(types(rs).at(-1)).to.equal('done');
    });

    it('image_options → IMAGE_OPTIONS question with data URIs, answered with the "Correct" image’s value → CONNECTED', async () => {
      const rs = await run(client, 'image_options', {
        answer: (c) => c.image_options?.find((o) => o.label === 'Correct')?.value ?? 'none',
      });
      const ch = rights(rs).find((e) => e.type === 'challenged');
      const options = ch?.type === 'challenged' ? ch.challenges[0]?.image_options : undefined;
      expect(options).to.have.length(3);
      expect(options?.every((o) => /^data:image\/png;base64,/.test(o.data_uri ?? ''))).to.equal(true);
      expect(types(rs).at(-1)).to.equal('done');
    });

    it('challenge, never answered → the member turns EXPIRED and the run ends with ConnectionFailed EXPIRED', async () => {
      const mfa = new Subject<ChallengeAnswer[]>();
      const rs = await lastValueFrom(fetchStatements$(client, {
        user: freshUser(), institution: { code: 'mxbank' }, credentials: { LOGIN: 'mxuser', PASSWORD: 'challenge' }, mfa, ...FAST,
      }).pipe(toArray()));
      expect(lastLeft(rs)).to.deep.include({ _tag: 'ConnectionFailed', connectionStatus: 'EXPIRED' });
      expect(mfa.observed).to.equal(false);
    });

    it('challenge with no mfa subject → MfaRequired at once', async () => {
      const rs = await run(client, 'challenge');
      expect(lastLeft(rs)).to.deep.include({ _tag: 'MfaRequired', challengeTypes: ['TEXT'] });
    });

    for (const rule of MX_BANK_PASSWORDS.filter((r) => r.result !== 'CHALLENGED' && r.result !== 'CONNECTED')) {
      it(`${rule.password} → ConnectionFailed ${rule.result} with MX's message`, async () => {
        const rs = await run(client, rule.password!);
        expect(lastLeft(rs)).to.deep.include({ _tag: 'ConnectionFailed', connectionStatus: rule.result, mxMessage: rule.message });
      });
    }
  });

  for (const apiVersion of VERSIONS) it(`a re-run with the same user and credentials (${apiVersion}): 409s reuse user and member; nothing is downloaded again`, async () => {
    const client = clientFor(sandbox, { apiVersion });
    const dir = await mkdtemp(join(tmpdir(), 'mx-e2e-'));
    try {
      const sink = writeStatements(dir, { fsync: false });
      const input: FetchStatementsInput<FileSystemError> = {
        user: freshUser(), institution: { name: 'MX Bank' }, credentials: { LOGIN: 'mxuser', PASSWORD: 'password' },
        download: { sink }, ...FAST,
      };
      const first = rights(await lastValueFrom(fetchStatements$(client, input).pipe(toArray())));
      const second = await lastValueFrom(fetchStatements$(client, input).pipe(toArray()));
      const r2 = rights(second);
      expect(first.filter((e) => e.type === 'statement-downloaded')).to.have.length(3);
      expect(r2.find((e) => e.type === 'user-ready')).to.deep.include({ created: false });
      expect(r2.find((e) => e.type === 'member-ready')).to.deep.include({ reused: true });
      expect(r2.filter((e) => e.type === 'statement-downloaded')).to.have.length(0);
      const skipped = r2.flatMap((e) => (e.type === 'statement-skipped' ? [e] : []));
      expect(skipped).to.have.length(3);
      for (const s of skipped) expect(sha(await readFile(s.location))).to.equal(s.sha256);
      expect(types(second).at(-1)).to.equal('done');
      await sink.idle();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('syncs 50 seeded members through a rate limit with zero 429s', async () => {
    let r429 = 0;
    let requests = 0;
    const sb = await startSandbox({
      aggregationMs: 20, seedUsers: 50, statementsPerMember: 2, rateLimit: 100, seed: 'sync-50',
      log: (line) => {
        requests += 1;
        if (/ 429 /.test(line)) r429 += 1;
      },
    });
    try {
      const c = clientFor(sb, { rateLimit: { requestsPerSecond: 95 } });
      const sink = createMemorySink();
      const started = Date.now();
      const items = await lastValueFrom(fetchStatementsForMany$(c, 'all-members', { concurrency: 10, download: { sink }, ...FAST }).pipe(toArray()));
      const elapsedMs = Date.now() - started;
      const summary = items.at(-1);
      expect(summary?.type === 'batch-summary' && summary).to.deep.include({ total: 50, synced: 50, needsUserAction: 0, failed: 0, downloaded: 100 });
      expect(r429).to.equal(0);
      // the traffic was well above what one burst allows, and the client's limiter paced it (≤ 95 requests/s)
      expect(requests).to.be.greaterThan(300);
      expect(elapsedMs).to.be.at.least(((requests - 100) / 95) * 1000);
      expect(sink.list()).to.have.length(100);
    } finally {
      await sb.close();
    }
  });

  it('completes under 20% injected faults (5xx, resets, 429, truncated PDFs) with every PDF verified', async () => {
    let faults = 0;
    const sb = await startSandbox({
      aggregationMs: 20, seedUsers: 6, statementsPerMember: 3, seed: 'faults-20',
      faults: { rate: 0.2, kinds: ['500', '502', '503', '429', 'reset', 'truncate', 'slow'], slowMs: 30, retryAfterSeconds: 1 },
      log: (line) => {
        if (line.includes('[fault')) faults += 1;
      },
    });
    try {
      // timeoutMs: node-fetch 2 does not report the destroyed connection of a truncated body; the chunk timeout does
      const c = clientFor(sb, { retry: { maxAttempts: 8, baseDelayMs: 10, maxDelayMs: 200 }, timeoutMs: 500 });
      const sink = createMemorySink();
      const items = await lastValueFrom(fetchStatementsForMany$(c, 'all-members', {
        concurrency: 3, download: { sink, retries: 8 }, stepRetries: 8, polling: { ...SANDBOX_POLLING, maxErrors: 8 },
      }).pipe(toArray()));
      const summary = items.at(-1);
      expect(summary?.type === 'batch-summary' && summary, JSON.stringify(summary)).to.deep.include({ total: 6, synced: 6, failed: 0 });
      expect(faults).to.be.greaterThan(5);
      const listed = items.flatMap((i: BatchItem) => (i.type === 'member' && E.isRight(i.event) && i.event.right.type === 'statement-listed' ? [i.event.right.statement] : []));
      expect(listed).to.have.length(18);
      for (const s of listed) {
        const stored = sink.get(s.member_guid!, s.guid);
        expect(stored && sha(stored.data)).to.equal(s.content_hash);
      }
    } finally {
      await sb.close();
    }
  });

  it('rejects a truncated PDF: IntegrityError, never a statement-downloaded, nothing kept', async () => {
    const sb = await startSandbox({ aggregationMs: 20, seedUsers: 1, statementsPerMember: 1, faults: { rate: 1, kinds: ['truncate'] } });
    try {
      const c = clientFor(sb, { timeoutMs: 300 });
      const sink = createMemorySink();
      const rs = await lastValueFrom(fetchStatements$(c, { member: await firstSeededMember(c), download: { sink, retries: 1 }, ...FAST }).pipe(toArray()));
      expect(lastLeft(rs)).to.deep.include({ _tag: 'IntegrityError', reason: 'truncated' });
      expect(types(rs)).not.to.include('statement-downloaded');
      expect(sink.list()).to.have.length(0);
      expect(sink.size).to.equal(0);
    } finally {
      await sb.close();
    }
  });

  it('unsubscribing mid-run aborts the request in flight and leaves no socket or timer behind', async () => {
    const settle = async () => {
      for (let i = 0; i < 20; i++) await new Promise((r) => setTimeout(r, 5));
    };
    const resources = () => process.getActiveResourcesInfo().filter((r) => r !== 'TTYWrap').sort();
    await settle();
    const baseline = resources();
    const sb = await startSandbox({ aggregationMs: 5000, seedUsers: 1, latencyMs: 30 });
    const signals: Array<{ signal: AbortSignal; settled: boolean }> = [];
    const spy: FetchLike = (url, init) => {
      const seen = { signal: init.signal, settled: false };
      signals.push(seen);
      return (crossFetch as unknown as FetchLike)(url, init).finally(() => {
        seen.settled = true;
      });
    };
    const c = clientFor(sb, { fetch: spy });
    const member = await firstSeededMember(c);
    const before = signals.length;
    let polled = false;
    await new Promise<void>((resolve) => {
      const sub = fetchStatements$(c, { member, mfa: new Subject(), ...FAST }).subscribe((r) => {
        if (E.isRight(r) && r.right.type === 'status') polled = true;
      });
      // after the first poll, unsubscribe as soon as the next request is in flight (the sandbox answers after 30 ms)
      const check = setInterval(() => {
        if (polled && signals.length > before + 2 && !signals[signals.length - 1]!.settled) {
          clearInterval(check);
          sub.unsubscribe();
          resolve();
        }
      }, 1);
    });
    const inFlight = signals[signals.length - 1]!;
    expect(inFlight.signal.aborted).to.equal(true);
    await settle();
    expect(signals.filter((s) => !s.settled && !s.signal.aborted)).to.have.length(0);
    await sb.close();
    await settle();
    expect(resources()).to.deep.equal(baseline);
  });
});

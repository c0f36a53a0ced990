/**
 * Secrets: the workflow runs with a distinctive API key, password and MFA answer — through MFA and downloads to
 * disk, and through failures whose error bodies echo the request back — and then every event, error, captured
 * output line, sandbox log line and file is scanned for those values (and their Base64/URL-encoded forms).
 * Zero hits allowed. A translating fetch maps the distinctive password and answer to the sandbox's test values
 * on the wire, so the library itself handles only the distinctive ones.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { expect } from 'chai';
import crossFetch from 'cross-fetch';
import * as E from 'fp-ts/lib/Either.js';
import { Subject, tap } from 'rxjs';
import { createMxClient } from '../../lib/api/client.js';
import type { ChallengeAnswer } from '../../lib/codecs/index.js';
import type { FetchLike, FetchResponseLike } from '../../lib/core/config.js';
import { describeError, type MxError } from '../../lib/core/errors.js';
import type { FileSystemError } from '../../lib/node/fs-error.js';
import { nodeSha256 } from '../../lib/node/hash.js';
import { writeStatements } from '../../lib/node/sink.js';
import { CORRECT_ANSWER, startSandbox, type SandboxHandle } from '../../lib/sandbox/index.js';
import type { StatementEvent } from '../../lib/workflow/events.js';
import { fetchStatements$ } from '../../lib/workflow/fetch-statements.js';
import { ofType, runToEnd, type RunOutcome } from './helpers/run.js';
import { within } from '../helpers/bounded.js';
import { captureOutput, findSecrets, scanFiles, secretForms, textOf } from './helpers/scan.js';

const CLIENT_ID = 'secrets-client';
const API_KEY = 'sk-SECRET-apikey-8f3b1c77';
/** With a quote, a backslash, a tab and a newline: characters that are escaped when the body is JSON. */
const PASSWORD = 'pw-SECRET-"Zx\\81\tqLm\n';
const ANSWER = 'ans-SECRET-Qm42vTy';
const BASIC = Buffer.from(`${CLIENT_ID}:${API_KEY}`).toString('base64');
const FORMS = secretForms({ apiKey: API_KEY, password: PASSWORD, mfaAnswer: ANSWER }, BASIC);

const jsonEscaped = (s: string): string => JSON.stringify(s).slice(1, -1);

/** Where an echoing server answers with the request (headers and body) in an error body. */
type Echo = { readonly route: RegExp; readonly status: number; readonly times: number };

const echoResponse = (status: number, text: string): FetchResponseLike => {
  const bytes = new TextEncoder().encode(text);
  return {
    status,
    headers: { get: (n) => (n.toLowerCase() === 'content-type' ? 'text/plain' : null) },
    body: new ReadableStream<Uint8Array>({ start: (c) => { c.enqueue(bytes); c.close(); } }),
    text: () => Promise.resolve(text),
  };
};

/** cross-fetch that maps the distinctive password/answer to the sandbox's test values, and echoes where told. */
const translatingFetch = (password: string, echo?: Echo): FetchLike => {
  let echoed = 0;
  return (url, init) => {
    if (echo && echo.route.test(`${init.method} ${new URL(url).pathname}`) && echoed < echo.times) {
      echoed += 1;
      const sent = `${init.body ?? ''} with ${init.headers.Authorization ?? ''} (${API_KEY})`;
      // the request echoed as is, quoted as JSON again, URL-encoded and in Base64
      const echoes = [sent, JSON.stringify(sent), encodeURIComponent(sent), Buffer.from(sent).toString('base64')];
      return Promise.resolve(echoResponse(echo.status, `you sent ${echoes.join(' | ')}`));
    }
    // (the body is JSON: the password is in it JSON-escaped)
    const body = init.body?.split(jsonEscaped(PASSWORD)).join(password).split(ANSWER).join(CORRECT_ANSWER);
    return (crossFetch as unknown as FetchLike)(url, { ...init, ...(body !== undefined ? { body } : {}) });
  };
};

/** Answers every challenge of a run (on the next microtask) with the distinctive answer. */
const answerWith = (mfa: Subject<ChallengeAnswer[]>) => (r: E.Either<MxError | FileSystemError, StatementEvent>): void => {
  if (E.isLeft(r) || r.right.type !== 'challenged') return;
  const answers = r.right.challenges.map((c) => ({ guid: c.guid, value: ANSWER }));
  queueMicrotask(() => mfa.next(answers));
};

interface Traces {
  readonly outcome: RunOutcome;
  readonly output: string;
  readonly logs: string[];
  readonly dir: string;
}

describe('reliability: secrets never leak', function () {
  this.timeout(20_000);
  let sandbox: SandboxHandle;
  let dir: string;
  const logs: string[] = [];

  beforeEach(async () => {
    logs.length = 0;
    dir = await mkdtemp(path.join(tmpdir(), 'mx-secrets-'));
    sandbox = await startSandbox({ clientId: CLIENT_ID, apiKey: API_KEY, aggregationMs: 20, statementsPerMember: 2, seed: 'secrets', log: (l) => logs.push(l) });
  });
  afterEach(async () => {
    await within(sandbox.close(), 10_000, 'the sandbox to close');
    await rm(dir, { recursive: true, force: true });
  });

  /** One run of the full workflow, answering every challenge with the distinctive answer. */
  const run = async (sandboxPassword: string, echo?: Echo): Promise<Traces> => {
    const client = createMxClient({
      baseUrl: sandbox.url, clientId: CLIENT_ID, apiKey: API_KEY, fetch: translatingFetch(sandboxPassword, echo),
      retry: { baseDelayMs: 1, maxDelayMs: 5 },
    });
    const mfa = new Subject<ChallengeAnswer[]>();
    const sink = writeStatements(dir, { fsync: false });
    const { result, output } = await captureOutput(() => runToEnd(fetchStatements$(client, {
      user: { id: `secret-user-${Math.random()}` },
      institution: { name: 'MX Bank' },
      credentials: { LOGIN: 'mxuser', PASSWORD },
      mfa: mfa.asObservable(),
      mfaTimeoutMs: 5000,
      download: { sink },
      hasher: nodeSha256,
    }).pipe(tap(answerWith(mfa)))));
    await within(sink.idle(), 10_000, 'the sink to finish');
    return { outcome: result, output, logs: [...logs], dir };
  };

  const expectNoSecrets = async (t: Traces): Promise<void> => {
    const hits: string[] = [];
    t.outcome.all.forEach((item, i) => hits.push(...findSecrets(`item ${i}`, textOf(item), FORMS)));
    if (t.outcome.error) hits.push(...findSecrets('describeError', describeError(t.outcome.error), FORMS));
    hits.push(...findSecrets('captured output', t.output, FORMS));
    t.logs.forEach((l, i) => hits.push(...findSecrets(`sandbox log line ${i}`, l, FORMS)));
    const files = await scanFiles(t.dir, FORMS);
    hits.push(...files.hits);
    expect(hits, hits.join('\n')).to.deep.equal([]);
    expect(t.logs.length, 'the sandbox logged the requests').to.be.greaterThan(0);
  };

  it('a successful run with an MFA round and downloads: no secret in any event, output, log line or file', async () => {
    const t = await run('challenge');
    expect(t.outcome.error, t.outcome.error?.message).to.equal(undefined);
    expect(ofType(t.outcome.events, 'challenged').length).to.be.at.least(1);
    expect(ofType(t.outcome.events, 'statement-downloaded').length).to.equal(2);
    await expectNoSecrets(t);
    expect((await scanFiles(t.dir, FORMS)).files).to.be.at.least(3);
  });

  it('a rejected MFA answer (the error path): no secret in the ConnectionFailed error or anywhere else', async () => {
    const client = createMxClient({ baseUrl: sandbox.url, clientId: CLIENT_ID, apiKey: API_KEY, retry: { baseDelayMs: 1, maxDelayMs: 5 },
      // Only the password is translated: the distinctive answer reaches the sandbox and is refused.
      fetch: (url, init) => (crossFetch as unknown as FetchLike)(url, { ...init, ...(init.body ? { body: init.body.split(jsonEscaped(PASSWORD)).join('challenge') } : {}) }) });
    const mfa = new Subject<ChallengeAnswer[]>();
    const runOnce = (): Promise<RunOutcome> => runToEnd(fetchStatements$(client, {
      user: { id: 'secret-user-rejected' }, institution: { code: 'mxbank' }, credentials: { LOGIN: 'mxuser', PASSWORD }, mfa,
    }).pipe(tap(answerWith(mfa))));
    const { result, output } = await captureOutput(runOnce);
    expect(result.error?._tag, result.error?.message).to.be.oneOf(['ConnectionFailed', 'MfaAnswerMismatch']);
    await expectNoSecrets({ outcome: result, output, logs: [...logs], dir });
  });

  for (const echo of [
    { name: 'member creation (the password)', route: /^POST \/users\/[^/]+\/members$/, status: 400 },
    { name: 'the MFA resume (the answer)', route: /\/resume$/, status: 400 },
    { name: 'every status poll (the API key)', route: /\/status$/, status: 503 },
  ]) {
    it(`a server that echoes the request into its error body at ${echo.name}: the body is kept, the secrets are not`, async () => {
      const t = await run('challenge', { route: echo.route, status: echo.status, times: 1000 });
      const e = t.outcome.error;
      expect(e, 'the run fails').to.not.equal(undefined);
      expect(textOf(e)).to.include('you sent'); // the echoed body is there, so redaction (not omission) is tested
      await expectNoSecrets(t);
    });
  }
});

/**
 * Hostile inputs, through the whole workflow (existing member → job → poll → list → download → disk sink)
 * against a scripted fake MX: statement guids that try to escape the output folder or break file names, a
 * Content-Length that lies, a PDF whose SHA-256 differs from `content_hash`, a `Retry-After` of hours, and error
 * answers whose bodies are HTML or binary.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { expect } from 'chai';
import * as E from 'fp-ts/lib/Either.js';
import { toArray } from 'rxjs';
import { createMxClient, type MxClient } from '../../lib/api/client.js';
import { UserResponseBody } from '../../lib/codecs/index.js';
import type { FetchLike, MxClientConfig } from '../../lib/core/config.js';
import { nodeSha256 } from '../../lib/node/hash.js';
import { writeStatements } from '../../lib/node/sink.js';
import type { FileSystemError } from '../../lib/node/fs-error.js';
import { fetchStatements$ } from '../../lib/workflow/fetch-statements.js';
import type { WorkflowOptions } from '../../lib/workflow/input.js';
import { runVirtual, virtualScheduler } from '../helpers/virtual-time.js';
import { MEMBER, USER, fakeMx, pdfOf, sha256, type FakeMxOptions } from './helpers/fake-mx.js';
import { expectReadableError } from './helpers/readable.js';
import { listFiles, partFiles } from './helpers/resources.js';
import { ofType, runToEnd } from './helpers/run.js';

const FAST: WorkflowOptions['polling'] = { firstDelayMs: 0, minIntervalMs: 0, intervalMs: 1, maxIntervalMs: 2, deadlineMs: 5_000 };
const API_KEY = 'hostile-key-7Hq2';

const clientFor = (fetch: FetchLike, extra: Partial<MxClientConfig> = {}): MxClient =>
  createMxClient({ baseUrl: 'https://mx.fake.test', clientId: 'hostile', apiKey: API_KEY, fetch, retry: { baseDelayMs: 1, maxDelayMs: 2 }, ...extra });

describe('reliability: hostile inputs', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'mx-hostile-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const run = async (o: FakeMxOptions, options: Partial<WorkflowOptions<FileSystemError>> = {}) => {
    const fake = fakeMx(o);
    const sink = writeStatements(dir, { fsync: false });
    const outcome = await runToEnd(fetchStatements$(clientFor(fake.fetch), {
      member: { userGuid: USER, memberGuid: MEMBER },
      download: { sink, retries: 1 },
      polling: FAST,
      hasher: nodeSha256,
      ...options,
    }));
    await sink.idle();
    return { ...outcome, fake, files: await listFiles(dir) };
  };

  it('statement guids with ../, slashes, backslashes, NUL, device names or 10 000 characters stay one encoded URL segment and one file inside the folder', async () => {
    const guids = ['../../../../tmp/evil', '..', '.', 'a/b/c', '..\\..\\boot.ini', 'nul\0byte', 'CON', 'x'.repeat(10_000), '%2e%2e%2f', 'ü/😀', ' '];
    const statements = guids.map((guid, i) => ({ guid, pdf: pdfOf(`statement ${i}`) }));
    const { events, error, fake, files } = await run({ statements });
    expect(error, error?.message).to.equal(undefined);
    const downloaded = ofType(events, 'statement-downloaded');
    expect(downloaded).to.have.length(guids.length);
    // Every PDF request names exactly one segment under …/statements/, encoded.
    for (const r of fake.seen.filter((s) => s.route === 'pdf')) {
      const rest = r.url.pathname.split(`/members/${MEMBER}/statements/`)[1] ?? '';
      expect(rest, r.url.pathname).to.match(/^[^/]+\.pdf$/);
      expect(r.url.pathname).to.not.include('\0');
      expect(r.url.pathname.split('/')).to.not.include('..');
    }
    // Every file is inside the folder: the manifest plus one safely named PDF per statement.
    const pdfs = files.filter((f) => f.endsWith('.pdf'));
    expect(pdfs).to.have.length(guids.length);
    for (const f of files) {
      expect(path.resolve(dir, f).startsWith(dir + path.sep), f).to.equal(true);
      expect(f.split('/').length, f).to.equal(2); // <member>/<file>
      expect(path.basename(f).length, f).to.be.at.most(255);
      expect(f).to.match(/^[A-Za-z0-9_-]+\/[A-Za-z0-9_.-]+$/);
    }
    expect(partFiles(files)).to.deep.equal([]);
    for (const d of downloaded) expect(d.location.startsWith(dir + path.sep)).to.equal(true);
    // The bytes on disk are the verified ones.
    for (const [i, s] of statements.entries()) {
      const ev = downloaded.find((d) => d.statementGuid === s.guid);
      expect(ev, `statement ${i}`).to.not.equal(undefined);
      if (ev) expect(sha256(await readFile(ev.location))).to.equal(sha256(s.pdf));
    }
  });

  for (const lie of [{ name: 'longer', delta: +1000 }, { name: 'shorter', delta: -10 }]) {
    it(`a Content-Length ${lie.name} than the body ends in an IntegrityError, and nothing is written`, async () => {
      const pdf = pdfOf('the real statement body, long enough to be cut');
      const { error, files } = await run({
        statements: [{
          guid: 'STA-lie',
          pdf,
          answer: () => ({ status: 200, body: pdf, headers: { 'content-length': String(pdf.byteLength + lie.delta) } }),
        }],
      });
      const e = expectReadableError(error);
      expect(e._tag).to.equal('IntegrityError');
      if (e._tag === 'IntegrityError') expect(e.reason).to.be.oneOf(['truncated', 'length-mismatch']);
      expect(files.filter((f) => f.endsWith('.pdf'))).to.deep.equal([]);
      expect(partFiles(files)).to.deep.equal([]);
    });
  }

  it('a PDF whose SHA-256 differs from content_hash is refused, and the good copy already saved stays untouched', async () => {
    const good = pdfOf('version 1');
    const first = await run({ statements: [{ guid: 'STA-1', pdf: good }] });
    expect(first.error).to.equal(undefined);
    const file = ofType(first.events, 'statement-downloaded')[0]?.location ?? '';
    const tampered = pdfOf('tampered in transit');
    // MX now lists a new content_hash, but what arrives is neither the old nor the new document.
    const second = await run({ statements: [{ guid: 'STA-1', pdf: tampered, contentHash: sha256(pdfOf('version 2')) }] });
    const e = expectReadableError(second.error);
    expect(e._tag).to.equal('IntegrityError');
    if (e._tag === 'IntegrityError') {
      expect(e.reason).to.equal('hash-mismatch');
      expect(e.statementGuid).to.equal('STA-1');
    }
    expect(sha256(await readFile(file))).to.equal(sha256(good));
    expect(partFiles(second.files)).to.deep.equal([]);
  });

  it('a Retry-After of hours on a status poll is not waited for: the run ends within the poll deadline', async () => {
    const scheduler = virtualScheduler();
    const fake = fakeMx({
      statements: [],
      override: (route) => (route === 'status' ? { status: 429, body: '{}', headers: { 'retry-after': '7200' } } : undefined),
    });
    const client = clientFor(fake.fetch, { scheduler });
    const deadlineMs = 60_000;
    const result = await runVirtual(scheduler, fetchStatements$(client, {
      member: { userGuid: USER, memberGuid: MEMBER },
      polling: { ...FAST, deadlineMs, intervalMs: 1000, maxIntervalMs: 5000 },
    }).pipe(toArray()));
    const items = result.values[0] ?? [];
    const last = items[items.length - 1];
    expect(last && E.isLeft(last)).to.equal(true);
    if (last && E.isLeft(last)) expect(expectReadableError(last.left)._tag).to.be.oneOf(['RateLimited', 'PollTimeout']);
    expect(result.completedAt, 'virtual ms until the run ended').to.be.at.most(deadlineMs);
  });

  it('a Retry-After of hours on the job request (POST fetch_statements) is not waited for either', async () => {
    const scheduler = virtualScheduler();
    const fake = fakeMx({
      statements: [],
      override: (route) => (route === 'fetch_statements' ? { status: 429, body: '{}', headers: { 'retry-after': '7200' } } : undefined),
    });
    const deadlineMs = 60_000;
    const result = await runVirtual(scheduler, fetchStatements$(clientFor(fake.fetch, { scheduler }), {
      member: { userGuid: USER, memberGuid: MEMBER },
      polling: { ...FAST, deadlineMs },
    }).pipe(toArray()));
    const items = result.values[0] ?? [];
    const last = items[items.length - 1];
    expect(last && E.isLeft(last)).to.equal(true);
    if (last && E.isLeft(last)) {
      const e = expectReadableError(last.left);
      expect(e._tag).to.equal('RateLimited');
      expect(e.message).to.include('7200');
    }
    expect(result.completedAt, 'virtual ms until the run ended (a 2-hour Retry-After must not be slept)').to.be.at.most(deadlineMs);
  });

  it('the transport itself returns a Retry-After of hours as RateLimited at once (no sleep)', async () => {
    const scheduler = virtualScheduler();
    const fake = fakeMx({ statements: [], override: () => ({ status: 429, body: 'slow down', headers: { 'retry-after': '10800' } }) });
    const result = await runVirtual(scheduler, clientFor(fake.fetch, { scheduler }).transport.json$({ method: 'GET', path: '/users/USR-1' }, UserResponseBody));
    const r = result.values[0];
    expect(r && E.isLeft(r)).to.equal(true);
    if (r && E.isLeft(r)) {
      const e = expectReadableError(r.left, { method: 'GET', path: '/users/USR-1' });
      expect(e._tag).to.equal('RateLimited');
      if (e._tag === 'RateLimited') expect(e.retryAfterMs).to.equal(10_800_000);
    }
    expect(result.completedAt).to.equal(0);
    expect(fake.seen).to.have.length(1);
  });

  for (const body of [
    { name: 'an HTML page', status: 400, text: `<!DOCTYPE html><html><body><h1>400 Bad Request</h1><p>${'x'.repeat(8000)}</p></body></html>` },
    { name: 'binary garbage', status: 422, text: String.fromCharCode(...Array.from({ length: 600 }, (_, i) => (i * 37) % 256)) },
    { name: 'JSON of the wrong shape', status: 409, text: '{"errors":[{"code":42}]}' },
    { name: 'text echoing the API key', status: 403, text: `forbidden for key ${API_KEY}` },
  ]) {
    it(`a non-JSON error body (${body.name}) gives a typed, readable error with a bounded, secret-free body`, async () => {
      const fake = fakeMx({ statements: [], override: (route) => (route === 'fetch_statements' ? { status: body.status, body: body.text, headers: { 'content-type': 'text/html' } } : undefined) });
      const { error } = await runToEnd(fetchStatements$(clientFor(fake.fetch), { member: { userGuid: USER, memberGuid: MEMBER }, polling: FAST }));
      const e = expectReadableError(error, { method: 'POST', path: `/users/${USER}/members/${MEMBER}/fetch_statements` });
      expect(e).to.have.property('status', body.status);
      const shown = (e as { body?: string }).body ?? '';
      expect(shown.length).to.be.at.most(500);
      expect(JSON.stringify(e)).to.not.include(API_KEY);
    });
  }

  it('a 503 whose body is HTML is retried, then reported as ServerError', async () => {
    const fake = fakeMx({ statements: [], override: (route) => (route === 'status' ? { status: 503, body: '<html>maintenance</html>' } : undefined) });
    const { error } = await runToEnd(fetchStatements$(clientFor(fake.fetch), { member: { userGuid: USER, memberGuid: MEMBER }, polling: FAST }));
    const e = expectReadableError(error);
    expect(e._tag).to.equal('ServerError');
    expect(fake.seen.filter((s) => s.route === 'status').length).to.be.greaterThan(1);
  });
});

/**
 * mx-statements-rx/angular under mocha in Node: Angular's real DI (no DOM, JIT through @angular/compiler), the
 * real HttpClient with a functional interceptor, and HttpTestingController answering every request.
 */
import '@angular/compiler';
import { HttpClient, HttpContext, HttpContextToken, HttpEventType, HttpHeaders, HttpResponse, provideHttpClient, withInterceptors, type HttpInterceptorFn, type HttpRequest } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting, type TestRequest } from '@angular/common/http/testing';
import { Injector, createEnvironmentInjector, provideZonelessChangeDetection, runInInjectionContext, ɵINJECTOR_SCOPE as INJECTOR_SCOPE, type EnvironmentInjector, type EnvironmentProviders } from '@angular/core';
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import * as E from 'fp-ts/lib/Either.js';
import { Subject, lastValueFrom, tap, toArray, type Observable } from 'rxjs';
import { MX_CLIENT, MX_REQUEST, httpClientFetch, injectMxClient, injectMxDownloadProgress, provideMxClient, type MxAngularOptions, type MxDownloadProgress } from '../../lib/angular/index.js';
import type { ChallengeAnswer } from '../../lib/codecs/index.js';
import { MxConfigError } from '../../lib/core/config.js';
import type { MxError } from '../../lib/core/errors.js';
import type { StatementEvent } from '../../lib/workflow/events.js';
import { fetchStatements$ } from '../../lib/workflow/fetch-statements.js';
import { createMemorySink } from '../../lib/workflow/memory-sink.js';
import { DONE, FIELDS, MEMBER, MXBANK, POLICY, STATEMENT, TEXT_CHALLENGE, USER, status } from '../workflow/fixtures.js';
import { collect } from '../helpers/bounded.js';

/** What the interceptor saw: each request the library sent, with its context. */
const seen: HttpRequest<unknown>[] = [];
const APP_TAG = new HttpContextToken<string>(() => 'none');
const recordingInterceptor: HttpInterceptorFn = (req, next) => {
  seen.push(req);
  return next(req.clone({ setHeaders: { 'X-Intercepted': 'yes' } }));
};

/**
 * Makes the spec's injector the app's root, as bootstrapApplication's is (HttpClient's own dependencies are
 * `providedIn: 'root'`), with the zoneless scheduler PendingTasks needs. TestBed does the same, but needs a DOM.
 */
const ROOT = [{ provide: INJECTOR_SCOPE, useValue: 'root' }, provideZonelessChangeDetection()];

let injector: EnvironmentInjector;
let http: HttpTestingController;

const setUp = (options: MxAngularOptions, extra: Array<EnvironmentProviders> = []) => {
  seen.length = 0;
  injector = createEnvironmentInjector(
    [ROOT, provideHttpClient(withInterceptors([recordingInterceptor])), provideHttpClientTesting(), provideMxClient(options), ...extra],
    Injector.NULL as EnvironmentInjector,
  );
  http = injector.get(HttpTestingController);
  return injector.get(MX_CLIENT);
};

/** Resolves once the library has sent a request matching `url` (bounded: the core sends after a promise tick). */
const nextRequest = async (match: (req: HttpRequest<unknown>) => boolean, label: string, withinMs = 2000): Promise<TestRequest> => {
  const until = Date.now() + withinMs;
  for (;;) {
    const [found] = http.match(match);
    if (found) return found;
    if (Date.now() > until) throw new Error(`no request for ${label} within ${withinMs} ms; open: ${JSON.stringify(http.match(() => true).map((r) => r.request.urlWithParams))}`);
    await new Promise((r) => setTimeout(r, 2));
  }
};

const STA_REF = { userGuid: 'USR-1', memberGuid: 'MBR-1', statementGuid: 'STA-1' };
const STA_PATH = '/users/USR-1/members/MBR-1/statements/STA-1';

const pdfBytes = (text: string): ArrayBuffer => new TextEncoder().encode(`%PDF-1.4\n% ${text}\n1 0 obj << >> endobj\n%%EOF\n`).buffer as ArrayBuffer;

afterEach(() => {
  if (injector && !injector.destroyed) {
    http.verify({ ignoreCancelled: true });
    injector.destroy();
  }
});

describe('angular: provideMxClient (HttpClient as the transport)', function () {
  this.timeout(20_000);

  it('sends every call through HttpClient: the interceptor, HttpContext (MX_REQUEST) and HttpTestingController see it', async () => {
    const client = setUp({ baseUrl: '/api/mx', auth: 'none', context: () => new HttpContext().set(APP_TAG, 'statements') });
    const result = lastValueFrom(client.statements.read$(STA_REF));
    const req = await nextRequest((r) => r.url === `/api/mx${STA_PATH}`, 'GET the statement');
    expect(req.request.method).to.equal('GET');
    expect(req.request.headers.get('Accept-Version')).to.equal('v20111101');
    expect(req.request.headers.get('Accept')).to.equal('application/vnd.mx.api.v1+json');
    expect(req.request.headers.get('X-Intercepted')).to.equal('yes');
    expect(req.request.headers.has('Authorization')).to.equal(false);
    expect(req.request.context.get(MX_REQUEST)).to.deep.equal({ method: 'GET', path: STA_PATH, download: false });
    expect(req.request.context.get(APP_TAG)).to.equal('statements');
    req.flush({ statement: STATEMENT });
    const r = await result;
    expect(E.isRight(r) && r.right).to.deep.equal(STATEMENT);
    expect(seen.map((s) => s.url)).to.deep.equal([`/api/mx${STA_PATH}`]);
  });

  it('sends a JSON body and types an error answer (404 → NotFound with method and path)', async () => {
    const client = setUp({ baseUrl: '/api/mx', auth: 'none', retry: false });
    const created = lastValueFrom(client.users.create$({ id: 'customer-42' }));
    const post = await nextRequest((r) => r.method === 'POST', 'POST /users');
    expect(post.request.url).to.equal('/api/mx/users');
    expect(JSON.parse(post.request.body as string)).to.deep.equal({ user: { id: 'customer-42' } });
    expect(post.request.headers.get('Content-Type')).to.equal('application/json');
    post.flush({ error: { message: 'no such thing' } }, { status: 404, statusText: 'Not Found' });
    const r = await created;
    expect(E.isLeft(r) && r.left).to.include({ _tag: 'NotFound', method: 'POST', path: '/users' });
  });

  it('keeps the core\'s retry policy: a 503 is retried, through HttpClient again', async () => {
    const client = setUp({ baseUrl: '/api/mx', auth: 'none', retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 } });
    const result = lastValueFrom(client.statements.read$(STA_REF));
    (await nextRequest((r) => r.url.endsWith(STA_PATH), 'first attempt')).flush('busy', { status: 503, statusText: 'Unavailable' });
    (await nextRequest((r) => r.url.endsWith(STA_PATH), 'second attempt')).flush({ statement: STATEMENT });
    const r = await result;
    expect(E.isRight(r)).to.equal(true);
    expect(seen).to.have.length(2);
  });

  it('turns a request that got no answer (status 0) into a NetworkError', async () => {
    const client = setUp({ baseUrl: '/api/mx', auth: 'none', retry: false });
    const result = lastValueFrom(client.statements.read$(STA_REF));
    const req = await nextRequest(() => true, 'GET');
    req.error({ type: 'error' } as ProgressEvent);
    const r = await result;
    expect(E.isLeft(r) && r.left._tag).to.equal('NetworkError');
  });

  it('cancels the HttpClient request when the subscriber unsubscribes', async () => {
    const client = setUp({ baseUrl: '/api/mx', auth: 'none' });
    const subscription = client.statements.read$(STA_REF).subscribe();
    const req = await nextRequest(() => true, 'GET');
    expect(req.cancelled).to.equal(false);
    subscription.unsubscribe();
    expect(req.cancelled).to.equal(true);
  });

  it('keeps the core\'s timeout: a silent backend gets a Timeout and its request is cancelled', async () => {
    const client = setUp({ baseUrl: '/api/mx', auth: 'none', retry: false, timeoutMs: 30 });
    const result = lastValueFrom(client.statements.read$(STA_REF));
    const req = await nextRequest(() => true, 'GET');
    const r = await result;
    expect(E.isLeft(r) && r.left._tag).to.equal('Timeout');
    expect(req.cancelled).to.equal(true);
  });

  it('downloads a PDF as an array buffer, with the backend\'s progress events', async () => {
    const client = setUp({ baseUrl: 'https://proxy.example/mx', auth: 'none' });
    const progress: MxDownloadProgress[] = [];
    const sub = runInInjectionContext(injector, () => injectMxDownloadProgress()).subscribe((p) => progress.push(p));
    const chunks = lastValueFrom(client.statements.pdf$(STA_REF).pipe(toArray()));
    const req = await nextRequest((r) => r.url.endsWith('.pdf'), 'the PDF');
    expect(req.request.responseType).to.equal('arraybuffer');
    expect(req.request.headers.get('Accept')).to.equal('application/vnd.mx.api.v1+pdf');
    expect(req.request.context.get(MX_REQUEST)).to.deep.include({ download: true });
    const body = pdfBytes('one');
    req.event({ type: HttpEventType.DownloadProgress, loaded: 10, total: body.byteLength });
    req.flush(body, { headers: { 'Content-Length': String(body.byteLength), 'Content-Type': 'application/pdf' } });
    const received = (await chunks).flatMap((c) => (E.isRight(c) ? [c.right] : []));
    sub.unsubscribe();
    expect(received.reduce((n, c) => n + c.bytes.byteLength, 0)).to.equal(body.byteLength);
    expect(new TextDecoder().decode(received[0]!.bytes).startsWith('%PDF-')).to.equal(true);
    expect(progress).to.deep.equal([{ path: '/users/USR-1/members/MBR-1/statements/STA-1.pdf', loaded: 10, total: body.byteLength }]);
  });

  it('passes a redirect mode on, and tells the core when the backend followed a redirect', async () => {
    setUp({ baseUrl: '/api/mx', auth: 'none' });
    const fetch = httpClientFetch(injector.get(HttpClient), { baseUrl: '/api/mx', responseType: 'text' });
    const init = { method: 'GET', headers: { Accept: 'application/json' }, signal: new AbortController().signal, redirect: 'manual' as const };
    const response = fetch('/api/mx/users', init);
    const req = await nextRequest(() => true, 'GET /users');
    expect(req.request.redirect).to.equal('manual');
    req.event(new HttpResponse({ status: 200, body: '{}', headers: new HttpHeaders(), redirected: true, responseType: 'opaqueredirect' }));
    expect(await response).to.deep.include({ status: 200, redirected: true, type: 'opaqueredirect' });
  });

  it('is what injectMxClient() returns, one client per injector', () => {
    const client = setUp({ baseUrl: '/api/mx', auth: 'none' });
    expect(runInInjectionContext(injector, injectMxClient)).to.equal(client);
  });

  it('refuses a bad config when the providers are built, before any injector exists', () => {
    expect(() => provideMxClient({ baseUrl: '//evil.example', auth: 'none' })).to.throw(MxConfigError);
    expect(() => provideMxClient({ auth: 'none' })).to.throw(MxConfigError).with.property('field', 'baseUrl');
  });
});

type Result = E.Either<MxError, StatementEvent>;

/**
 * A fake MX behind HttpTestingController: answers every open request by route until the run ends. MFA: the
 * first status poll after the job starts is CHALLENGED (TEXT), then the member connects.
 */
const answerAll = (done: Promise<unknown>): { log: string[]; stop: () => void } => {
  const log: string[] = [];
  let polls = 0;
  let resumed = false;
  const pdf = pdfBytes('statement STA-1');
  // MX's content_hash: the download is verified against it (and refused without one on a stricter core).
  const listed = { ...STATEMENT, content_hash: createHash('sha256').update(new Uint8Array(pdf)).digest('hex') };
  const routes: Array<[RegExp, (req: TestRequest) => void]> = [
    [/^GET \/users\?/, (r) => r.flush({ users: [], pagination: { current_page: 1, per_page: 100, total_entries: 0, total_pages: 1 } })],
    [/^POST \/users$/, (r) => r.flush({ user: USER })],
    [/^GET \/institutions\?/, (r) => r.flush({ institutions: [MXBANK], pagination: { current_page: 1, per_page: 100, total_entries: 1, total_pages: 1 } })],
    [/^GET \/institutions\/mxbank\/credentials/, (r) => r.flush({ credentials: FIELDS, pagination: { current_page: 1, per_page: 100, total_entries: 2, total_pages: 1 } })],
    [/^POST \/users\/USR-1\/members$/, (r) => r.flush({ member: MEMBER })],
    [/^POST \/users\/USR-1\/members\/MBR-1\/fetch_statements$/, (r) => r.flush({ member: { ...MEMBER, is_being_aggregated: true } }, { status: 202, statusText: 'Accepted' })],
    [/^GET \/users\/USR-1\/members\/MBR-1\/status$/, (r) => {
      polls++;
      r.flush({ member: resumed ? DONE : polls === 1 ? status('CONNECTED', true) : status('CHALLENGED', false, [TEXT_CHALLENGE]) });
    }],
    [/^GET \/users\/USR-1\/members\/MBR-1\/challenges/, (r) => r.flush({ challenges: [TEXT_CHALLENGE], pagination: { current_page: 1, per_page: 100, total_entries: 1, total_pages: 1 } })],
    [/^PUT \/users\/USR-1\/members\/MBR-1\/resume$/, (r) => {
      resumed = true;
      r.flush({ member: { ...MEMBER, connection_status: 'RESUMED' } }, { status: 202, statusText: 'Accepted' });
    }],
    [/^GET \/users\/USR-1\/members\/MBR-1\/statements\?/, (r) => r.flush({ statements: [listed], pagination: { current_page: 1, per_page: 100, total_entries: 1, total_pages: 1 } })],
    [/^GET \/users\/USR-1\/members\/MBR-1\/statements\/STA-1\.pdf$/, (r) => r.flush(pdf, { headers: { 'Content-Length': String(pdf.byteLength) } })],
  ];
  let running = true;
  void done.finally(() => (running = false));
  const timer = setInterval(() => {
    if (!running) return;
    for (const req of http.match(() => true)) {
      const line = `${req.request.method} ${req.request.urlWithParams.replace(/^\/api\/mx/, '')}`;
      log.push(line);
      const route = routes.find(([pattern]) => pattern.test(line));
      if (route) route[1](req);
      else req.flush({ error: { message: `fake MX has no route for ${line}` } }, { status: 418, statusText: 'Unrouted' });
    }
  }, 2);
  return { log, stop: () => clearInterval(timer) };
};

describe('angular: a whole fetchStatements$ run answered by HttpTestingController', function () {
  this.timeout(20_000);

  it('creates user and member, answers MFA through the Subject, and keeps a verified PDF in the memory sink', async () => {
    const client = setUp({ baseUrl: '/api/mx', auth: 'none', retry: false });
    const sink = createMemorySink();
    const mfa = new Subject<ChallengeAnswer[]>();
    const run$: Observable<Result> = fetchStatements$(client, {
      user: { id: USER.id! },
      institution: { name: 'MX Bank' },
      credentials: { LOGIN: 'mxuser', PASSWORD: 'hunter2' },
      mfa,
      polling: POLICY,
      download: { sink },
    });
    const finished = collect(run$.pipe(tap((r) => {
      if (E.isRight(r) && r.right.type === 'challenged') mfa.next(r.right.challenges.map((c) => ({ guid: c.guid, value: 'Sandy' })));
    })), 10_000, 'the run');
    const fake = answerAll(finished);
    let results: Result[];
    try {
      results = await finished;
    } finally {
      fake.stop();
    }
    const types = results.map((r) => (E.isRight(r) ? r.right.type : `Left:${r.left._tag}:${r.left.message}`));
    expect(types.filter((t) => t.startsWith('Left'))).to.deep.equal([]);
    expect(types).to.include.members(['challenged', 'challenge-answered', 'statement-downloaded', 'done']);
    const resume = seen.find((r) => r.method === 'PUT');
    expect(JSON.parse(resume!.body as string)).to.deep.equal({ member: { challenges: [{ guid: TEXT_CHALLENGE.guid, value: 'Sandy' }] } });
    expect(fake.log.every((line) => !line.includes('hunter2'))).to.equal(true);
    const stored = sink.get('MBR-1', 'STA-1');
    expect(new TextDecoder().decode(stored!.data).startsWith('%PDF-')).to.equal(true);
    expect(seen.length, 'every request went through the interceptor').to.equal(fake.log.length);
  });
});

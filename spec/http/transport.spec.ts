import { expect } from 'chai';
import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { resolveConfig, type FetchInit, type FetchLike, type FetchResponseLike, type MxClientConfig } from '../../lib/core/config.js';
import { WITHHELD_SERVER_TEXT, type MxError } from '../../lib/core/errors.js';
import { createTransport, type ApiRequest } from '../../lib/http/transport.js';
import { fakeFetch, systemError, type Script } from '../helpers/fake-fetch.js';
import { runVirtual, virtualScheduler } from '../helpers/virtual-time.js';
import { collect, last } from '../helpers/bounded.js';

const API_KEY = 'sk_live_TRANSPORT_SPEC_KEY_9f8e7d';
const Ok = t.type({ ok: t.boolean });

const setup = (script: Script[], overrides: Partial<MxClientConfig> = {}) => {
  const scheduler = virtualScheduler();
  const fake = fakeFetch(script, () => scheduler.now());
  const config = resolveConfig({
    baseUrl: 'https://mx.example.test',
    clientId: 'client-1',
    apiKey: API_KEY,
    scheduler,
    random: () => 1,
    retry: { baseDelayMs: 100, maxDelayMs: 1000, maxAttempts: 4 },
    ...overrides,
  });
  const transport = createTransport(config, { clientId: 'client-1', apiKey: API_KEY }, fake.fetch);
  return { scheduler, transport, calls: fake.calls };
};

const GET: ApiRequest = { method: 'GET', path: '/users/USR-1' };
const json = (status: number, body: unknown, headers: Record<string, string> = {}): Script =>
  ({ status, body: JSON.stringify(body), headers: { 'content-type': 'application/vnd.mx.api.v1+json', ...headers } });

const leftOf = (results: E.Either<MxError, unknown>[]): MxError => {
  const last = results[results.length - 1];
  if (!last || E.isRight(last)) throw new Error(`expected a Left, got ${JSON.stringify(results)}`);
  return last.left;
};

describe('http/transport', () => {
  describe('json$', () => {
    it('sends the vendor Accept, Basic auth and JSON Content-Type, and decodes the body', async () => {
      const { scheduler, transport, calls } = setup([json(200, { ok: true, extra: 1 })]);
      const { values } = await runVirtual(scheduler, transport.json$({ method: 'POST', path: '/users', body: { user: { id: 'u' } } }, Ok));
      expect(values).to.deep.equal([E.right({ ok: true, extra: 1 })]);
      expect(calls).to.have.length(1);
      const { url, init } = calls[0]!;
      expect(url).to.equal('https://mx.example.test/users');
      expect(init.method).to.equal('POST');
      expect(init.headers.Accept).to.equal('application/vnd.mx.api.v1+json');
      expect(init.headers['Content-Type']).to.equal('application/json');
      expect(init.headers.Authorization).to.equal(`Basic ${Buffer.from(`client-1:${API_KEY}`).toString('base64')}`);
      expect(init.body).to.equal('{"user":{"id":"u"}}');
    });

    it('names the configured API version in Accept-Version on every call, with the JSON Accept of that version', async () => {
      for (const [apiVersion, accept] of [['v20111101', 'application/vnd.mx.api.v1+json'], ['v20250224', 'application/json']] as const) {
        const { scheduler, transport, calls } = setup([json(200, { ok: true }), { status: 204 }, { status: 200, body: '%PDF-1.4' }], { apiVersion });
        await runVirtual(scheduler, transport.json$(GET, Ok));
        await runVirtual(scheduler, transport.empty$({ method: 'DELETE', path: '/users/USR-1' }));
        await runVirtual(scheduler, transport.bytes$({ method: 'GET', path: '/x.pdf' }));
        expect(calls.map((c) => c.init.headers['Accept-Version'])).to.deep.equal([apiVersion, apiVersion, apiVersion]);
        expect(calls.map((c) => c.init.headers.Accept)).to.deep.equal([accept, accept, 'application/vnd.mx.api.v1+pdf']);
      }
    });

    it('lets configured headers override Accept-Version everywhere and Accept on JSON calls, never Authorization', async () => {
      const { scheduler, transport, calls } = setup([json(200, { ok: true }), { status: 200, body: '%PDF-1.4' }], {
        headers: { 'accept-version': 'v20250224', accept: 'application/json', 'X-Proxy-Token': 'tok' },
      });
      await runVirtual(scheduler, transport.json$({ ...GET, headers: { Authorization: 'Basic forged' } }, Ok));
      await runVirtual(scheduler, transport.bytes$({ method: 'GET', path: '/x.pdf' }));
      const [jsonCall, pdfCall] = calls.map((c) => c.init.headers);
      expect(jsonCall).to.include({ 'accept-version': 'v20250224', accept: 'application/json', 'X-Proxy-Token': 'tok' });
      expect(Object.keys(jsonCall!).filter((k) => /^accept/i.test(k))).to.have.length(2);
      expect(jsonCall!.Authorization).to.equal(`Basic ${Buffer.from(`client-1:${API_KEY}`).toString('base64')}`);
      expect(pdfCall).to.include({ 'accept-version': 'v20250224', Accept: 'application/vnd.mx.api.v1+pdf' });
      expect(Object.keys(pdfCall!).filter((k) => /^accept$/i.test(k))).to.deep.equal(['Accept']);
    });

    it('tells onRetry about each retry before waiting (attempt numbers, delay, the scrubbed error)', async () => {
      const notices: unknown[] = [];
      const scheduler = virtualScheduler();
      const config = resolveConfig({
        baseUrl: 'https://mx.example.test', clientId: 'client-1', apiKey: API_KEY, scheduler, random: () => 1,
        retry: { baseDelayMs: 100, maxDelayMs: 1000, maxAttempts: 4 },
      });
      const fake = fakeFetch([{ throws: systemError('ECONNREFUSED') }, json(503, { error: API_KEY }), json(200, { ok: true })], () => scheduler.now());
      const t2 = createTransport(config, { clientId: 'client-1', apiKey: API_KEY }, fake.fetch, fake.fetch, (n) => notices.push({ ...n, at: scheduler.now() }));
      const { values } = await runVirtual(scheduler, t2.json$(GET, Ok));
      expect(values).to.deep.equal([E.right({ ok: true })]);
      expect(notices).to.have.length(2);
      expect(notices[0]).to.deep.include({ method: 'GET', path: '/users/USR-1', attempt: 1, maxAttempts: 4, delayMs: 100, at: 0 });
      expect((notices[0] as { error: MxError }).error._tag).to.equal('NetworkError');
      expect(notices[1]).to.deep.include({ attempt: 2, delayMs: 200 });
      expect(JSON.stringify(notices)).not.to.include(API_KEY);
    });

    it('hands each request its own headers object: a fetch wrapper may add to it, and the next request is clean', async () => {
      const seen: Array<Record<string, string>> = [];
      const config = resolveConfig({ baseUrl: 'https://mx.example.test', clientId: 'c', apiKey: API_KEY });
      const transport = createTransport(config, { clientId: 'c', apiKey: API_KEY }, (_url, init) => {
        seen.push({ ...init.headers });
        init.headers['X-Trace'] = `trace-${seen.length}`;
        return Promise.resolve(new Response(JSON.stringify({ ok: true }), { status: 200 }) as never);
      });
      expect(E.isRight(await last(transport.json$(GET, Ok)))).to.equal(true);
      expect(E.isRight(await last(transport.json$(GET, Ok)))).to.equal(true);
      expect(seen.map((h) => h['X-Trace'])).to.deep.equal([undefined, undefined]);
    });

    it('is cold: nothing is sent before subscribing, and each subscription sends its own request', async () => {
      const { scheduler, transport, calls } = setup([json(200, { ok: true }), json(200, { ok: false })]);
      const call$ = transport.json$(GET, Ok);
      expect(calls).to.have.length(0);
      await runVirtual(scheduler, call$);
      const second = await runVirtual(scheduler, call$);
      expect(calls).to.have.length(2);
      expect(second.values).to.deep.equal([E.right({ ok: false })]);
    });

    const statusCases: Array<[number, MxError['_tag']]> = [
      [400, 'BadRequest'], [401, 'Unauthorized'], [403, 'Forbidden'], [404, 'NotFound'], [405, 'MethodNotAllowed'],
      [406, 'NotAcceptable'], [409, 'Conflict'], [422, 'Unprocessable'], [418, 'UnexpectedStatus'], [500, 'ServerError'],
      [301, 'UnexpectedStatus'],
    ];
    for (const [status, tag] of statusCases) {
      it(`maps ${status} to ${tag} naming method and path, without retrying a POST`, async () => {
        const { scheduler, transport, calls } = setup([json(status, { error: { message: 'nope' } })]);
        const { values } = await runVirtual(scheduler, transport.json$({ method: 'POST', path: '/users/USR-1/members' }, Ok));
        const error = leftOf(values);
        expect(error._tag).to.equal(tag);
        expect(error).to.include({ method: 'POST', path: '/users/USR-1/members', status });
        expect(error.message).to.contain(`POST /users/USR-1/members → ${status}`);
        expect(calls).to.have.length(1);
      });
    }

    it('retries 503 on GET with exponential backoff on the scheduler, then succeeds', async () => {
      const { scheduler, transport, calls } = setup([json(503, {}), json(503, {}), json(200, { ok: true })]);
      const { values } = await runVirtual(scheduler, transport.json$(GET, Ok));
      expect(values).to.deep.equal([E.right({ ok: true })]);
      expect(calls.map((c) => c.at)).to.deep.equal([0, 100, 300]);
    });

    it('honours Retry-After in seconds on 429', async () => {
      const { scheduler, transport, calls } = setup([json(429, {}, { 'retry-after': '7' }), json(200, { ok: true })]);
      const { values } = await runVirtual(scheduler, transport.json$({ method: 'POST', path: '/users' }, Ok));
      expect(E.isRight(values[0]!)).to.equal(true);
      expect(calls.map((c) => c.at)).to.deep.equal([0, 7000]);
    });

    it('honours Retry-After as an HTTP date', async () => {
      const { scheduler, transport, calls } = setup([
        json(429, {}, { 'retry-after': new Date(5000).toUTCString() }),
        json(200, { ok: true }),
      ]);
      await runVirtual(scheduler, transport.json$(GET, Ok));
      expect(calls.map((c) => c.at)).to.deep.equal([0, 5000]);
    });

    it('does not wait for a Retry-After longer than maxRetryAfterMs: the RateLimited error is returned', async () => {
      const { scheduler, transport, calls } = setup([json(429, {}, { 'retry-after': '7200' })]);
      const { values } = await runVirtual(scheduler, transport.json$(GET, Ok));
      const error = leftOf(values);
      expect(error).to.include({ _tag: 'RateLimited', retryAfterMs: 7_200_000 });
      expect(calls).to.have.length(1);
    });

    it('gives up after maxAttempts and returns the last error', async () => {
      const { scheduler, transport, calls } = setup([json(502, {}), json(502, {}), json(502, {}), json(502, {})]);
      const { values } = await runVirtual(scheduler, transport.json$(GET, Ok));
      expect(leftOf(values)).to.include({ _tag: 'ServerError', status: 502 });
      expect(calls).to.have.length(4);
    });

    it('never retries a POST on 502, 504 or a reset, but does on 503 and a refused connection', async () => {
      for (const script of [json(502, {}), json(504, {}), { throws: systemError('ECONNRESET') }] as Script[]) {
        const { scheduler, transport, calls } = setup([script, json(200, { ok: true })]);
        const { values } = await runVirtual(scheduler, transport.json$({ method: 'POST', path: '/x' }, Ok));
        expect(E.isLeft(values[0]!), JSON.stringify(script)).to.equal(true);
        expect(calls).to.have.length(1);
      }
      for (const script of [json(503, {}), { throws: systemError('ECONNREFUSED') }] as Script[]) {
        const { scheduler, transport, calls } = setup([script, json(200, { ok: true })]);
        const { values } = await runVirtual(scheduler, transport.json$({ method: 'POST', path: '/x' }, Ok));
        expect(values).to.deep.equal([E.right({ ok: true })]);
        expect(calls).to.have.length(2);
      }
    });

    it('never retries other 4xx, even on GET', async () => {
      const { scheduler, transport, calls } = setup([json(404, {}), json(200, { ok: true })]);
      const { values } = await runVirtual(scheduler, transport.json$(GET, Ok));
      expect(leftOf(values)._tag).to.equal('NotFound');
      expect(calls).to.have.length(1);
    });

    it('retries a network reset on GET and reports NetworkError with its code when out of attempts', async () => {
      const reset = { throws: systemError('ECONNRESET', 'socket hang up') };
      const { scheduler, transport, calls } = setup([reset, reset], { retry: { maxAttempts: 2, baseDelayMs: 10 } });
      const { values } = await runVirtual(scheduler, transport.json$(GET, Ok));
      expect(leftOf(values)).to.include({ _tag: 'NetworkError', code: 'ECONNRESET' });
      expect(calls).to.have.length(2);
    });

    it('times out on the scheduler and aborts the request', async () => {
      const { scheduler, transport, calls } = setup([{ hang: true }], { timeoutMs: 5000, retry: false });
      const { values, times } = await runVirtual(scheduler, transport.json$(GET, Ok));
      expect(leftOf(values)).to.include({ _tag: 'Timeout', timeoutMs: 5000, method: 'GET', path: '/users/USR-1' });
      expect(times).to.deep.equal([5000]);
      expect(calls[0]!.init.signal.aborted).to.equal(true);
    });

    it('aborts the request when the subscriber unsubscribes', async () => {
      const { transport, calls } = setup([{ hang: true }]);
      const sub = transport.json$(GET, Ok).subscribe();
      await new Promise((r) => setImmediate(r));
      expect(calls).to.have.length(1);
      expect(calls[0]!.init.signal.aborted).to.equal(false);
      sub.unsubscribe();
      expect(calls[0]!.init.signal.aborted).to.equal(true);
    });

    it('turns a body of the wrong shape into a DecodeError with a readable path, never retried', async () => {
      const { scheduler, transport, calls } = setup([json(200, { ok: 'yes' })]);
      const { values } = await runVirtual(scheduler, transport.json$(GET, Ok));
      const error = leftOf(values);
      expect(error._tag).to.equal('DecodeError');
      expect(error._tag === 'DecodeError' && error.errors.join('\n')).to.contain('ok');
      expect(calls).to.have.length(1);
    });

    it('turns malformed JSON into a DecodeError', async () => {
      const { scheduler, transport } = setup([{ status: 200, body: '{"ok": tru' }]);
      const { values } = await runVirtual(scheduler, transport.json$(GET, Ok));
      expect(leftOf(values)._tag).to.equal('DecodeError');
    });

    it('maps an empty 204 through whenEmpty', async () => {
      const { scheduler, transport } = setup([{ status: 204 }]);
      const { values } = await runVirtual(scheduler, transport.json$(GET, Ok, { whenEmpty: () => ({ ok: false }) }));
      expect(values).to.deep.equal([E.right({ ok: false })]);
    });

    it('never lets the API key, the Authorization token or request secrets into an error', async () => {
      const token = Buffer.from(`client-1:${API_KEY}`).toString('base64');
      const echo = `{"error":"bad key ${API_KEY} token ${token} password hunter2-secret"}`;
      const { scheduler, transport } = setup([{ status: 401, body: echo }, { throws: new Error(`boom ${API_KEY} hunter2-secret`) }], { retry: false });
      const req: ApiRequest = { method: 'PUT', path: '/x', body: { member: { credentials: [{ guid: 'CRD-1', value: 'hunter2-secret' }] } }, secrets: ['hunter2-secret'] };
      const first = await runVirtual(scheduler, transport.json$(req, Ok));
      const second = await runVirtual(scheduler, transport.json$(req, Ok));
      for (const error of [leftOf(first.values), leftOf(second.values)]) {
        const text = JSON.stringify(error) + String(error.message);
        expect(text).not.to.contain(API_KEY);
        expect(text).not.to.contain(token);
        expect(text).not.to.contain('hunter2-secret');
        expect(text).to.contain('[redacted]');
      }
    });
  });

  it('scrubs secrets echoed in a body that fails to decode, or that is not JSON', async () => {
    const { scheduler, transport } = setup([
      json(200, { ok: 'pw-secret-77' }),
      { status: 200, body: '"pw-secret-77 broken' },
    ]);
    const req: ApiRequest = { ...GET, secrets: ['pw-secret-77'] };
    for (let i = 0; i < 2; i++) {
      const { values } = await runVirtual(scheduler, transport.json$(req, Ok));
      const error = leftOf(values);
      expect(error._tag).to.equal('DecodeError');
      expect(JSON.stringify(error)).not.to.contain('pw-secret-77');
    }
  });

  it('withholds a decode error that quotes a secret of 1 or 2 characters (a short PIN echoed back); a 3-character one is redacted', async () => {
    const { scheduler, transport } = setup([json(200, { ok: '7' }), json(200, { ok: 'x7q' })]);
    const short = leftOf((await runVirtual(scheduler, transport.json$({ ...GET, secrets: ['7'] }, Ok))).values);
    expect(short._tag).to.equal('DecodeError');
    // the line quoting the value is withheld; the message, which quotes none, is kept
    expect(short._tag === 'DecodeError' && short.errors).to.deep.equal([WITHHELD_SERVER_TEXT]);
    expect(short.message).to.match(/^GET \/users\/USR-1 → response did not match/);
    const longer = leftOf((await runVirtual(scheduler, transport.json$({ ...GET, secrets: ['x7q'] }, Ok))).values);
    expect(JSON.stringify(longer)).to.contain('[redacted]').and.not.contain('x7q');
  });

  it('scrubs an error body before cutting it, so no secret straddles the cut', async () => {
    const body = 'x'.repeat(495) + API_KEY + 'y'.repeat(100);
    const { scheduler, transport } = setup([{ status: 400, body }]);
    const { values } = await runVirtual(scheduler, transport.json$(GET, Ok));
    const error = leftOf(values);
    expect(JSON.stringify(error)).not.to.contain(API_KEY.slice(0, 6));
    expect(error._tag === 'BadRequest' && error.body!.length).to.equal(500);
  });

  it('shows control characters in an error body escaped, so a server cannot forge log lines', async () => {
    const { scheduler, transport } = setup([{ status: 500, body: 'oops\n\u001b[31mFAKE LOG LINE' }], { retry: false });
    const { values } = await runVirtual(scheduler, transport.json$(GET, Ok));
    const error = leftOf(values);
    expect(error._tag === 'ServerError' && error.body).to.equal('oops\\u000a\\u001b[31mFAKE LOG LINE');
  });

  describe('redirects, 1xx and bodies cut short (issue 11)', () => {
    /** A fetch answering with a hand-made response (status 0 and `type`/`redirected` included). */
    interface Answer {
      readonly status: number;
      readonly headers?: Record<string, string>;
      readonly text?: string;
      readonly redirected?: boolean;
      readonly type?: string;
      readonly url?: string;
    }
    const answering = (res: Answer) => {
      const seen: FetchInit[] = [];
      const fetch: FetchLike = (_url, init) => {
        seen.push(init);
        const headers = new Map(Object.entries(res.headers ?? {}));
        const text = res.text ?? '';
        return Promise.resolve({
          status: res.status,
          headers: { get: (n: string) => headers.get(n.toLowerCase()) ?? null },
          body: new ReadableStream<Uint8Array>({ start: (c) => { c.enqueue(new TextEncoder().encode(text)); c.close(); } }),
          text: () => Promise.resolve(text),
          ...(res.redirected !== undefined ? { redirected: res.redirected } : {}),
          ...(res.type !== undefined ? { type: res.type } : {}),
          ...(res.url !== undefined ? { url: res.url } : {}),
        } as FetchResponseLike);
      };
      return { fetch, seen };
    };
    const transportWith = (fetch: FetchLike) => {
      const scheduler = virtualScheduler();
      const config = resolveConfig({ baseUrl: 'https://mx.example.test', clientId: 'c', apiKey: API_KEY, scheduler, random: () => 1, retry: { baseDelayMs: 10 } });
      return { scheduler, transport: createTransport(config, { clientId: 'c', apiKey: API_KEY }, fetch) };
    };

    for (const status of [301, 302, 303, 307, 308]) {
      it(`asks for redirect: 'manual' and refuses a ${status} (RedirectRefused naming the target origin, never retried)`, async () => {
        const { fetch, seen } = answering({ status, headers: { location: 'https://evil.example:8443/steal?token=x' } });
        const { scheduler, transport } = transportWith(fetch);
        const { values } = await runVirtual(scheduler, transport.json$({ method: 'POST', path: '/users/U/members', body: { member: {} } }, Ok));
        expect(leftOf(values)).to.deep.equal({
          _tag: 'RedirectRefused', method: 'POST', path: '/users/U/members', status, targetOrigin: 'https://evil.example:8443',
          message: `POST /users/U/members ${status} redirect to https://evil.example:8443 refused; the MX API does not redirect and credentials never follow one (check the base URL)`,
        });
        expect(seen.map((i) => i.redirect)).to.deep.equal(['manual']);
      });
    }

    it('refuses a same-origin redirect too (saying so), a browser’s opaque redirect, and a fetch that followed one anyway', async () => {
      const same = answering({ status: 302, headers: { location: '/users/U2' } });
      let t = transportWith(same.fetch);
      expect(leftOf((await runVirtual(t.scheduler, t.transport.json$(GET, Ok))).values)).to.deep.include({
        _tag: 'RedirectRefused', targetOrigin: 'https://mx.example.test',
      }).and.satisfy((e: MxError) => e.message.includes('(the same origin)'));
      const opaque = answering({ status: 0, type: 'opaqueredirect' });
      t = transportWith(opaque.fetch);
      const refused = leftOf((await runVirtual(t.scheduler, t.transport.json$(GET, Ok))).values);
      expect(refused).to.include({ _tag: 'RedirectRefused', status: 0 }).and.not.have.property('targetOrigin');
      const followed = answering({ status: 200, redirected: true, url: 'http://127.0.0.1:9999/users/USR-1', text: '{"ok":true}' });
      t = transportWith(followed.fetch);
      expect(leftOf((await runVirtual(t.scheduler, t.transport.json$(GET, Ok))).values)).to.include({
        _tag: 'RedirectRefused', status: 200, targetOrigin: 'http://127.0.0.1:9999',
      });
    });

    it('keeps a 3xx without Location an UnexpectedStatus, and shows a hostile Location origin escaped', async () => {
      const { fetch } = answering({ status: 300 });
      let t = transportWith(fetch);
      expect(leftOf((await runVirtual(t.scheduler, t.transport.json$(GET, Ok))).values)).to.include({ _tag: 'UnexpectedStatus', status: 300 });
      t = transportWith(answering({ status: 302, headers: { location: 'https://a\u001b]0;x\u0007.test/' } }).fetch);
      const e = leftOf((await runVirtual(t.scheduler, t.transport.json$(GET, Ok))).values);
      expect(e._tag).to.equal('RedirectRefused');
      expect(/[\u0000-\u001f]/.test(e.message)).to.equal(false);
    });

    it('treats a 1xx answer (101 Switching Protocols) as a NetworkError: retried on GET, not on POST', async () => {
      const get = answering({ status: 101 });
      let t = transportWith(get.fetch);
      expect(leftOf((await runVirtual(t.scheduler, t.transport.json$(GET, Ok))).values)).to.include({ _tag: 'NetworkError' });
      expect(get.seen).to.have.length(4);
      const post = answering({ status: 101 });
      t = transportWith(post.fetch);
      expect(leftOf((await runVirtual(t.scheduler, t.transport.json$({ method: 'POST', path: '/users', body: {} }, Ok))).values)).to.include({ _tag: 'NetworkError' });
      expect(post.seen).to.have.length(1);
    });

    it('a JSON body that ends quietly short of its Content-Length is a NetworkError (counted in UTF-8 bytes)', async () => {
      const short = answering({ status: 200, headers: { 'content-length': '40' }, text: '{"ok":true}' });
      let t = transportWith(short.fetch);
      const e = leftOf((await runVirtual(t.scheduler, t.transport.json$(GET, Ok))).values);
      expect(e).to.include({ _tag: 'NetworkError', message: 'GET /users/USR-1 failed: the body broke off after 11 of 40 bytes' });
      // a body with non-ASCII characters whose UTF-8 size is its Content-Length is complete
      const exact = answering({ status: 200, headers: { 'content-length': String(new TextEncoder().encode('{"ok":true,"x":"é"}').byteLength) }, text: '{"ok":true,"x":"é"}' });
      t = transportWith(exact.fetch);
      expect((await runVirtual(t.scheduler, t.transport.json$(GET, Ok))).values).to.deep.equal([E.right({ ok: true, x: 'é' })]);
    });
  });

  describe('bytes$', () => {
    const pdf = new TextEncoder().encode('%PDF-1.7\n' + 'x'.repeat(1000) + '\n%%EOF\n');

    it('streams the bytes with the PDF Accept and the announced length', async () => {
      const { scheduler, transport, calls } = setup([{ status: 200, body: pdf, headers: { 'content-length': String(pdf.byteLength) } }]);
      const { values } = await runVirtual(scheduler, transport.bytes$(GET));
      expect(calls[0]!.init.headers.Accept).to.equal('application/vnd.mx.api.v1+pdf');
      const chunks = values.map((v) => (E.isRight(v) ? v.right : undefined));
      expect(chunks.every((c) => c !== undefined)).to.equal(true);
      expect(Buffer.concat(chunks.map((c) => c!.bytes)).equals(Buffer.from(pdf))).to.equal(true);
      expect(chunks.at(-1)!.received).to.equal(pdf.byteLength);
      expect(chunks.at(-1)!.contentLength).to.equal(pdf.byteLength);
    });

    it('reports a body shorter than its Content-Length as a truncated IntegrityError', async () => {
      const { scheduler, transport } = setup([{ status: 200, body: pdf.slice(0, 100), headers: { 'content-length': String(pdf.byteLength) } }]);
      const { values } = await runVirtual(scheduler, transport.bytes$(GET));
      const last = values.at(-1);
      expect(last !== undefined && E.isLeft(last) && last.left).to.include({ _tag: 'IntegrityError', reason: 'truncated' });
    });

    it('ignores Content-Length when the body was compressed (fetch decodes it)', async () => {
      const { scheduler, transport } = setup([{ status: 200, body: pdf, headers: { 'content-length': '10', 'content-encoding': 'gzip' } }]);
      const { values } = await runVirtual(scheduler, transport.bytes$(GET));
      expect(values.every(E.isRight)).to.equal(true);
      const last = values.at(-1);
      expect(last && E.isRight(last) && last.right).to.include({ received: pdf.byteLength, contentLength: undefined });
    });

    it('aborts the body read when the subscriber unsubscribes mid-download', async () => {
      let signal: AbortSignal | undefined;
      const hanging = new ReadableStream<Uint8Array>({ start: (c) => c.enqueue(pdf.slice(0, 64)) });
      const config = resolveConfig({ baseUrl: 'https://mx.example.test', clientId: 'c', apiKey: API_KEY });
      const transport = createTransport(config, { clientId: 'c', apiKey: API_KEY }, (_url, init) => {
        signal = init.signal;
        return Promise.resolve(new Response(hanging, { status: 200 }) as never);
      });
      const received: number[] = [];
      const sub = transport.bytes$(GET).subscribe((r) => received.push(E.isRight(r) ? r.right.received : -1));
      for (let i = 0; i < 20 && received.length === 0; i++) await new Promise((r) => setImmediate(r));
      expect(received).to.deep.equal([64]);
      expect(signal!.aborted).to.equal(false);
      sub.unsubscribe();
      expect(signal!.aborted).to.equal(true);
    });

    it('goes through the download fetch when one is given, and JSON calls through the other', async () => {
      const api = fakeFetch([json(200, { ok: true })]);
      const downloads = fakeFetch([{ status: 200, body: pdf }]);
      const config = resolveConfig({ baseUrl: 'https://mx.example.test', clientId: 'c', apiKey: API_KEY });
      const transport = createTransport(config, { clientId: 'c', apiKey: API_KEY }, api.fetch, downloads.fetch);
      await collect(transport.bytes$(GET));
      await last(transport.json$(GET, Ok));
      expect([api.calls.length, downloads.calls.length]).to.deep.equal([1, 1]);
      expect(downloads.calls[0]!.init.headers.Accept).to.equal('application/vnd.mx.api.v1+pdf');
    });

    it('collects into one request per subscription', async () => {
      const { transport, calls } = setup([{ status: 200, body: pdf }], { scheduler: undefined });
      const all = await collect(transport.bytes$(GET));
      expect(all.length).to.be.greaterThan(0);
      expect(calls).to.have.length(1);
    });
  });
});

import { request, type IncomingHttpHeaders } from 'node:http';
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { expect } from 'chai';
import { VirtualTimeScheduler, firstValueFrom, take, toArray } from 'rxjs';
import type { WebhookEvent } from '../../../lib/codecs/webhooks.js';
import { basicAuthChecker } from '../../../lib/node/webhooks/basic-auth.js';
import { createWebhookReceiver, type WebhookRejection } from '../../../lib/node/webhooks/receiver.js';
import { listenForWebhooks, type WebhookServer } from '../../../lib/node/webhooks/server.js';
import { MX_SAMPLES } from '../../codecs/webhook-samples.js';

const USER = 'mx-webhooks';
const PASSWORD = 'pa55-SECRET-word';
const auth = (user = USER, password = PASSWORD) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** One real HTTP request, bounded by a 5-s timeout. `body` may be a string or chunks sent with pauses. */
const post = (
  url: string,
  body: string | ReadonlyArray<string>,
  headers: Record<string, string> = { Authorization: auth() },
  method = 'POST',
): Promise<Answer> =>
  new Promise((resolve, reject) => {
    const req = request(url, { method, headers: { 'Content-Type': 'application/json', ...headers }, timeout: 5000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('spec request timed out')));
    // The server may answer (413, 401) and close before the whole body is sent: that is not a failure here.
    req.on('error', (err: NodeJS.ErrnoException) => (err.code === 'EPIPE' || err.code === 'ECONNRESET' ? undefined : reject(err)));
    if (typeof body === 'string') req.end(body);
    else {
      let i = 0;
      const next = () => {
        if (i === body.length) return req.end();
        req.write(body[i++]);
        setTimeout(next, 20);
      };
      next();
    }
  });

describe('node/webhooks receiver (real HTTP)', () => {
  let server: WebhookServer;
  let events: WebhookEvent[];
  let rejections: WebhookRejection[];
  let now: number;
  beforeEach(async () => {
    now = 1_000_000;
    server = await listenForWebhooks({ username: USER, password: PASSWORD, path: '/mx/webhooks', maxBodyBytes: 1024, bodyTimeoutMs: 300, now: () => now });
    events = [];
    rejections = [];
    server.events$.subscribe((e) => events.push(e));
    server.rejections$.subscribe((r) => rejections.push(r));
  });
  afterEach(async () => {
    await server.close();
  });

  it('answers 204 to each of MX\'s webhooks and emits it typed', async () => {
    for (const sample of Object.values(MX_SAMPLES)) {
      const a = await post(server.url, JSON.stringify(sample));
      expect(a.status).to.equal(204);
      expect(a.body).to.equal('');
    }
    expect(events.map((e) => [e.kind, e.memberGuid])).to.deep.equal([
      ['statement', 'MBR-7c6f361b'], ['aggregation', 'MBR-7c6f361b'], ['connection-status', 'MBR-7c6f361b'],
    ]);
    expect(server.stats()).to.deep.equal({ received: 3, duplicates: 0, rejected: 0, unknownTypes: 0 });
  });

  it('emits a redelivery once, whatever its field order, within the window; again after it', async () => {
    const wakeups = firstValueFrom(server.wakeups$.pipe(take(2), toArray()));
    const body = JSON.stringify(MX_SAMPLES.statement);
    const reordered = JSON.stringify(Object.fromEntries(Object.entries(MX_SAMPLES.statement).reverse()));
    expect((await post(server.url, body)).status).to.equal(204);
    expect((await post(server.url, reordered)).status).to.equal(204);
    expect((await post(server.url, body)).status).to.equal(204);
    expect(events).to.have.length(1);
    expect(server.stats().duplicates).to.equal(2);
    now += 25 * 60 * 60_000; // the default window is 25 h
    expect((await post(server.url, body)).status).to.equal(204);
    expect(events).to.have.length(2);
    expect(await wakeups).to.deep.equal([{ memberGuid: 'MBR-7c6f361b' }, { memberGuid: 'MBR-7c6f361b' }]);
  });

  it('emits a CONNECTION_STATUS payload each time it arrives answered: it has no time, so equal ones are new events (a second MFA round)', async () => {
    const body = JSON.stringify(MX_SAMPLES.connectionStatus);
    expect((await post(server.url, body)).status).to.equal(204);
    expect((await post(server.url, body)).status).to.equal(204);
    expect(events.map((e) => e.kind)).to.deep.equal(['connection-status', 'connection-status']);
    expect(server.stats()).to.deep.include({ received: 2, duplicates: 0 });
  });

  it('refuses missing, malformed and wrong credentials with 401 before reading the body', async () => {
    const body = JSON.stringify(MX_SAMPLES.statement);
    const answers = await Promise.all([
      post(server.url, body, {}),
      post(server.url, body, { Authorization: auth(USER, 'wrong') }),
      post(server.url, body, { Authorization: auth('someone', PASSWORD) }),
      post(server.url, body, { Authorization: auth(USER, `${PASSWORD}x`) }),
      post(server.url, body, { Authorization: `Bearer ${PASSWORD}` }),
      post(server.url, body, { Authorization: 'Basic !!!' }),
    ]);
    expect(answers.map((a) => a.status)).to.deep.equal([401, 401, 401, 401, 401, 401]);
    expect(answers[0]!.headers['www-authenticate']).to.match(/^Basic realm=/);
    expect(events).to.have.length(0);
    const everything = JSON.stringify([answers, rejections, server.stats()]);
    expect(everything).to.not.include(PASSWORD);
    expect(everything).to.not.include(Buffer.from(`${USER}:${PASSWORD}`).toString('base64'));
  });

  it('refuses a body over the cap with 413, announced or not, without reading it all', async () => {
    const big = JSON.stringify({ ...MX_SAMPLES.statement, padding: 'x'.repeat(5000) });
    expect((await post(server.url, big)).status).to.equal(413);
    // chunked (no Content-Length): refused once the cap is passed, while the client is still sending
    const chunks = Array.from({ length: 40 }, () => 'x'.repeat(100));
    const a = await post(server.url, ['{"type":"STATEMENT","member_guid":"MBR-1","pad":"', ...chunks, '"}'], { Authorization: auth(), 'Transfer-Encoding': 'chunked' });
    expect(a.status).to.equal(413);
    expect(events).to.have.length(0);
    expect(rejections.map((r) => r.status)).to.deep.equal([413, 413]);
  });

  it('answers 400 to what is not a webhook, 405 to another method, 404 to another path, and reports unknown types', async () => {
    expect((await post(server.url, '{"type":')).status).to.equal(400);
    expect((await post(server.url, JSON.stringify({ type: 'STATEMENT' }))).status).to.equal(400);
    expect((await post(server.url, '[]')).status).to.equal(400);
    expect((await post(server.url, '', { Authorization: auth() }, 'GET')).status).to.equal(405);
    expect((await post(server.url.replace('/mx/webhooks', '/other'), JSON.stringify(MX_SAMPLES.statement))).status).to.equal(404);
    expect((await post(server.url, JSON.stringify({ type: 'HOLDING', member_guid: 'MBR-9', extra: true }))).status).to.equal(204);
    expect(events).to.deep.equal([{ kind: 'unknown', type: 'HOLDING', memberGuid: 'MBR-9', userGuid: null, payload: { type: 'HOLDING', member_guid: 'MBR-9', extra: true } }]);
    expect(server.stats()).to.deep.include({ received: 1, unknownTypes: 1, rejected: 5 });
    expect(rejections.map((r) => r.status)).to.deep.equal([400, 400, 400, 405, 404]);
    expect(rejections[1]!.reason).to.match(/member_guid/);
  });

  it('answers 408 to a body that stalls', async () => {
    const a = await post(server.url, ['{"type":"STATE', ...Array.from({ length: 30 }, () => ' ')], { Authorization: auth(), 'Transfer-Encoding': 'chunked' });
    expect(a.status).to.equal(408);
  });

  it('completes its streams on close, and refuses later requests', async () => {
    let completed = 0;
    server.events$.subscribe({ complete: () => { completed += 1; } });
    server.wakeups$.subscribe({ complete: () => { completed += 1; } });
    const url = server.url;
    await server.close();
    expect(completed).to.equal(2);
    const refused = await post(url, JSON.stringify(MX_SAMPLES.statement)).then((a) => a.status, (e: NodeJS.ErrnoException) => e.code);
    expect(refused).to.equal('ECONNREFUSED');
  });
});

describe('node/webhooks receiver (handler)', () => {
  /** A request double: a stream with the headers of a POST. */
  const fakeReq = (headers: Record<string, string>) =>
    Object.assign(new PassThrough(), { method: 'POST', url: '/hooks', headers, complete: false }) as unknown as import('node:http').IncomingMessage & PassThrough;
  /** A response double; `answered: false` makes its answer never go out (the connection closes first). */
  const fakeRes = ({ answered = true } = {}) => {
    const res = Object.assign(new EventEmitter(), {
      status: 0,
      headersSent: false,
      writableFinished: false,
      writeHead(s: number) {
        res.status = s;
        res.headersSent = true;
        return res;
      },
      end() {
        res.writableFinished = answered;
        if (answered) setImmediate(() => res.emit('close'));
        return res;
      },
    });
    return res;
  };
  const handled = async (receiver: ReturnType<typeof createWebhookReceiver>, body: string, res = fakeRes()) => {
    const req = fakeReq({ authorization: auth() });
    receiver.handle(req, res as never);
    req.end(body);
    await new Promise((r) => setImmediate(r));
    return res;
  };

  it('drops a CONNECTION_STATUS payload (no time in it) as a redelivery only when the answer to it did not go out', async () => {
    const receiver = createWebhookReceiver({ username: USER, password: PASSWORD });
    const events: WebhookEvent[] = [];
    receiver.events$.subscribe((e) => events.push(e));
    const challenged = JSON.stringify(MX_SAMPLES.connectionStatus);
    // the first answer never went out: MX delivers it again, and the receiver knows it already
    const lost = await handled(receiver, challenged, fakeRes({ answered: false }));
    lost.emit('close');
    expect((await handled(receiver, challenged)).status).to.equal(204);
    expect(events).to.have.length(1);
    expect(receiver.stats()).to.deep.include({ received: 1, duplicates: 1 });
    // answered: the same payload again is a new event (another MFA round)
    await handled(receiver, challenged);
    expect(events).to.have.length(2);
    expect(receiver.stats()).to.deep.include({ received: 2, duplicates: 1 });
    receiver.close();
  });

  it('releases every listener and timer of a request once it is answered, whatever the outcome', async () => {
    const clock = new VirtualTimeScheduler();
    const receiver = createWebhookReceiver({ username: USER, password: PASSWORD, bodyTimeoutMs: 50, maxBodyBytes: 400, scheduler: clock });
    const listeners = (r: PassThrough) => ['data', 'end', 'error', 'close'].reduce((n, e) => n + r.listenerCount(e), 0);
    const ok = fakeReq({ authorization: auth() });
    const okRes = fakeRes();
    receiver.handle(ok, okRes as never);
    ok.end(JSON.stringify(MX_SAMPLES.statement));
    await new Promise((r) => setImmediate(r));
    const big = fakeReq({ authorization: auth() });
    const bigRes = fakeRes();
    receiver.handle(big, bigRes as never);
    big.write('x'.repeat(500));
    await new Promise((r) => setImmediate(r));
    const slow = fakeReq({ authorization: auth() });
    const slowRes = fakeRes();
    expect(clock.actions, 'no timer left by the requests answered').to.have.length(0);
    receiver.handle(slow, slowRes as never);
    clock.flush(); // its body timeout
    expect(clock.now()).to.equal(50);
    expect([okRes.status, bigRes.status, slowRes.status]).to.deep.equal([204, 413, 408]);
    expect([ok, big, slow].map(listeners)).to.deep.equal([0, 0, 0]);
    expect(clock.actions).to.have.length(0);
    // a request still being read when the receiver closes is answered 503 and released
    const pending = fakeReq({ authorization: auth() });
    const pendingRes = fakeRes();
    receiver.handle(pending, pendingRes as never);
    receiver.close();
    expect(pendingRes.status).to.equal(503);
    expect(listeners(pending)).to.equal(0);
  });

  it('checks credentials exactly, and refuses bad configuration', () => {
    const ok = basicAuthChecker('u', 'p:with:colons');
    expect(ok(`Basic ${Buffer.from('u:p:with:colons').toString('base64')}`)).to.equal(true);
    expect(ok(`basic   ${Buffer.from('u:p:with:colons').toString('base64')}`)).to.equal(true);
    expect(ok(`Basic ${Buffer.from('u:p:with:colon').toString('base64')}`)).to.equal(false);
    expect(ok(`Basic ${Buffer.from('u:p:with:colons ').toString('base64')}`)).to.equal(false);
    expect(ok(undefined)).to.equal(false);
    expect(ok('')).to.equal(false);
    expect(() => basicAuthChecker('', 'p')).to.throw(TypeError);
    expect(() => basicAuthChecker('a:b', 'p')).to.throw(TypeError);
    expect(() => basicAuthChecker('u', '')).to.throw(TypeError);
    expect(() => createWebhookReceiver({ username: 'u', password: 'p', maxBodyBytes: 0 })).to.throw(RangeError);
  });
});

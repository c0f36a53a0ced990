import { connect } from 'node:net';
import { expect } from 'chai';
import { basic, expectErrorBody, expectSandboxHeader, JSON_ACCEPT, useSandbox, type Res } from './helpers.js';

const rawHttp = (port: number, request: string | Buffer): Promise<string> =>
  new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(request));
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });

describe('sandbox: protocol (auth, Accept, routing, bodies, robustness)', () => {
  const api = useSandbox();

  /** A raw GET with `Accept-Version: v20111101` added (unless the headers name one). */
  const get = async (path: string, headers: Record<string, string>): Promise<Res> => {
    const res = await fetch(`${api().sb.url}${path}`, { headers: { 'Accept-Version': 'v20111101', ...headers } });
    const text = await res.text();
    expectSandboxHeader(res.headers);
    return { status: res.status, headers: res.headers, text, json: text ? JSON.parse(text) : undefined };
  };

  it('401 without, with malformed, or with wrong Basic credentials (JSON error body, WWW-Authenticate)', async () => {
    const { clientId, apiKey } = api().sb;
    for (const authorization of [undefined, 'Bearer x', 'Basic !!!', basic(clientId, 'wrong'), basic('wrong', apiKey), `Basic ${Buffer.from('nocolon').toString('base64')}`]) {
      const headers: Record<string, string> = { Accept: JSON_ACCEPT };
      if (authorization) headers.Authorization = authorization;
      const res = await get('/institutions', headers);
      expectErrorBody(res, 401);
      expect(res.headers.get('www-authenticate')).to.match(/^Basic/);
      expect(res.text).to.not.contain(apiKey);
    }
    // an unknown path needs auth too
    expectErrorBody(await get('/nowhere', {}), 401);
  });

  it('accepts the vendor JSON type, application/json, */* and a missing Accept; 406 for another version or type', async () => {
    const auth = api().auth;
    for (const accept of [JSON_ACCEPT, 'application/json', '*/*', 'application/*', 'text/html, */*;q=0.1', undefined]) {
      const headers: Record<string, string> = { Authorization: auth };
      if (accept) headers.Accept = accept;
      const res = await get('/institutions/mxbank', headers);
      expect(res.status, String(accept)).to.equal(200);
      expect(res.headers.get('content-type')).to.equal(JSON_ACCEPT);
    }
    for (const accept of ['application/vnd.mx.api.v2+json', 'application/vnd.mx.api.v1+pdf', 'text/html', 'application/json;q=0']) {
      expectErrorBody(await get('/institutions/mxbank', { Authorization: auth, Accept: accept }), 406);
    }
  });

  it('404 for an unknown path, 405 (with Allow) for a known path with another method', async () => {
    expectErrorBody(await api().call('x', 'GET', '/nowhere'), 404);
    expectErrorBody(await api().call('x', 'GET', '/users/USR-1/members/MBR-1/nothing'), 404);
    const res = await api().call('x', 'PATCH', '/users');
    expectErrorBody(res, 405);
    expect(res.headers.get('allow')).to.contain('POST');
    expectErrorBody(await api().call('x', 'GET', '/users/%E0%A4%A'), 400);
  });

  it('400 for invalid JSON and wrong JSON types, 415 for a non-JSON content type, 413 beyond 1 MB', async () => {
    const post = (raw: string | Buffer, contentType = 'application/json') =>
      api().call('createUser', 'POST', '/users', { raw, headers: { 'Content-Type': contentType } });
    expectErrorBody(await post('{"user":'), 400);
    expectErrorBody(await post('not json at all'), 400);
    expectErrorBody(await post('null'), 400);
    expectErrorBody(await post('"user"'), 400);
    expectErrorBody(await post('12'), 400);
    expectErrorBody(await post(''), 400);
    expectErrorBody(await post('{"user":{"id":"x"}}', 'text/plain'), 415);
    expectErrorBody(await post('user=x', 'application/x-www-form-urlencoded'), 415);
    const huge = Buffer.alloc(1024 * 1024 + 10, 0x20);
    expectErrorBody(await post(huge), 413);
    // deep nesting and odd unicode do not break it
    expectErrorBody(await post(`${'['.repeat(5000)}${']'.repeat(5000)}`), 400);
    expect((await post('{"user":{"id":"\\u0000\\ud83d\\ude00"}}')).status).to.equal(200);
  });

  it('answers malformed HTTP with 400 and keeps serving', async () => {
    const reply = await rawHttp(api().sb.port, 'THIS IS NOT HTTP\r\n\r\n');
    expect(reply).to.match(/^HTTP\/1\.1 400/);
    expect(reply).to.match(/\r\nX-MX-Sandbox: mx-statements-rx\r\n/i);
    const bigHeader = await rawHttp(api().sb.port, `GET /users HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(70_000)}\r\n\r\n`);
    expect(bigHeader).to.match(/^HTTP\/1\.1 431/);
    expect((await api().call('listUsers', 'GET', '/users')).status).to.equal(200);
  });

  it('survives a flood of random garbage requests, then still answers correctly', async () => {
    const paths = ['/users', '/users/x/members', '/users/x/members/y/resume', '/institutions', '/users/x/members/y/statements/z.pdf'];
    const bodies = ['{', '[]', '{"member":{"challenges":[{"guid":1,"value":{}}]}}', '{"user":{"id":[1]}}', '\u0000\u0001', '{"member":{"institution_code":"mxbank","credentials":[null]}}'];
    const methods = ['GET', 'POST', 'PUT', 'DELETE'];
    const jobs: Array<Promise<unknown>> = [];
    for (let i = 0; i < 60; i++) {
      const method = methods[i % methods.length] ?? 'GET';
      const body = method === 'GET' ? undefined : bodies[i % bodies.length];
      jobs.push(api().call('auto', method, paths[i % paths.length] ?? '/', { raw: body, headers: { 'Content-Type': 'application/json' } }).then((r) => expect(r.status).to.be.below(500)));
    }
    await Promise.all(jobs);
    expect((await api().call('readInstitution', 'GET', '/institutions/mxbank')).status).to.equal(200);
  });
});

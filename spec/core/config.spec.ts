import { expect } from 'chai';
import { asyncScheduler } from 'rxjs';
import { DEFAULT_RETRY, MxConfigError, resolveConfig } from '../../lib/core/config.js';
import { createMxClient } from '../../lib/api/client.js';

const basic = { clientId: 'id', apiKey: 'key-123' };

describe('core/config', () => {
  it('maps the named environments to MX hosts', () => {
    expect(resolveConfig({ environment: 'integration', ...basic }).baseUrl).to.equal('https://int-api.mx.com');
    expect(resolveConfig({ environment: 'production', ...basic }).baseUrl).to.equal('https://api.mx.com');
  });

  it('fills in defaults', () => {
    const c = resolveConfig({ baseUrl: 'https://proxy.example/mx/', ...basic });
    expect(c.baseUrl).to.equal('https://proxy.example/mx');
    expect(c.retry).to.deep.equal(DEFAULT_RETRY);
    expect(c.timeoutMs).to.equal(30_000);
    expect(c.rateLimit).to.equal(false);
    expect(c.scheduler).to.equal(asyncScheduler);
    expect(c.apiVersion).to.equal('v20111101');
    expect(resolveConfig({ baseUrl: 'https://x.example', ...basic, apiVersion: 'v20250224' }).apiVersion).to.equal('v20250224');
  });

  it('holds no secret', () => {
    const c = resolveConfig({ environment: 'integration', clientId: 'id', apiKey: 'the-secret-key' });
    expect(JSON.stringify(c)).not.to.contain('the-secret-key');
    const client = createMxClient({ environment: 'integration', clientId: 'id', apiKey: 'the-secret-key' });
    expect(JSON.stringify(client.config)).not.to.contain('the-secret-key');
  });

  const bad: Array<[string, object, string]> = [
    ['no host', { ...basic }, 'baseUrl'],
    ['both environment and baseUrl', { environment: 'integration', baseUrl: 'https://x', ...basic }, 'baseUrl'],
    ['unknown environment', { environment: 'staging', ...basic }, 'environment'],
    ['not a URL', { baseUrl: 'not a url', ...basic }, 'baseUrl'],
    ['credentials in the URL', { baseUrl: 'https://u:p@x.example', ...basic }, 'baseUrl'],
    ['ftp', { baseUrl: 'ftp://x.example', ...basic }, 'baseUrl'],
    ['plain http to a remote host', { baseUrl: 'http://mx.example.com', ...basic }, 'baseUrl'],
    ['missing apiKey with basic auth', { environment: 'integration', clientId: 'id' }, 'apiKey'],
    ['missing clientId with basic auth', { environment: 'integration', apiKey: 'k' }, 'clientId'],
    ['a colon in clientId', { environment: 'integration', clientId: 'a:b', apiKey: 'k' }, 'clientId'],
    ['an unknown auth mode', { environment: 'integration', auth: 'bearer' }, 'auth'],
    ['a negative timeout', { environment: 'integration', ...basic, timeoutMs: -1 }, 'timeoutMs'],
    ['zero attempts', { environment: 'integration', ...basic, retry: { maxAttempts: 0 } }, 'retry.maxAttempts'],
    ['a zero rate', { environment: 'integration', ...basic, rateLimit: { requestsPerSecond: 0 } }, 'rateLimit.requestsPerSecond'],
    ['an Authorization extra header', { environment: 'integration', ...basic, headers: { Authorization: 'x' } }, 'headers.Authorization'],
    ['a fetch that is not a function', { environment: 'integration', ...basic, fetch: 'x' }, 'fetch'],
    ['a downloadFetch that is not a function', { environment: 'integration', ...basic, downloadFetch: {} }, 'downloadFetch'],
    ['an unknown API version', { environment: 'integration', ...basic, apiVersion: 'v2011101' }, 'apiVersion'],
    ['an onRetry that is not a function', { environment: 'integration', ...basic, onRetry: 1 }, 'onRetry'],
  ];
  for (const [name, config, field] of bad) {
    it(`refuses ${name} at creation, naming ${field}`, () => {
      expect(() => createMxClient(config as never)).to.throw(MxConfigError).with.property('field', field);
    });
  }

  it('allows plain http to loopback, and elsewhere only with allowInsecureHttp', () => {
    expect(resolveConfig({ baseUrl: 'http://127.0.0.1:4010', ...basic }).baseUrl).to.equal('http://127.0.0.1:4010');
    expect(resolveConfig({ baseUrl: 'http://localhost:4010', ...basic }).baseUrl).to.equal('http://localhost:4010');
    expect(resolveConfig({ baseUrl: 'http://[::1]:4010', ...basic }).baseUrl).to.equal('http://[::1]:4010');
    expect(resolveConfig({ baseUrl: 'http://mx.internal', allowInsecureHttp: true, ...basic }).baseUrl).to.equal('http://mx.internal');
  });

  it("accepts auth 'none' without credentials, for a backend proxy", () => {
    const c = resolveConfig({ baseUrl: 'https://my-backend.example/mx', auth: 'none', headers: { 'X-Session': 's' } });
    expect(c.auth).to.equal('none');
    expect(c.headers).to.deep.equal({ 'X-Session': 's' });
  });

  it('turns retries off with retry: false', () => {
    expect(resolveConfig({ environment: 'integration', ...basic, retry: false }).retry.maxAttempts).to.equal(1);
  });

  it('error messages never contain the API key', () => {
    try {
      resolveConfig({ baseUrl: 'http://remote.example', clientId: 'id', apiKey: 'key-never-shown' });
      expect.fail('should throw');
    } catch (e) {
      expect(String((e as Error).message)).not.to.contain('key-never-shown');
    }
  });
});

describe('core/config: a same-origin path as baseUrl (browser apps behind a proxy)', () => {
  it('keeps /api/mx relative (trailing slashes dropped), so the page\'s own origin answers', () => {
    expect(resolveConfig({ baseUrl: '/api/mx/', auth: 'none' }).baseUrl).to.equal('/api/mx');
    expect(resolveConfig({ baseUrl: '/', auth: 'none' }).baseUrl).to.equal('');
  });

  it('sends every request to a relative URL under that path, never to another host', async () => {
    const urls: string[] = [];
    const spy = async (input: string) => {
      urls.push(input);
      return { status: 200, headers: { get: (n: string) => (n === 'content-length' ? '2' : null) }, body: null, text: async () => '{}' };
    };
    const client = createMxClient({ baseUrl: '/api/mx', auth: 'none', fetch: spy, retry: false });
    await new Promise<void>((done) => client.transport.empty$({ method: 'GET', path: '/users/USR-1' }).subscribe({ complete: done }));
    expect(urls).to.deep.equal(['/api/mx/users/USR-1']);
  });

  it('refuses a path where no page gives it an origin (Node, a worker without one): every call would fail as an invalid URL', () => {
    expect(typeof (globalThis as { location?: unknown }).location).to.equal('undefined');
    expect(() => createMxClient({ baseUrl: '/api/mx', auth: 'none' })).to.throw(MxConfigError, /absolute URL/).with.property('field', 'baseUrl');
    // a fetch of your own decides how to resolve the path (Angular's HttpClient on a server does): accepted
    const spy = async () => ({ status: 204, headers: { get: () => null }, body: null, text: async () => '' });
    expect(createMxClient({ baseUrl: '/api/mx', auth: 'none', fetch: spy }).config.baseUrl).to.equal('/api/mx');
  });

  it('accepts a path on a page with an origin', () => {
    const g = globalThis as { location?: unknown };
    g.location = { origin: 'http://localhost:4200' };
    try {
      expect(createMxClient({ baseUrl: '/api/mx', auth: 'none' }).config.baseUrl).to.equal('/api/mx');
    } finally {
      delete g.location;
    }
  });

  for (const hostile of ['//evil.example/mx', '/\\evil.example', '/api/mx?x=1', '/api/mx#x', '/api mx', '/api/\nmx']) {
    it(`refuses ${JSON.stringify(hostile)}, naming baseUrl`, () => {
      expect(() => resolveConfig({ baseUrl: hostile, auth: 'none' })).to.throw(MxConfigError).with.property('field', 'baseUrl');
    });
  }
});

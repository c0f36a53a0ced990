import { expect } from 'chai';
import { startSandbox } from '../../lib/sandbox/index.js';
import { Api, V1_HEADERS } from './helpers.js';

describe('sandbox: CORS', () => {
  it('is off by default: no CORS headers, a preflight gets 401', async () => {
    const api = new Api(await startSandbox({ seed: 'cors' }));
    try {
      const res = await fetch(`${api.sb.url}/institutions`, { headers: { Origin: 'http://localhost:4200', Authorization: api.auth } });
      expect(res.headers.get('access-control-allow-origin')).to.equal(null);
      const pre = await fetch(`${api.sb.url}/institutions`, {
        method: 'OPTIONS',
        headers: { Origin: 'http://localhost:4200', 'Access-Control-Request-Method': 'GET' },
      });
      expect(pre.status).to.equal(401);
    } finally {
      await api.sb.close();
    }
  });

  it('for a configured origin: preflight 204, headers on answers, anonymous calls served like a backend proxy', async () => {
    const origin = 'http://localhost:4200';
    const api = new Api(await startSandbox({ seed: 'cors', cors: origin }));
    try {
      const pre = await fetch(`${api.sb.url}/users`, {
        method: 'OPTIONS',
        headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type, accept-version' },
      });
      expect(pre.status).to.equal(204);
      expect(pre.headers.get('access-control-allow-origin')).to.equal(origin);
      expect(pre.headers.get('access-control-allow-methods')).to.contain('POST');
      expect(pre.headers.get('access-control-allow-headers')).to.contain('Content-Type');
      expect(pre.headers.get('access-control-allow-headers')).to.contain('Accept-Version');
      const anon = await fetch(`${api.sb.url}/institutions/mxbank`, { headers: { Origin: origin, ...V1_HEADERS } });
      expect(anon.status).to.equal(200);
      expect(anon.headers.get('access-control-allow-origin')).to.equal(origin);
      expect(anon.headers.get('access-control-expose-headers')).to.contain('Retry-After');
      // a page can read the sandbox's own header (the library's client.hints.sandbox in a browser)
      expect(anon.headers.get('access-control-expose-headers')).to.contain('X-MX-Sandbox');
      expect(anon.headers.get('x-mx-sandbox')).to.equal('mx-statements-rx');
      const wrongKey = await fetch(`${api.sb.url}/institutions/mxbank`, { headers: { Origin: origin, Authorization: 'Basic eDp5' } });
      expect(wrongKey.status).to.equal(401);
      expect(wrongKey.headers.get('access-control-allow-origin')).to.equal(origin);
      const other = await fetch(`${api.sb.url}/institutions/mxbank`, { headers: { Origin: 'http://evil.example' } });
      expect(other.status).to.equal(401);
      expect(other.headers.get('access-control-allow-origin')).to.equal(null);
    } finally {
      await api.sb.close();
    }
  });
});

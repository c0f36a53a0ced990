import { expect } from 'chai';
import { SANDBOX_POLLING } from '../../lib/workflow/policy.js';
import { startSandbox } from '../../lib/sandbox/index.js';
import { SANDBOX_API_VERSIONS } from '../../lib/sandbox/versions.js';
import { JSON_MEDIA_TYPES } from '../../lib/sandbox/versions.js';
import { Api, basic, expectErrorBody, expectSandboxHeader, PDF_ACCEPT, useSandbox, type Res } from './helpers.js';

describe('sandbox: API versions (Accept-Version), the sandbox header and polling hint', () => {
  const api = useSandbox();

  const raw = async (path: string, headers: Record<string, string>, init: RequestInit = {}): Promise<Res> => {
    const res = await fetch(`${api().sb.url}${path}`, { ...init, headers: { Authorization: api().auth, ...headers } });
    const text = await res.text();
    expectSandboxHeader(res.headers);
    return { status: res.status, headers: res.headers, text, json: /json/.test(res.headers.get('content-type') ?? '') && text ? JSON.parse(text) : undefined };
  };

  it('406 with an MX-style JSON error when Accept-Version is missing, empty or unknown (any route, any method)', async () => {
    for (const version of [undefined, '', 'v2', 'v20111102', 'V20250224', '20250224']) {
      const headers: Record<string, string> = { Accept: 'application/vnd.mx.api.v1+json' };
      if (version !== undefined) headers['Accept-Version'] = version;
      const res = await raw('/institutions/mxbank', headers);
      expectErrorBody(res, 406);
      expect(res.json.error.message).to.contain("didn't specify a valid API version");
      expect(res.json.error.message).to.contain('Accept-Version');
      expect(res.headers.get('content-type')).to.equal('application/json');
    }
    const post = await raw('/users', { 'Content-Type': 'application/json' }, { method: 'POST', body: JSON.stringify({ user: { id: 'no-version' } }) });
    expectErrorBody(post, 406);
    // nothing was created by the refused request
    const list = await api().call('listUsers', 'GET', '/users?id=no-version');
    expect(list.json.users).to.deep.equal([]);
  });

  it('answers each request in the version it names: media type and body shape follow Accept-Version', async () => {
    for (const version of SANDBOX_API_VERSIONS) {
      const res = await raw('/institutions/mxbank', { 'Accept-Version': version });
      expect(res.status, version).to.equal(200);
      expect(res.headers.get('content-type')).to.equal(JSON_MEDIA_TYPES[version]);
      if (version === 'v20111101') {
        expect(res.json.institution.supports_account_statement).to.equal(true);
        expect(res.json.institution).to.not.have.property('supported_products');
      } else {
        expect(res.json.institution.supported_products).to.include('statements');
        expect(res.json.institution).to.not.have.property('supports_account_statement');
      }
    }
    expect(JSON_MEDIA_TYPES).to.deep.equal({ v20111101: 'application/vnd.mx.api.v1+json', v20250224: 'application/json' });
  });

  it('errors are answered in the media type of the version asked for', async () => {
    const v1 = await raw('/users/USR-nope', { 'Accept-Version': 'v20111101' });
    expectErrorBody(v1, 404);
    expect(v1.headers.get('content-type')).to.equal('application/vnd.mx.api.v1+json');
    const v2 = await raw('/users/USR-nope', { 'Accept-Version': 'v20250224' });
    expectErrorBody(v2, 404);
    expect(v2.headers.get('content-type')).to.equal('application/json');
  });

  it('404/405/401 still come before the version check; a PDF keeps the vendor PDF type in both versions', async () => {
    expectErrorBody(await raw('/nowhere', {}), 404);
    expectErrorBody(await raw('/users', {}, { method: 'PATCH' }), 405);
    const unauth = await fetch(`${api().sb.url}/institutions`);
    expect(unauth.status).to.equal(401);
    expectSandboxHeader(unauth.headers);
    const { u, m } = await api().userWithMember();
    await api().fetchStatements(u, m);
    await api().settled(u, m);
    const [s] = (await api().call('listStatementsByMember', 'GET', `/users/${u}/members/${m}/statements`)).json.statements;
    for (const version of SANDBOX_API_VERSIONS) {
      const pdf = await fetch(`${api().sb.url}${s.uri}`, { headers: { Authorization: api().auth, Accept: PDF_ACCEPT, 'Accept-Version': version } });
      expect(pdf.status, version).to.equal(200);
      expect(pdf.headers.get('content-type')).to.equal(PDF_ACCEPT);
      expectSandboxHeader(pdf.headers);
      await pdf.arrayBuffer();
    }
    expectErrorBody(await raw(s.uri, { Accept: PDF_ACCEPT }), 406);
  });

  it('every answer says it is the sandbox (X-MX-Sandbox), and the handle recommends the fast polling profile', async () => {
    expect(api().sb.polling).to.equal(SANDBOX_POLLING);
    for (const res of [await raw('/institutions', { 'Accept-Version': 'v20250224' }), await raw('/nowhere', {}), await raw('/institutions', {})]) {
      expect(res.headers.get('x-mx-sandbox')).to.equal('mx-statements-rx');
    }
  });

  it('legacyAccept: a request without Accept-Version is served as v20111101 (pre-August-2026 clients); unknown versions still 406', async () => {
    const legacy = new Api(await startSandbox({ legacyAccept: true, seed: 'legacy' }));
    try {
      const auth = basic(legacy.sb.clientId, legacy.sb.apiKey);
      const bare = await fetch(`${legacy.sb.url}/institutions/mxbank`, { headers: { Authorization: auth } });
      expect(bare.status).to.equal(200);
      expect(bare.headers.get('content-type')).to.equal('application/vnd.mx.api.v1+json');
      expect((await bare.json()).institution.supports_account_statement).to.equal(true);
      const v2 = await fetch(`${legacy.sb.url}/institutions/mxbank`, { headers: { Authorization: auth, 'Accept-Version': 'v20250224' } });
      expect(v2.headers.get('content-type')).to.equal('application/json');
      const unknown = await fetch(`${legacy.sb.url}/institutions/mxbank`, { headers: { Authorization: auth, 'Accept-Version': 'v3' } });
      expect(unknown.status).to.equal(406);
      await unknown.text();
      await v2.text();
    } finally {
      await legacy.sb.close();
    }
  });
});

import { expect } from 'chai';
import { completePage, consentPage, errorPage, escapeHtml } from '../../lib/sandbox/oauth/pages.js';
import { SANDBOX_API_VERSIONS } from '../../lib/sandbox/versions.js';
import { expectErrorBody, expectSandboxHeader, useSandbox, type Api } from './helpers.js';

/** Creates an OAuth member of mx_bank_oauth; `top` goes beside `member` (client_redirect_url, data_request…). */
const oauthMember = async (api: Api, top: Record<string, unknown> = {}, member: Record<string, unknown> = {}) => {
  const u = await api.createUser();
  const res = await api.call('createMember', 'POST', `/users/${u}/members`, {
    body: { member: { institution_code: 'mx_bank_oauth', credentials: [], is_oauth: true, ...member }, ...top },
  });
  expect(res.status, res.text).to.equal(200);
  return { u, m: res.json.member.guid as string, uri: res.json.member.oauth_window_uri as string };
};

interface Page {
  readonly status: number;
  readonly headers: Headers;
  readonly html: string;
}

/** Opens a window link as a browser would (no Basic auth, no Accept-Version). */
const open = async (uri: string): Promise<Page> => {
  const res = await fetch(uri, { headers: { Accept: 'text/html' }, redirect: 'manual' });
  expectSandboxHeader(res.headers);
  return { status: res.status, headers: res.headers, html: await res.text() };
};

/** Presses a button of the window: the form post a browser sends. */
const press = async (uri: string, decision: string, token = uri.split('/').pop() ?? ''): Promise<Page> => {
  const res = await fetch(uri, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token, decision }).toString(),
    redirect: 'manual',
  });
  expectSandboxHeader(res.headers);
  return { status: res.status, headers: res.headers, html: await res.text() };
};

const expectPageHeaders = (page: Page): void => {
  expect(page.headers.get('cache-control')).to.equal('no-store');
  expect(page.headers.get('x-frame-options')).to.equal('DENY');
  expect(page.headers.get('referrer-policy')).to.equal('no-referrer');
  expect(page.headers.get('content-security-policy')).to.contain("frame-ancestors 'none'");
};

describe('sandbox: OAuth window (mx_bank_oauth)', () => {
  const api = useSandbox({ aggregationMs: 40, jobStartDelayMs: 100 });

  it('the window is a page a person can use: names the institution, Authorize and Deny in a plain form post, never cached', async () => {
    const { uri } = await oauthMember(api());
    const page = await open(uri);
    expect(page.status).to.equal(200);
    expect(page.headers.get('content-type')).to.equal('text/html; charset=utf-8');
    expectPageHeaders(page);
    expect(page.html).to.contain('MX Bank (OAuth)');
    const path = new URL(uri).pathname;
    expect(page.html).to.match(new RegExp(`<form method="post" action="${path}">`));
    expect(page.html).to.match(/<button type="submit" name="decision" value="authorize">Authorize<\/button>/);
    expect(page.html).to.match(/<button type="submit" name="decision" value="deny">Deny<\/button>/);
    expect(page.html).to.match(/<button type="submit" name="decision" value="cancel">Cancel<\/button>/);
    // opening it again (a reload) shows it again until the person decides
    expect((await open(uri)).status).to.equal(200);
  });

  it('Authorize: the member moves on as MX does (PENDING → a job → CONNECTED); the page tells the opener; the link is spent', async () => {
    const { u, m, uri } = await oauthMember(api());
    const done = await press(uri, 'authorize');
    expect(done.status).to.equal(200);
    expectPageHeaders(done);
    expect(done.html).to.contain('You can close this window');
    expect(done.html).to.contain('"type":"oauthComplete/success"');
    expect(done.html).to.contain(`"member_guid":"${m}"`);
    expect(done.html).to.contain('window.opener.postMessage');
    // the job begins after the start delay: until then PENDING, not aggregating
    expect((await api().status(u, m)).json.member).to.include({ connection_status: 'PENDING', is_being_aggregated: false });
    const end = await api().waitFor(u, m, (s) => s.connection_status === 'CONNECTED' && s.is_being_aggregated === false && s.aggregated_at !== null);
    expect(end.is_authenticated).to.equal(true);
    expect((await api().call('readMember', 'GET', `/users/${u}/members/${m}`)).json.member.oauth_window_uri).to.equal(null);
    // spent: a second visit or press shows an error page and changes nothing
    for (const again of [await open(uri), await press(uri, 'deny')]) {
      expect(again.status).to.equal(410);
      expect(again.html).to.contain('already used');
    }
    expect((await api().status(u, m)).json.member.connection_status).to.equal('CONNECTED');
    // and the member can fetch statements now
    expect((await api().fetchStatements(u, m)).status).to.equal(202);
    await api().waitFor(u, m, (s) => s.is_being_aggregated === true);
    expect((await api().settled(u, m)).connection_status).to.equal('CONNECTED');
    expect((await api().call('listStatementsByMember', 'GET', `/users/${u}/members/${m}/statements`)).json.statements).to.have.length(6);
  });

  it('a form body past 8 KiB gets its 413 page (the connection closes after it), and the link stays open', async () => {
    const { u, m, uri } = await oauthMember(api());
    const token = uri.split('/').pop() ?? '';
    const big = new URLSearchParams({ token, decision: 'authorize', note: 'x'.repeat(9000) }).toString();
    const res = await fetch(uri, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: big, redirect: 'manual' });
    expect(res.status).to.equal(413);
    expect(res.headers.get('connection')).to.equal('close');
    expect(await res.text()).to.contain('form body larger than 8192 bytes');
    expect((await api().status(u, m)).json.member.connection_status).to.equal('PENDING');
    expect((await open(uri)).status).to.equal(200);
  });

  it('Deny: DENIED, and the page posts oauthComplete/error with the reason', async () => {
    const { u, m, uri } = await oauthMember(api());
    const done = await press(uri, 'deny');
    expect(done.status).to.equal(200);
    expect(done.html).to.contain('"type":"oauthComplete/error"');
    expect(done.html).to.contain('"error_reason":"DENIED"');
    expect(done.html).to.contain(`"member_guid":"${m}"`);
    expect((await api().status(u, m)).json.member).to.include({ connection_status: 'DENIED', is_being_aggregated: false });
    expect((await api().call('readMember', 'GET', `/users/${u}/members/${m}`)).json.member.needs_updated_credentials).to.equal(true);
    expectErrorBody(await api().fetchStatements(u, m), 400);
  });

  it('a new window for a DENIED member puts it PENDING until the person finishes (as MX does); a second Deny is DENIED again', async () => {
    const { u, m, uri } = await oauthMember(api());
    await press(uri, 'deny');
    expect((await api().status(u, m)).json.member.connection_status).to.equal('DENIED');
    const again = await api().call('requestOAuthWindowURI', 'GET', `/users/${u}/members/${m}/oauth_window_uri`);
    expect((await api().status(u, m)).json.member).to.include({ connection_status: 'PENDING', is_being_aggregated: false });
    expectErrorBody(await api().fetchStatements(u, m), 400); // not authorized while PENDING
    await press(again.json.member.oauth_window_uri, 'deny');
    expect((await api().status(u, m)).json.member.connection_status).to.equal('DENIED');
  });

  it('a new window for a connected member leaves it CONNECTED (its authorization stands until the person decides)', async () => {
    const { u, m, uri } = await oauthMember(api());
    await press(uri, 'authorize');
    await api().waitFor(u, m, (st) => st.connection_status === 'CONNECTED' && st.is_being_aggregated === false && st.aggregated_at !== null);
    await api().call('requestOAuthWindowURI', 'GET', `/users/${u}/members/${m}/oauth_window_uri`);
    expect((await api().status(u, m)).json.member.connection_status).to.equal('CONNECTED');
  });

  it('Cancel: the member is left PENDING (as MX leaves it), the page posts oauthComplete/error CANCELLED, the redirect says so, the link is spent', async () => {
    const heard: unknown[] = [];
    const stop = api().sb.onOAuthComplete((c) => heard.push(c));
    try {
      const a = await oauthMember(api());
      const done = await press(a.uri, 'cancel');
      expect(done.status).to.equal(200);
      expect(done.html).to.contain('"type":"oauthComplete/error"');
      expect(done.html).to.contain('"error_reason":"CANCELLED"');
      expect(done.html).to.contain('You cancelled');
      expect((await api().status(a.u, a.m)).json.member).to.include({ connection_status: 'PENDING', is_being_aggregated: false });
      expect((await open(a.uri)).status).to.equal(410);

      const b = await oauthMember(api(), { client_redirect_url: 'myapp://oauth', referral_source: 'APP' });
      const back = await press(b.uri, 'cancel');
      expect(back.status).to.equal(303);
      expect(Object.fromEntries(new URL(back.headers.get('location') ?? '').searchParams)).to.deep.equal({ status: 'error', member_guid: b.m, error_reason: 'CANCELLED' });
      const c = await oauthMember(api());
      await press(c.uri, 'authorize');
      const d = await oauthMember(api());
      await press(d.uri, 'deny');
      // what the handle tells an app, in the order the windows ended
      expect(heard).to.deep.equal([
        { memberGuid: a.m, status: 'error', errorReason: 'CANCELLED' },
        { memberGuid: b.m, status: 'error', errorReason: 'CANCELLED' },
        { memberGuid: c.m, status: 'success' },
        { memberGuid: d.m, status: 'error', errorReason: 'DENIED' },
      ]);
    } finally {
      stop();
    }
    const e = await oauthMember(api());
    await press(e.uri, 'cancel');
    expect(heard).to.have.length(4); // stopped
  });

  it('with client_redirect_url: 303 to it with the outcome in the query (its own query kept)', async () => {
    const a = await oauthMember(api(), { client_redirect_url: 'https://app.example/oauth/done?session=7', referral_source: 'APP' });
    const ok = await press(a.uri, 'authorize');
    expect(ok.status).to.equal(303);
    expect(ok.html).to.equal('');
    const to = new URL(ok.headers.get('location') ?? '');
    expect(`${to.origin}${to.pathname}`).to.equal('https://app.example/oauth/done');
    expect(Object.fromEntries(to.searchParams)).to.deep.equal({ session: '7', status: 'success', member_guid: a.m });

    const b = await oauthMember(api());
    const fresh = await api().call('requestOAuthWindowURI', 'GET', `/users/${b.u}/members/${b.m}/oauth_window_uri?client_redirect_url=${encodeURIComponent('myapp://oauth')}&referral_source=APP`);
    const denied = await press(fresh.json.member.oauth_window_uri, 'deny');
    expect(denied.status).to.equal(303);
    const back = new URL(denied.headers.get('location') ?? '');
    expect(back.protocol).to.equal('myapp:');
    expect(Object.fromEntries(back.searchParams)).to.deep.equal({ status: 'error', member_guid: b.m, error_reason: 'DENIED' });
  });

  for (const version of SANDBOX_API_VERSIONS) {
    it(`${version}: GET …/oauth_window_uri hands out a fresh one-time link each time; an older one has expired`, async () => {
      const v = api().in(version);
      const { u, m, uri } = await oauthMember(v, {}, { id: `oauth-${version}` });
      const path = version === 'v20250224' ? `/users/${u}/members/oauth-${version}/oauth_window_uri` : `/users/${u}/members/${m}/oauth_window_uri`;
      const first = await v.call('requestOAuthWindowURI', 'GET', path);
      expect(first.json).to.deep.equal({ member: { guid: m, oauth_window_uri: first.json.member.oauth_window_uri } });
      const second = await v.call('requestOAuthWindowURI', 'GET', path);
      expect(second.json.member.oauth_window_uri).to.not.equal(first.json.member.oauth_window_uri);
      expect(first.json.member.oauth_window_uri).to.not.equal(uri);
      for (const old of [uri, first.json.member.oauth_window_uri as string]) {
        const page = await open(old);
        expect(page.status).to.equal(410);
        expect(page.html).to.contain('expired');
      }
      expect((await open(second.json.member.oauth_window_uri)).status).to.equal(200);
      expect((await v.call('readMember', 'GET', `/users/${u}/members/${m}`)).json.member.oauth_window_uri).to.equal(second.json.member.oauth_window_uri);
    });
  }

  it('skip_aggregation on the link: authorizing connects without a job', async () => {
    const { u, m } = await oauthMember(api());
    const link = await api().call('requestOAuthWindowURI', 'GET', `/users/${u}/members/${m}/oauth_window_uri?skip_aggregation=true`);
    const timers = api().clock?.pending;
    await press(link.json.member.oauth_window_uri, 'authorize');
    const s = (await api().status(u, m)).json.member;
    expect(s).to.include({ connection_status: 'CONNECTED', is_being_aggregated: false, aggregated_at: null, is_authenticated: true });
    expect(api().clock?.pending, 'no job accepted').to.equal(timers);
  });

  it('v20250224: a member created with data_request statements gets a statements job once authorized', async () => {
    const v2 = api().in('v20250224');
    const { u, m, uri } = await oauthMember(v2, { data_request: { products: ['statements'] } });
    await press(uri, 'authorize');
    expect((await v2.settled(u, m)).connection_status).to.equal('PENDING'); // not begun yet
    await v2.waitFor(u, m, (s) => s.is_being_aggregated === true);
    expect((await v2.fetchStatements(u, m)).headers.get('x-mx-sandbox-job')).to.equal('joined');
    expect((await v2.settled(u, m)).connection_status).to.equal('CONNECTED');
    expect((await v2.call('listStatementsByMember', 'GET', `/users/${u}/members/${m}/statements`)).json.statements).to.have.length(6);
  });

  it('refuses bad requests: a non-OAuth member, a dangerous or malformed redirect, bad query values (400)', async () => {
    const { u, m } = await api().userWithMember();
    expectErrorBody(await api().call('requestOAuthWindowURI', 'GET', `/users/${u}/members/${m}/oauth_window_uri`), 400);
    const o = await oauthMember(api());
    for (const query of [
      `client_redirect_url=${encodeURIComponent('javascript:alert(1)')}`,
      `client_redirect_url=${encodeURIComponent('data:text/html,<b>x</b>')}`,
      'client_redirect_url=not-a-url',
      'referral_source=TV',
      'skip_aggregation=maybe',
      'enable_app2app=yes',
    ]) {
      expectErrorBody(await api().call('requestOAuthWindowURI', 'GET', `/users/${o.u}/members/${o.m}/oauth_window_uri?${query}`), 400);
    }
    const bad = await api().call('createMember', 'POST', `/users/${o.u}/members`, {
      body: { member: { institution_code: 'mx_bank_oauth', credentials: [], is_oauth: true, id: 'x' }, client_redirect_url: 'javascript:alert(1)' },
    });
    expectErrorBody(bad, 400);
    expectErrorBody(await api().call('requestOAuthWindowURI', 'GET', `/users/${o.u}/members/MBR-nope/oauth_window_uri`), 404);
  });

  it('a malformed post, a wrong token, an unknown link or a deleted member get error pages; the link stays usable after a bad post', async () => {
    const { u, m, uri } = await oauthMember(api());
    for (const bad of [await press(uri, 'maybe'), await press(uri, 'authorize', 'not-the-token')]) {
      expect(bad.status).to.equal(400);
      expect(bad.headers.get('content-type')).to.equal('text/html; charset=utf-8');
    }
    const json = await fetch(uri, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"decision":"authorize"}' });
    expect(json.status).to.equal(415);
    expect(json.headers.get('content-type')).to.equal('text/html; charset=utf-8');
    await json.text();
    expect((await api().status(u, m)).json.member.connection_status).to.equal('PENDING');
    expect((await open(uri)).status).to.equal(200);
    const unknown = await open(`${api().sb.url}/oauth/window/${'0'.repeat(32)}`);
    expect(unknown.status).to.equal(404);
    expect(unknown.html).to.contain('not valid');
    expect((await api().call('deleteMember', 'DELETE', `/users/${u}/members/${m}`)).status).to.equal(204);
    expect((await open(uri)).status).to.equal(404);
  });

  it('pages escape everything they interpolate (HTML, attributes, script data)', () => {
    const hostile = `<script>alert("x")</script>'&\``;
    expect(escapeHtml(hostile)).to.equal('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39;&amp;&#96;');
    const consent = consentPage({ institutionName: hostile, action: `/oauth/window/"><script>`, token: '"><img src=x>' });
    expect(consent).to.not.contain('<script>alert');
    expect(consent).to.not.contain('"><script>');
    expect(consent).to.not.contain('<img');
    expect(consent).to.contain('&lt;script&gt;alert(&quot;x&quot;)');
    const done = completePage({ institutionName: hostile, memberGuid: '</script><script>alert(1)</script>', outcome: { ok: true } });
    expect(done.match(/<script>/g)).to.have.length(1); // only its own
    expect(done).to.contain('\\u003c/script\\u003e');
    expect(errorPage(hostile, hostile)).to.not.contain('<script>alert');
  });
});

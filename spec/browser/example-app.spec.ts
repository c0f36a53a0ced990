/**
 * The example Angular app (examples/angular), built with the Angular CLI against the packed library, in Debian's
 * Chromium (playwright-core), against the embedded sandbox over CORS: the happy path with real PDFs, MFA of
 * every type answered through the DOM, an OAuth bank signed in through the popup (the sandbox's OAuth window →
 * Authorize → PDFs; Cancel in the window ends the run at once; a window closed without deciding leaves the run
 * waiting, with a word on the page, and Authorize before the close still gets the PDFs), and Cancel (the browser's
 * own network log shows the aborted requests).
 * A screenshot of each case is kept in spec/browser/artifacts/ (gitignored). Every wait is bounded.
 */
import { expect } from 'chai';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import { startSandbox, type SandboxHandle } from '../../lib/sandbox/index.js';
import { launchChromium } from './helpers/chromium.js';
import { ARTIFACTS, exampleApp } from './helpers/example-app.js';
import { serveSite, type StaticSite } from './helpers/static-server.js';
import { pressWindowButton } from '../cli/helpers/oauth-window.js';

/** The longest any one thing in the page may take (a whole run against the sandbox takes 1–3 s). */
const STEP_MS = 30_000;

describe('browser: the example Angular app in Chromium, against the sandbox (CORS)', function () {
  // Cold: installing the app's dependencies (~80 s on an empty npm cache) and ng build; warm: a few seconds.
  this.timeout(20 * 60_000);

  let site: StaticSite;
  let browser: Browser;
  let sandbox: SandboxHandle;
  let context: BrowserContext;
  let page: Page;
  /** Every request the page sent, and the ones that failed with why. */
  let sent: Request[];
  let failed: Array<{ url: string; method: string; error: string }>;
  let pageErrors: string[];

  before(async function () {
    const app = await exampleApp();
    [site, browser] = await Promise.all([serveSite(app.site), launchChromium()]);
    sandbox = await startSandbox({ port: 0, cors: { origin: site.origin } });
    mkdirSync(ARTIFACTS, { recursive: true });
  });

  after(async () => {
    await Promise.all([browser?.close(), site?.close(), sandbox?.close()]);
  });

  beforeEach(async () => {
    context = await browser.newContext({ viewport: { width: 900, height: 900 } });
    context.setDefaultTimeout(STEP_MS);
    page = await context.newPage();
    sent = [];
    failed = [];
    pageErrors = [];
    page.on('request', (r) => sent.push(r));
    page.on('requestfailed', (r) => failed.push({ url: r.url(), method: r.method(), error: r.failure()?.errorText ?? '' }));
    page.on('pageerror', (e) => pageErrors.push(e.message));
  });

  afterEach(async function () {
    const name = (this.currentTest?.title ?? 'case').replace(/[^\w-]+/g, '-').slice(0, 80);
    await page?.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true, timeout: 10_000 }).catch(() => undefined);
    await context?.close();
  });

  /** Opens the app pointed at the sandbox and starts a run with `password` (MX Bank's special passwords). */
  const start = async (password: string, target: SandboxHandle = sandbox) => {
    await page.goto(`${site.origin}/?mx=${encodeURIComponent(target.url)}`, { timeout: STEP_MS });
    await page.getByLabel('Password').fill(password);
    await page.getByTestId('start').click();
  };

  /** Waits for the run to end; returns the step line. */
  const finished = async (): Promise<string> => {
    const step = page.locator('[data-testid=step][data-finished=true]');
    await step.waitFor({ timeout: STEP_MS });
    return (await step.textContent())?.trim() ?? '';
  };

  /** The first bytes of each downloaded PDF, read back in the page from its blob: link. */
  const pdfHeads = async (): Promise<string[]> => {
    const hrefs = await page.getByTestId('pdf-link').evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).href));
    return page.evaluate(async (urls) => Promise.all(urls.map(async (u) => {
      const bytes = new Uint8Array(await (await fetch(u)).arrayBuffer());
      return `${new TextDecoder().decode(bytes.slice(0, 5))}|${bytes.byteLength}`;
    })), hrefs);
  };

  it('runs a whole fetch: every statement arrives as a valid %PDF- blob behind a download link', async () => {
    await start('password');
    const step = await finished();
    expect(step).to.match(/^Done: \d+ statements$/);
    const count = Number(/\d+/.exec(step)![0]);
    expect(count).to.be.greaterThan(0);
    const heads = await pdfHeads();
    expect(heads).to.have.length(count);
    for (const head of heads) {
      const [magic, size] = head.split('|');
      expect(magic).to.equal('%PDF-');
      expect(Number(size)).to.be.greaterThan(500);
    }
    const api = sent.filter((r) => r.url().startsWith(sandbox.url) && r.method() !== 'OPTIONS');
    expect(api.length).to.be.greaterThan(5);
    for (const r of api) expect(await r.headerValue('accept-version'), r.url()).to.equal('v20111101');
    expect(api.some((r) => r.url().endsWith('.pdf'))).to.equal(true);
    expect(failed).to.deep.equal([]);
    expect(pageErrors).to.deep.equal([]);
  });

  const mfaCases: Array<{ password: string; type: string; answer: (page: Page) => Promise<void> }> = [
    { password: 'challenge', type: 'TEXT', answer: (p) => p.locator('[data-challenge-type=TEXT] input').fill('correct') },
    { password: 'token', type: 'TOKEN', answer: (p) => p.locator('[data-challenge-type=TOKEN] input').fill('123456') },
    { password: 'options', type: 'OPTIONS', answer: (p) => p.locator('[data-challenge-type=OPTIONS] label', { hasText: 'Correct' }).locator('input').check() },
    { password: 'image', type: 'IMAGE_DATA', answer: (p) => p.locator('[data-challenge-type=IMAGE_DATA] input').fill('correct') },
    { password: 'image_options', type: 'IMAGE_OPTIONS', answer: (p) => p.locator('[data-challenge-type=IMAGE_OPTIONS] label', { hasText: 'Correct' }).locator('input').check() },
  ];
  for (const { password, type, answer } of mfaCases) {
    it(`answers a ${type} challenge through the MFA dialog, then downloads`, async () => {
      await start(password);
      const fieldset = page.locator(`[data-challenge-type=${type}]`);
      await fieldset.waitFor({ timeout: STEP_MS });
      const images = fieldset.locator('img');
      for (const img of await images.all()) {
        // Shown from a data: URI, and actually decoded by the browser.
        expect(await img.getAttribute('src')).to.match(/^data:image\/png;base64,/);
        await page.waitForFunction((el) => (el as HTMLImageElement).complete && (el as HTMLImageElement).naturalWidth > 0, await img.elementHandle(), { timeout: STEP_MS });
      }
      if (type.startsWith('IMAGE')) expect(await images.count()).to.be.greaterThan(0);
      await answer(page);
      await page.screenshot({ path: join(ARTIFACTS, `mfa-dialog-${type}.png`), fullPage: true, timeout: 10_000 });
      await page.getByTestId('mfa-submit').click();
      const step = await finished();
      expect(step).to.match(/^Done: [1-9]\d* statements$/);
      expect((await pdfHeads()).every((h) => h.startsWith('%PDF-|'))).to.equal(true);
      const resume = sent.find((r) => r.method() === 'PUT' && r.url().endsWith('/resume'));
      expect(resume, 'PUT …/resume').not.to.equal(undefined);
      expect(pageErrors).to.deep.equal([]);
    });
  }

  /** Starts a run at the OAuth bank and opens its sign-in window from the page's button; returns the popup. */
  const openSignIn = async (): Promise<Page> => {
    await page.goto(`${site.origin}/?mx=${encodeURIComponent(sandbox.url)}`, { timeout: STEP_MS });
    await page.getByLabel('Bank').fill('MX Bank (OAuth)');
    await page.getByLabel('Password').fill('typed-but-never-sent');
    await page.getByTestId('start').click();
    const open = page.getByTestId('oauth-open');
    await open.waitFor({ timeout: STEP_MS });
    // The popup is opened from the click, as browsers require.
    const [popup] = await Promise.all([page.waitForEvent('popup', { timeout: STEP_MS }), open.click()]);
    await popup.waitForLoadState('domcontentloaded', { timeout: STEP_MS });
    expect(popup.url().startsWith(`${sandbox.url}/`), popup.url()).to.equal(true);
    expect(await popup.locator('body').textContent()).to.contain('MX Bank (OAuth)');
    return popup;
  };

  /** What the page says about the sign-in, once the run ended without connecting; checks nothing more was asked. */
  const endedUnconnected = async (): Promise<{ words: string; error: string }> => {
    // Well within STEP_MS, against the 30 min the run would otherwise wait on a PENDING member.
    expect(await finished()).to.equal('Not connected');
    const words = (await page.getByTestId('oauth-outcome').textContent())?.trim() ?? '';
    const error = (await page.getByTestId('error').textContent())?.trim() ?? '';
    const before = sent.length;
    await page.waitForTimeout(1000); // SANDBOX_POLLING would have polled several times by now
    expect(sent.slice(before).map((r) => r.url()).filter((u) => u.startsWith(sandbox.url))).to.deep.equal([]);
    expect(await page.getByTestId('cancel').count()).to.equal(0);
    expect(await page.getByTestId('oauth-open').count()).to.equal(0);
    expect(await page.getByTestId('pdf-link').count()).to.equal(0);
    expect(sent.some((r) => r.url().startsWith(sandbox.url) && /\/statements/.test(new URL(r.url()).pathname)), 'no statement requested').to.equal(false);
    // The poll in flight when the run ended is aborted; nothing else fails.
    expect(failed.filter((f) => f.error !== 'net::ERR_ABORTED')).to.deep.equal([]);
    expect(pageErrors).to.deep.equal([]);
    return { words, error };
  };

  it('connects an OAuth bank through the popup: the sandbox\'s sign-in window → Authorize → PDFs, and no credential sent', async () => {
    const popup = await openSignIn();
    await page.screenshot({ path: join(ARTIFACTS, 'oauth-page-waiting.png'), fullPage: true, timeout: 10_000 });
    await popup.screenshot({ path: join(ARTIFACTS, 'oauth-window.png'), fullPage: true, timeout: 10_000 });
    await popup.getByRole('button', { name: 'Authorize' }).click();
    await popup.getByText('You can close this window').waitFor({ timeout: STEP_MS });
    await popup.screenshot({ path: join(ARTIFACTS, 'oauth-window-authorized.png'), fullPage: true, timeout: 10_000 });
    await popup.close();

    const step = await finished();
    expect(step).to.match(/^Done: [1-9]\d* statements$/);
    // The window's success came first: closing it afterwards is not a cancel.
    expect(await page.getByTestId('oauth-outcome').textContent()).to.match(/^You signed in at your bank/);
    expect((await pdfHeads()).every((h) => h.startsWith('%PDF-|'))).to.equal(true);
    const api = sent.filter((r) => r.url().startsWith(sandbox.url) && r.method() !== 'OPTIONS');
    expect(api.some((r) => r.method() === 'GET' && r.url().includes('/oauth_window_uri')), 'GET …/oauth_window_uri').to.equal(true);
    const createMember = api.find((r) => r.method() === 'POST' && /\/users\/[^/]+\/members$/.test(new URL(r.url()).pathname));
    expect(createMember, 'POST …/members').not.to.equal(undefined);
    expect(createMember!.postData() ?? '').not.to.contain('typed-but-never-sent');
    expect(failed).to.deep.equal([]);
    expect(pageErrors).to.deep.equal([]);
  });

  it('ends the run at once when the person presses Cancel in the sign-in window: the page says so, no PDFs', async () => {
    const popup = await openSignIn();
    await popup.getByRole('button', { name: 'Cancel' }).click();
    await popup.getByText('You can close this window').waitFor({ timeout: STEP_MS });
    const { words, error } = await endedUnconnected();
    expect(words).to.match(/^You cancelled the sign-in at your bank/);
    // The window's report ended it (MX shows the member PENDING still: no status would have).
    expect(error).to.match(/^ConnectionFailed: .*the OAuth window ended CANCELLED.*\(status PENDING\)$/);
    await page.screenshot({ path: join(ARTIFACTS, 'oauth-page-cancelled.png'), fullPage: true, timeout: 10_000 });
  });

  it('a window closed without deciding is no decision: the page says how to go on, the run keeps waiting; Cancel ends it', async () => {
    const popup = await openSignIn();
    await popup.close();
    const hint = page.getByTestId('oauth-outcome');
    await hint.waitFor({ timeout: STEP_MS });
    expect((await hint.textContent())?.trim()).to.match(/^The sign-in window was closed\. If you finished signing in, this goes on by itself; if not, press Cancel\.$/);
    // still waiting for the sign-in: the member's status is polled on (the run was not told anything)
    const polled = sent.length;
    await page.waitForRequest((r) => r.url().startsWith(sandbox.url) && /\/members\/[^/]+\/status$/.test(new URL(r.url()).pathname), { timeout: STEP_MS });
    expect(sent.length).to.be.greaterThan(polled);
    expect(await page.locator('[data-testid=step][data-finished=true]').count()).to.equal(0);
    await page.getByTestId('cancel').click();
    expect(await finished()).to.equal('Cancelled');
    expect(await page.getByTestId('oauth-outcome').count(), 'the word about the closed window went with the wait').to.equal(0);
    expect(await page.getByTestId('pdf-link').count()).to.equal(0);
    expect(pageErrors).to.deep.equal([]);
  });

  it('Authorize pressed, then the window closed before its last page: the run goes on to the PDFs (no false cancel)', async () => {
    const popup = await openSignIn();
    // the person's Authorize reaches the bank, but the window is closed before its answer page loads and posts
    expect(await pressWindowButton(popup.url(), 'authorize')).to.equal(200);
    await popup.close();
    expect(await finished()).to.match(/^Done: [1-9]\d* statements$/);
    expect(await page.getByTestId('oauth-outcome').count(), 'the word about the closed window went with the wait').to.equal(0);
    expect((await pdfHeads()).every((h) => h.startsWith('%PDF-|'))).to.equal(true);
    expect(pageErrors).to.deep.equal([]);
  });

  it('cancels: the requests in flight are aborted (net::ERR_ABORTED in the browser\'s network log) and nothing follows', async () => {
    // Every API answer held back 9 s (after the CORS preflight, which is answered at once).
    const slow = await startSandbox({ port: 0, cors: { origin: site.origin }, faults: { rate: 1, kinds: ['slow'], slowMs: 9_000 } });
    try {
      // Listening before the run starts: its first API request goes out as soon as Start is clicked.
      const pending = page.waitForRequest((r) => r.url().startsWith(slow.url) && r.method() !== 'OPTIONS', { timeout: STEP_MS });
      await start('password', slow);
      await pending;
      await page.getByTestId('cancel').click();
      await page.locator('[data-testid=step][data-finished=true]', { hasText: 'Cancelled' }).waitFor({ timeout: STEP_MS });
      const deadline = Date.now() + 5000;
      while (!failed.some((f) => f.url.startsWith(slow.url)) && Date.now() < deadline) await page.waitForTimeout(50);
      const aborted = failed.filter((f) => f.url.startsWith(slow.url));
      expect(aborted.length, JSON.stringify(failed)).to.be.greaterThan(0);
      expect(aborted.every((f) => f.error === 'net::ERR_ABORTED'), JSON.stringify(aborted)).to.equal(true);
      const before = sent.length;
      await page.waitForTimeout(500);
      expect(sent.slice(before).filter((r) => r.url().startsWith(slow.url))).to.deep.equal([]);
      expect(await page.getByTestId('cancel').count()).to.equal(0);
    } finally {
      await slow.close();
    }
  });
});

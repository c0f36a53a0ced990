/**
 * Debian's Chromium, driven by playwright-core (which never downloads a browser here). A machine without it gets
 * it from apt when the run is root (as CI is); otherwise the error says what to install.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { run } from './run.js';

export const CHROMIUM = '/usr/bin/chromium';

/**
 * The flags this machine needs (see the machine notes): no sandbox as root, and none of Chromium's own network
 * traffic (background networking, component updates, sync), which a closed network refuses.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
];

let installing: Promise<void> | undefined;

/** Makes sure /usr/bin/chromium exists: `apt-get install chromium` when missing and running as root. */
export const ensureChromium = (): Promise<void> =>
  (installing ??= (async () => {
    if (existsSync(CHROMIUM)) return;
    if (process.getuid?.() !== 0) {
      throw new Error(`${CHROMIUM} is missing: install Debian's chromium (sudo apt-get install -y chromium), then rerun`);
    }
    const apt = ['-o', 'DPkg::Lock::Timeout=120'];
    await run('apt-get', [...apt, 'update'], { cwd: '/', timeoutMs: 5 * 60_000 });
    await run('apt-get', [...apt, 'install', '-y', '--no-install-recommends', 'chromium'], {
      cwd: '/', timeoutMs: 10 * 60_000, env: { DEBIAN_FRONTEND: 'noninteractive' },
    });
    if (!existsSync(CHROMIUM)) throw new Error(`apt-get installed chromium, but ${CHROMIUM} is still missing`);
  })());

/** A headless Chromium (close it in `after`). */
export const launchChromium = async (): Promise<Browser> => {
  await ensureChromium();
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: 60_000 });
};

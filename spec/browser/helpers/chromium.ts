/**
 * Debian's Chromium, driven by playwright-core (which never downloads a browser here). A machine without it gets
 * it from apt when the run is root (as CI is); otherwise the error says what to install.
 */
import { chromium, type Browser } from 'playwright-core';
import { ensureDebianTool } from '../../helpers/debian-tool.js';

/**
 * The flags this machine needs (see the machine notes): no sandbox as root, and none of Chromium's own network
 * traffic (background networking, component updates, sync), which a closed network refuses.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
];

/** The Chromium binary: Debian's `chromium`, installed when missing and running as root (as CI is). */
export const ensureChromium = (): string => ensureDebianTool('chromium', 'chromium');

/** A headless Chromium (close it in `after`). */
export const launchChromium = async (): Promise<Browser> => {
  const executablePath = ensureChromium();
  return chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS, timeout: 60_000 });
};

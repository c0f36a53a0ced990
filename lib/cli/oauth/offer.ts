/**
 * The offer made at a terminal once an OAuth window's URL is on screen: "Press Enter to open it with xdg-open, or
 * copy it" — or, where this machine has no opener (no display, over SSH), just "copy it". The run keeps waiting
 * either way: the key is read on the side, and an opener that fails only says so.
 *
 * @module
 */
import type { Line } from '../render/describe.js';
import { listenForEnter, type KeyInput } from './enter-key.js';
import { findOpener, openUrl, type OpenerEnvironment, type OpenResult } from './opener.js';

/** What the offer needs: the machine (to find its opener), the terminal's input, and where lines go. */
export interface OfferContext {
  readonly machine: OpenerEnvironment;
  readonly input: KeyInput | NodeJS.ReadableStream;
  /** Shows a line above the live display. */
  readonly note: (line: Line) => void;
  /** Ctrl-C while the key is read (raw mode): interrupt the run as SIGINT would. */
  readonly interrupt: () => void;
  /** Opens the URL (default: {@link openUrl} with the opener found). For specs. */
  readonly open?: (url: string) => Promise<OpenResult>;
}

/** An offer in progress; `stop()` gives the keyboard back (before a prompt, at the end) and returns `undefined`. */
export interface OAuthOffer {
  stop(): undefined;
}

/**
 * Offers to open `url` with the system's opener on Enter (each press opens it again), saying once what happened;
 * without an opener, says to copy the link and why. Never blocks: returns at once.
 *
 * @example
 * ```ts
 * import { offerToOpen } from './offer.js';
 *
 * const offer = offerToOpen('https://int-widgets.moneydesktop.com/oauth/…', {
 *   machine: { platform: process.platform, env: process.env },
 *   input: process.stdin,
 *   note: (line) => console.error(line.text),
 *   interrupt: () => process.kill(process.pid, 'SIGINT'),
 * });
 * // … when the run moves on:
 * offer.stop();
 * ```
 */
export const offerToOpen = (url: string, ctx: OfferContext): OAuthOffer => {
  const found = findOpener(ctx.machine);
  const opener = found.opener;
  const none: OAuthOffer = { stop: () => undefined };
  if (opener === undefined) {
    ctx.note({ kind: 'question', text: `Open it in a browser on any device (nothing to open it with here: ${found.reason ?? 'no opener'}); the run goes on by itself once you authorize` });
    return none;
  }
  let active = true;
  const open = ctx.open ?? ((u: string) => openUrl(opener, u));
  const keys = listenForEnter(ctx.input as KeyInput, () => {
    void open(url).then((r) => {
      if (!active) return;
      ctx.note(r.ok
        ? { kind: 'done', text: `Opened it with ${opener.name}: finish signing in there` }
        : { kind: 'question', text: `Could not open it (${r.reason}): copy the link into a browser` });
    });
  }, ctx.interrupt);
  ctx.note({
    kind: 'question',
    text: keys
      ? `Press Enter to open it with ${opener.name}, or copy it into a browser; the run goes on by itself once you authorize`
      : 'Open it in a browser; the run goes on by itself once you authorize',
  });
  return {
    stop: () => {
      active = false;
      keys?.stop();
      return undefined;
    },
  };
};

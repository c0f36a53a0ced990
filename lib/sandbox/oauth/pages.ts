/**
 * The OAuth window's HTML pages: the consent page (Authorize / Deny in a plain form post, no JavaScript needed),
 * the "you can close this window" page (which also tells a popup's opener, MX-style, with a window message), and
 * the error pages. Every interpolated value is HTML-escaped; the script's data is JSON with `<` escaped.
 *
 * @module
 */

/**
 * Escapes text for HTML element content and quoted attribute values.
 *
 * @example
 * ```ts
 * import { escapeHtml } from './pages.js';
 *
 * escapeHtml('<b>"A&B"</b>'); // '&lt;b&gt;&quot;A&amp;B&quot;&lt;/b&gt;'
 * ```
 */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"'`]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' })[c] ?? c);
}

/** JSON safe to place inside a `<script>` element (no `</script>`, no HTML comment, no line separators). */
const scriptJson = (value: unknown): string =>
  JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');

const STYLE = `body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;color:#1a1a1a;line-height:1.5}
h1{font-size:1.4rem}.note{color:#555;font-size:.9rem}.buttons{display:flex;gap:.75rem;margin-top:1.5rem}
button{font:inherit;padding:.6rem 1.4rem;border-radius:.4rem;border:1px solid #888;background:#fff;cursor:pointer}
button[value=authorize]{background:#0b5cad;border-color:#0b5cad;color:#fff}`;

const layout = (title: string, body: string, script = ''): string =>
  `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
  `<meta name="referrer" content="no-referrer"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head>` +
  `<body>${body}${script}</body></html>\n`;

/**
 * The consent page of an open link: names the institution, posts `decision=authorize|deny|cancel` back to the same
 * URL (Cancel is the person leaving without deciding, as closing the bank's page would be).
 *
 * @example
 * ```ts
 * import { consentPage } from './pages.js';
 *
 * consentPage({ institutionName: 'MX Bank (OAuth)', action: '/oauth/window/abc', token: 'abc' });
 * ```
 */
export function consentPage(p: { readonly institutionName: string; readonly action: string; readonly token: string }): string {
  const name = escapeHtml(p.institutionName);
  return layout(
    `Connect to ${p.institutionName}`,
    `<h1>Connect your ${name} accounts</h1>` +
      `<p>An app wants to read your account data at <strong>${name}</strong>, including your statements.</p>` +
      `<p>Do you authorize this connection?</p>` +
      `<form method="post" action="${escapeHtml(p.action)}">` +
      `<input type="hidden" name="token" value="${escapeHtml(p.token)}">` +
      `<div class="buttons"><button type="submit" name="decision" value="authorize">Authorize</button>` +
      `<button type="submit" name="decision" value="deny">Deny</button>` +
      `<button type="submit" name="decision" value="cancel">Cancel</button></div></form>` +
      `<p class="note">This is the mx-statements-rx sandbox's stand-in for ${name}'s own sign-in page. Nothing is shared with anyone.</p>`,
  );
}

/** What the person decided, as MX's OAuth-complete page reports it. */
export type OAuthOutcome = { readonly ok: true } | { readonly ok: false; readonly reason: 'DENIED' | 'CANCELLED' };

/**
 * The page after the decision: says the window can be closed, and posts MX's `oauthComplete/success` or
 * `oauthComplete/error` window message (with the member guid, and the reason for an error) to `window.opener`
 * when there is one. Works without JavaScript (the message is then simply not sent).
 *
 * @example
 * ```ts
 * import { completePage } from './pages.js';
 *
 * completePage({ institutionName: 'MX Bank (OAuth)', memberGuid: 'MBR-1', outcome: { ok: true } });
 * ```
 */
export function completePage(p: { readonly institutionName: string; readonly memberGuid: string; readonly outcome: OAuthOutcome }): string {
  const name = escapeHtml(p.institutionName);
  const message = p.outcome.ok
    ? { type: 'oauthComplete/success', metadata: { member_guid: p.memberGuid } }
    : { type: 'oauthComplete/error', metadata: { member_guid: p.memberGuid, error_reason: p.outcome.reason } };
  const script =
    `<script>(function(){var m=${scriptJson(message)};` +
    `try{if(window.opener&&window.opener!==window){window.opener.postMessage(m,"*");}}catch(e){}})();</script>`;
  const body = p.outcome.ok
    ? `<h1>Connected</h1><p>You authorized the connection to <strong>${name}</strong>.</p>`
    : p.outcome.reason === 'CANCELLED'
      ? `<h1>Not connected</h1><p>You cancelled the connection to <strong>${name}</strong>. Nothing was shared.</p>`
      : `<h1>Not connected</h1><p>You denied the connection to <strong>${name}</strong>.</p>`;
  return layout(p.outcome.ok ? 'Connected' : 'Not connected', `${body}<p>You can close this window.</p>`, script);
}

/**
 * An error page (unknown, replaced or already used link, or a member that no longer exists).
 *
 * @example
 * ```ts
 * import { errorPage } from './pages.js';
 *
 * errorPage('This link was already used', 'Ask the app for a new one.');
 * ```
 */
export function errorPage(title: string, detail: string): string {
  return layout(title, `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(detail)}</p>`);
}

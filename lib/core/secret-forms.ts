/**
 * The forms a secret can take inside a body a server echoes back: as sent, JSON-escaped (once or twice, with or
 * without `\uXXXX` for non-ASCII and `\/`), URL-encoded (`encodeURIComponent`, form encoding with `+` for
 * spaces, lower-case hex), HTML-escaped, and Base64 / Base64url of its UTF-8 bytes at any alignment inside a
 * larger encoded blob. Used by `redactSecrets`, so an error body can be kept for debugging without the secret.
 *
 * @module
 */

/** Forms shorter than this are not looked for: too likely to hit ordinary text. */
export const MIN_FORM_LENGTH = 4;

const hex4 = (c: number, upper: boolean): string => {
  const h = c.toString(16).padStart(4, '0');
  return `\\u${upper ? h.toUpperCase() : h}`;
};

/** JSON string escaping as `JSON.stringify` does it, optionally with every non-ASCII character and `/` escaped. */
const jsonEscaped = (s: string, ascii: 'keep' | 'lower' | 'upper', slash: boolean): string => {
  let out = JSON.stringify(s).slice(1, -1);
  if (ascii !== 'keep') out = out.replace(/[\u0080-\uffff]/g, (ch) => hex4(ch.charCodeAt(0), ascii === 'upper'));
  if (slash) out = out.split('/').join('\\/');
  return out;
};

/** `"` written as `\u0022` and friends: some serializers escape every character outside a safe set this way. */
const jsonUnicodeEscaped = (s: string): string =>
  [...s].map((ch) => (/^[A-Za-z0-9 _.,:;@#$%^&*()+=~`|?!-]$/.test(ch) ? ch : [...ch].map((u) => hex4(u.charCodeAt(0), false)).join(''))).join('');

const formEncoded = (s: string): string => new URLSearchParams([['x', s]]).toString().slice(2);

const lowerHex = (s: string): string => s.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());

const htmlEscaped = (s: string, numeric: boolean): string =>
  s.replace(/[&<>"']/g, (ch) => (numeric
    ? `&#${ch.charCodeAt(0)};`
    : ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' } as Record<string, string>)[ch]!));

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

const base64 = (bytes: Uint8Array): string => {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += BASE64[(n >> 18) & 63]! + BASE64[(n >> 12) & 63]! + BASE64[(n >> 6) & 63]! + BASE64[n & 63]!;
  }
  return out;
};

/**
 * The Base64 characters that encode only the secret's own bits when it starts `shift` bytes (0–2) into a blob:
 * they appear in the Base64 of any body holding the secret at that alignment, whatever surrounds it.
 */
const base64Core = (bytes: Uint8Array, shift: number): string => {
  const padded = new Uint8Array(shift + bytes.length + 2);
  padded.set(bytes, shift);
  const from = Math.ceil((8 * shift) / 6);
  const to = Math.floor((8 * (shift + bytes.length)) / 6);
  return base64(padded).slice(from, to);
};

const toUrlAlphabet = (s: string): string => s.replace(/\+/g, '-').replace(/\//g, '_');

/** Options of {@link secretForms}. */
export interface SecretFormsOptions {
  /** Forms shorter than this are left out (default {@link MIN_FORM_LENGTH}). */
  readonly minLength?: number;
  /** Include the Base64 / Base64url cores (default `true`; a 1–2 character secret's cores are 1–3 characters). */
  readonly base64?: boolean;
}

/**
 * Every form of `secret` that {@link redactSecrets} replaces, longest first, without duplicates; forms shorter
 * than `minLength` (default `MIN_FORM_LENGTH`) are left out.
 *
 * @example
 * ```ts
 * import { secretForms } from './secret-forms.js';
 * secretForms('pa"ss word').includes('pa\\"ss word'); // true (JSON-escaped)
 * secretForms('pa"ss word').includes('pa%22ss+word'); // true (form-encoded)
 * secretForms('4"', { minLength: 1, base64: false }).includes('4%22'); // true (a short PIN, URL-encoded)
 * ```
 */
export const secretForms = (secret: string, options: SecretFormsOptions = {}): string[] => {
  const minLength = options.minLength ?? MIN_FORM_LENGTH;
  const forms = new Set<string>();
  const add = (f: string) => {
    if (f.length >= minLength) forms.add(f);
  };
  // How the secret can sit in the request body or header we sent: as is, or JSON-escaped (the body is JSON).
  const written = new Set<string>([secret, jsonUnicodeEscaped(secret)]);
  const modes = (['keep', 'lower', 'upper'] as const).flatMap((ascii) => [false, true].map((slash) => ({ ascii, slash })));
  for (const inner of modes) {
    const once = jsonEscaped(secret, inner.ascii, inner.slash);
    written.add(once);
    // a JSON text quoted inside another JSON string, each level escaped its own way
    for (const outer of modes) written.add(jsonEscaped(once, outer.ascii, outer.slash));
  }
  // How a server can echo each of those back.
  for (const w of written) {
    add(w);
    const component = encodeURIComponent(w);
    for (const f of [component, formEncoded(w), encodeURI(w), component.replace(/%20/g, '+')]) {
      add(f);
      add(lowerHex(f));
      add(encodeURIComponent(f)); // encoded twice
    }
    add(htmlEscaped(w, false));
    add(htmlEscaped(w, true));
    if (options.base64 === false) continue;
    const bytes = new TextEncoder().encode(w);
    for (let shift = 0; shift < 3; shift++) {
      const core = base64Core(bytes, shift);
      add(core);
      add(toUrlAlphabet(core));
    }
  }
  return [...forms].sort((a, b) => b.length - a.length);
};

/**
 * Every string {@link redactSecrets} replaces for these secrets (each secret of 3 characters or more, and its
 * {@link secretForms}), longest first.
 *
 * @example
 * ```ts
 * import { redactableForms } from './secret-forms.js';
 * redactableForms(['pa"ss word'])[0]; // the longest form
 * ```
 */
export const redactableForms = (secrets: Iterable<string>): string[] => {
  const forms = new Set<string>();
  for (const s of secrets) {
    if (typeof s !== 'string' || s.length < 3) continue;
    forms.add(s);
    for (const f of secretForms(s)) forms.add(f);
  }
  return [...forms].sort((a, b) => b.length - a.length);
};

/**
 * A text cut short (an error body read only in part) without the tail that could be the start of a secret's
 * form: the longest end of `text` that begins one of {@link redactableForms} is dropped. Redaction replaces
 * whole forms only, so a form cut in two by the read would otherwise leave its first part in the text.
 *
 * @example
 * ```ts
 * import { withoutSecretStart } from './secret-forms.js';
 * withoutSecretStart('{"password":"hunt', ['hunter2-long']); // '{"password":"'
 * ```
 */
export const withoutSecretStart = (text: string, secrets: Iterable<string>): string => {
  let from = text.length;
  for (const form of redactableForms(secrets)) {
    // the earliest place, within a form's length of the end, where the rest of the text begins the form
    for (let i = Math.max(0, text.length - form.length + 1); i < from; i++) {
      if (text.charCodeAt(i) === form.charCodeAt(0) && form.startsWith(text.slice(i))) {
        from = i;
        break;
      }
    }
  }
  return text.slice(0, from);
};

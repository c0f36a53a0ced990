/**
 * Turns an MX guid (or any string) into a safe file or folder name.
 *
 * @module
 */
import { createHash } from 'node:crypto';

/**
 * The longest name {@link sanitizeFileName} returns.
 *
 * @example
 * ```ts
 * import { MAX_FILE_NAME_LENGTH } from './sanitize.js';
 * import { sanitizeFileName } from './sanitize.js';
 * sanitizeFileName('x'.repeat(10_000)).length <= MAX_FILE_NAME_LENGTH; // true
 * ```
 */
export const MAX_FILE_NAME_LENGTH = 100;

/** Hex characters of the SHA-256 suffix added to names that had to be changed. */
const SUFFIX_LENGTH = 12;
const SAFE_NAME = /^[A-Za-z0-9_-]+$/;
const SAFE_CHAR = /^[A-Za-z0-9_-]$/;
/** Device names Windows refuses as file or folder names, whatever the extension. */
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/i;

const isSafe = (name: string): boolean =>
  name.length > 0 && name.length <= MAX_FILE_NAME_LENGTH && SAFE_NAME.test(name) && !WINDOWS_RESERVED.test(name);

/**
 * A file name built from `guid` that can never address anything but one entry of one folder: only
 * `[A-Za-z0-9_-]`, 1 to {@link MAX_FILE_NAME_LENGTH} characters, never `.`, `..` or a Windows device name.
 *
 * A guid that is already safe (every MX guid, e.g. `STA-123`) is returned unchanged. Any other string has each
 * unsafe character replaced by `_`, is cut short when long, and gets `-` plus 12 hex digits of the SHA-256 of the
 * original (UTF-16) text, so two different guids do not end up with the same name (`a/b` → `a_b-…`, never `a_b`).
 *
 * @example
 * ```ts
 * import { sanitizeFileName } from './sanitize.js';
 * sanitizeFileName('STA-1');            // 'STA-1'
 * sanitizeFileName('../../etc/passwd'); // '______etc_passwd-833ba4aa8a80'
 * sanitizeFileName('a/b');              // 'a_b-6df7cee24c76'
 * ```
 */
export const sanitizeFileName = (guid: string): string => {
  if (isSafe(guid)) return guid;
  const suffix = createHash('sha256').update(Buffer.from(guid, 'utf16le')).digest('hex').slice(0, SUFFIX_LENGTH);
  const room = MAX_FILE_NAME_LENGTH - SUFFIX_LENGTH - 1;
  let body = '';
  for (const ch of guid) {
    if (body.length >= room) break;
    body += SAFE_CHAR.test(ch) ? ch : '_';
  }
  return `${body === '' ? '_' : body}-${suffix}`;
};

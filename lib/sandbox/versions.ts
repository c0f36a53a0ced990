/**
 * API versions: each request is answered in the version its `Accept-Version` header names. Since August 12, 2026
 * MX refuses a request without a valid version (406); `legacyAccept` restores the older rule (no header →
 * v20111101) for clients written before then.
 *
 * @module
 */
import { errors } from './http-error.js';

/**
 * The MX Platform API versions the sandbox speaks.
 *
 * @example
 * ```ts
 * import type { SandboxApiVersion } from 'mx-statements-rx/sandbox';
 *
 * const version: SandboxApiVersion = 'v20250224';
 * ```
 */
export type SandboxApiVersion = 'v20111101' | 'v20250224';

/**
 * Every version the sandbox speaks, oldest first.
 *
 * @example
 * ```ts
 * import { SANDBOX_API_VERSIONS } from './versions.js';
 *
 * SANDBOX_API_VERSIONS.includes('v20250224'); // true
 * ```
 */
export const SANDBOX_API_VERSIONS: ReadonlyArray<SandboxApiVersion> = ['v20111101', 'v20250224'];

/** The request header that names the version. */
export const ACCEPT_VERSION_HEADER = 'accept-version';

/**
 * The JSON media type each version answers with (`Content-Type`): MX's vendor type for v20111101,
 * `application/json` for v20250224. PDFs are `application/vnd.mx.api.v1+pdf` in both.
 *
 * @example
 * ```ts
 * import { JSON_MEDIA_TYPES } from './versions.js';
 *
 * JSON_MEDIA_TYPES.v20250224; // 'application/json'
 * ```
 */
export const JSON_MEDIA_TYPES: Readonly<Record<SandboxApiVersion, string>> = {
  v20111101: 'application/vnd.mx.api.v1+json',
  v20250224: 'application/json',
};

/** MX's 406 message (errors page), and what to send instead. */
export const NO_VERSION_MESSAGE =
  "The request didn't specify a valid API version: send the header Accept-Version: v20111101 or Accept-Version: v20250224";

const headerValue = (raw: string | string[] | undefined): string | undefined => {
  const v = Array.isArray(raw) ? raw[0] : raw;
  return v === undefined ? undefined : v.trim();
};

const isVersion = (v: string): v is SandboxApiVersion => (SANDBOX_API_VERSIONS as ReadonlyArray<string>).includes(v);

/**
 * The version a request names, without judging it: `undefined` when missing or unknown (`legacyAccept` maps a
 * missing header to v20111101). Used to pick the media type of an early error.
 *
 * @example
 * ```ts
 * import { peekApiVersion } from './versions.js';
 *
 * peekApiVersion({ 'accept-version': 'v20250224' }, false); // 'v20250224'
 * ```
 */
export function peekApiVersion(headers: Readonly<Record<string, string | string[] | undefined>>, legacyAccept: boolean): SandboxApiVersion | undefined {
  const v = headerValue(headers[ACCEPT_VERSION_HEADER]);
  if (v === undefined || v === '') return legacyAccept ? 'v20111101' : undefined;
  return isVersion(v) ? v : undefined;
}

/**
 * The version a request is answered in; 406 with MX's message when the header is missing (unless
 * `legacyAccept`) or names no version the sandbox speaks.
 *
 * @example
 * ```ts
 * import { requireApiVersion } from './versions.js';
 *
 * requireApiVersion({ 'accept-version': 'v20111101' }, false); // 'v20111101'
 * requireApiVersion({}, true); // 'v20111101' (pre-August-2026 client)
 * requireApiVersion({}, false); // throws HttpError 406
 * ```
 */
export function requireApiVersion(headers: Readonly<Record<string, string | string[] | undefined>>, legacyAccept: boolean): SandboxApiVersion {
  const version = peekApiVersion(headers, legacyAccept);
  if (version !== undefined) return version;
  const sent = headerValue(headers[ACCEPT_VERSION_HEADER]);
  const detail = sent === undefined || sent === '' ? ' (no Accept-Version header)' : ` (Accept-Version ${JSON.stringify(sent.slice(0, 40))} is unknown)`;
  throw errors.notAcceptable(`${NO_VERSION_MESSAGE}${detail}`);
}

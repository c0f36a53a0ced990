import type { MxApiVersion } from '../core/config.js';

/** MX's vendor JSON media type: the `Accept` of JSON calls in API version v20111101. */
export const MX_JSON = 'application/vnd.mx.api.v1+json';
/** The media type of statement PDFs: the `.pdf` route serves only this, in every API version. */
export const MX_PDF = 'application/vnd.mx.api.v1+pdf';

/**
 * The `Accept` of JSON calls per API version: the vendor type for v20111101, `application/json` for v20250224.
 *
 * @example
 * ```ts
 * import { MX_JSON_ACCEPT } from './media-types.js';
 * MX_JSON_ACCEPT.v20250224; // 'application/json'
 * ```
 */
export const MX_JSON_ACCEPT: Readonly<Record<MxApiVersion, string>> = {
  v20111101: MX_JSON,
  v20250224: 'application/json',
};

/**
 * The header by which the embedded sandbox names itself on every answer (with {@link MX_SANDBOX_HEADER_VALUE}).
 * Real MX never sends it; a client that saw it sets `client.hints.sandbox`.
 *
 * @example
 * ```ts
 * import { MX_SANDBOX_HEADER } from './media-types.js';
 * import { MX_SANDBOX_HEADER_VALUE } from './media-types.js';
 * const headers = { [MX_SANDBOX_HEADER]: MX_SANDBOX_HEADER_VALUE };
 * ```
 */
export const MX_SANDBOX_HEADER = 'X-MX-Sandbox';
/**
 * The value of {@link MX_SANDBOX_HEADER} (compared case-insensitively, surrounding spaces ignored).
 *
 * @example
 * ```ts
 * import { MX_SANDBOX_HEADER_VALUE } from './media-types.js';
 * MX_SANDBOX_HEADER_VALUE; // 'mx-statements-rx'
 * ```
 */
export const MX_SANDBOX_HEADER_VALUE = 'mx-statements-rx';
